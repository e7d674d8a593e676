"""The extension reaches the applicant as an apology with the new date (the mail that goes with the
Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết, Mẫu 04), not as a status mail: workflow's
status event for the extension keeps the status it had, and that is no news."""

from __future__ import annotations

from datetime import UTC, datetime

from notify_support import Notify, make_event, new_code

from dvc_common.events import (
    DOSSIER_EXTENDED,
    DOSSIER_STATUS_CHANGED,
    NATIONAL_STATUS_NAMES,
    DossierExtended,
    DossierStatusChanged,
)

AT = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)  # 14:00 Hà Nội time
BEFORE = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)  # 17:00
AFTER = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
REASON = "Cần xác minh thực địa ranh giới thửa đất với hộ liền kề"


async def test_extension_mail_gives_the_apology_and_the_new_date(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email="mai@example.vn", phone="0912345678", channels=["email", "zalo"])
    milestone = dict(code=code, procedure_code="1.003560.000.00.00.H56", agency_id="000.00.14.H56")
    unchanged = make_event(  # what workflow emits beside the extension: the same status, a note
        DOSSIER_STATUS_CHANGED,
        DossierStatusChanged(
            **milestone,
            status=4,
            status_name=NATIONAL_STATUS_NAMES[4],
            previous_status=4,
            changed_at=AT,
            note=f"Gia hạn: {REASON}",
        ),
        code,
    )
    extended = make_event(
        DOSSIER_EXTENDED,
        DossierExtended(
            **milestone, extended_at=AT, previous_appointment_at=BEFORE, appointment_at=AFTER, reason=REASON
        ),
        code,
    )
    await notify.status(code, 4, event=unchanged)
    await notify.status(code, 4, event=extended)
    await notify.drain()

    [mail] = notify.smtp.inbox.to("mai@example.vn")
    assert mail["Subject"] == f"Hồ sơ {code}: xin lỗi và hẹn lại ngày trả kết quả (17:00 30/03/2026)"
    text_part = mail.get_body(preferencelist=("plain",))
    assert text_part is not None
    body = text_part.get_content()
    for expected in (
        "Kính gửi Ông/Bà Lò Thị Mai,",
        "xin lỗi Ông/Bà",
        "không thể trả kết quả đúng thời gian đã hẹn là 17 giờ 00 phút ngày 23/03/2026",
        f"Lý do: {REASON}",
        "Thời gian hẹn trả kết quả mới: 17 giờ 00 phút ngày 30/03/2026.",
        "Mẫu số 04",
    ):
        assert expected in body, expected
    assert "Được tiếp nhận" not in body and "chuyển sang trạng thái" not in body
    [zns] = await notify.zalo_messages()
    assert zns["template_data"]["trang_thai"] == "Xin lỗi, hẹn lại ngày trả kết quả"
    assert zns["template_data"]["thoi_gian"] == "17:00 30/03/2026"
    assert [d["event_type"] for d in await notify.deliveries(code)] == ["dossier.extended.v1"] * 2
