"""The e-mail an applicant receives when their dossier's status changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class EmailContent:
    subject: str
    body: str


def status_email(
    *,
    applicant_name: str,
    code: str,
    procedure_code: str,
    status_name: str,
    changed_at: datetime,
    tz: ZoneInfo,
) -> EmailContent:
    local = changed_at.astimezone(tz)
    subject = f"Hồ sơ {code}: {status_name}"
    body = (
        f"Kính gửi Ông/Bà {applicant_name},\n\n"
        f"Hồ sơ mã {code} (thủ tục {procedure_code}) của Ông/Bà đã chuyển sang trạng thái "
        f"«{status_name}» lúc {local:%H giờ %M phút ngày %d/%m/%Y}.\n\n"
        f"Ông/Bà có thể tra cứu tiến độ giải quyết hồ sơ bằng mã hồ sơ trên Cổng Dịch vụ công.\n\n"
        "Đây là thư tự động, vui lòng không trả lời thư này.\n"
        "Bộ phận Một cửa — Hệ thống thông tin giải quyết thủ tục hành chính tỉnh\n"
    )
    return EmailContent(subject, body)
