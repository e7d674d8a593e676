"""Workflow's named problems (RFC 9457), with the Vietnamese a caller reads."""

from __future__ import annotations

from collections.abc import Sequence

from dvc_common.problems import Problem
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.domain.process import ProcessStep


def catalog_invalid(reason: str) -> Problem:
    return Problem(422, "catalog-invalid", "Danh mục không hợp lệ", reason[:2000])


def procedure_not_found(code: str) -> Problem:
    return Problem(404, "procedure-not-found", "Không tìm thấy thủ tục", f"Không có thủ tục «{code}».")


def procedure_not_in_catalog(code: str) -> Problem:
    """A dossier whose procedure the catalog no longer holds cannot move."""
    return Problem(
        409, "procedure-not-found", "Không tìm thấy thủ tục", f"Thủ tục «{code}» chưa có trong danh mục."
    )


def process_not_found(process_id: int) -> Problem:
    return Problem(
        404, "process-not-found", "Không tìm thấy quy trình", f"Không có quy trình số {process_id}."
    )


def process_already_published(state: str) -> Problem:
    return Problem(
        409,
        "process-already-published",
        "Quy trình đã được công bố",
        "Quy trình đã công bố không sửa được; hãy tạo phiên bản mới.",
        state=state,
    )


def process_not_deletable(state: str) -> Problem:
    return Problem(
        409,
        "process-not-deletable",
        "Không xóa được quy trình",
        "Chỉ xóa được bản nháp chưa công bố; quy trình đã công bố được giữ lại cho các hồ sơ đã áp dụng.",
        state=state,
    )


def agency_not_performing(procedure_code: str, agency_id: str, performing: Sequence[str]) -> Problem:
    return Problem(
        422,
        "agency-not-performing",
        "Cơ quan không thực hiện thủ tục này",
        f"Cơ quan «{agency_id}» không có trong danh sách cơ quan thực hiện thủ tục {procedure_code}; "
        f"chọn một trong: {', '.join(performing[:20])}{' …' if len(performing) > 20 else ''}.",
        performing=list(performing),
    )


def agency_unknown(agency_id: str, step_name: str) -> Problem:
    return Problem(
        422,
        "agency-unknown",
        "Cơ quan phối hợp không tồn tại",
        f"Bước «{step_name[:200]}» chỉ định cơ quan «{agency_id[:40]}» không có trong danh mục cơ quan; "
        "hãy chọn mã cơ quan đúng.",
    )


def process_invalid(reasons: list[str]) -> Problem:
    return Problem(
        422,
        "process-invalid",
        "Quy trình chưa hợp lệ",
        "Không thể công bố quy trình: " + " ".join(reasons),
        reasons=reasons,
    )


def other_agency_data(actor_agency: str | None, agency_id: str) -> Problem:
    return Problem(
        403,
        "other-agency",
        "Không thuộc cơ quan của bạn",
        f"Cán bộ của cơ quan {actor_agency} không được thao tác với dữ liệu của cơ quan {agency_id}.",
    )


def dossier_not_found(code: str) -> Problem:
    return Problem(404, "dossier-not-found", "Không tìm thấy hồ sơ", f"Không có hồ sơ mang mã «{code}».")


def too_many_lookups(retry_after_seconds: float) -> Problem:
    return Problem(
        429,
        "too-many-requests",
        "Tra cứu quá nhiều lần",
        "Vui lòng thử lại sau ít phút.",
        headers={"Retry-After": str(max(1, int(retry_after_seconds) + 1))},
    )


def bad_cursor() -> Problem:
    return Problem(
        422,
        "bad-cursor",
        "Con trỏ phân trang không hợp lệ",
        "Hãy dùng giá trị next_cursor của trang trước.",
    )


def department_required() -> Problem:
    return Problem(
        422, "department-required", "Thiếu phòng", "Hãy chọn phòng (department) để xem hồ sơ của phòng."
    )


def not_the_owner() -> Problem:
    return Problem(
        403,
        "forbidden",
        "Không có quyền",
        "Bạn chỉ được rút hồ sơ của chính mình; thành phần bổ sung nộp tại cổng nộp hồ sơ.",
    )


def other_agency_dossier(code: str, agency_id: str, actor_agency: str | None) -> Problem:
    return Problem(
        403,
        "other-agency",
        "Hồ sơ không thuộc cơ quan của bạn",
        f"Hồ sơ {code} do cơ quan {agency_id} giải quyết; cán bộ của cơ quan "
        f"{actor_agency} không được thao tác.",
    )


def role_required(action: Action, needed: str) -> Problem:
    return Problem(403, "forbidden", "Không có quyền", f"Thao tác «{action.label_vi}» cần vai trò: {needed}.")


def state_conflict(status: int, version: int) -> Problem:
    return Problem(
        409,
        "state-conflict",
        "Hồ sơ đã thay đổi",
        f"Hồ sơ đang ở trạng thái {status} «{lc.status_name(status)}» (phiên bản "
        f"{version}), khác với trạng thái bạn đang xem; vui lòng tải lại.",
        current_status=status,
        current_version=version,
        allowed_actions=[a.value for a in lc.allowed_actions(status)],
    )


def illegal_transition(status: int, reason: str) -> Problem:
    return Problem(
        409,
        "illegal-transition",
        "Thao tác không hợp lệ với trạng thái hiện tại",
        reason,
        current_status=status,
        current_status_name=lc.status_name(status),
        allowed_actions=[a.value for a in lc.allowed_actions(status)],
    )


def deadline_rule(status: int, reason: str) -> Problem:
    return Problem(
        409,
        "deadline-rule",
        "Không thực hiện được theo quy định về thời hạn",
        reason,
        current_status=status,
    )


def reason_required(action: Action) -> Problem:
    return Problem(422, "reason-required", "Thiếu lý do", f"Thao tác «{action.label_vi}» phải ghi rõ lý do.")


def assignee_required() -> Problem:
    return Problem(
        422,
        "assignee-required",
        "Thiếu người hoặc phòng được phân công",
        "Hãy chọn cán bộ hoặc phòng xử lý.",
    )


def assignee_unknown(subject: str) -> Problem:
    return Problem(
        422,
        "assignee-unknown",
        "Không có cán bộ được chọn",
        f"Không tìm thấy cán bộ có mã «{subject[:64]}»; hãy chọn cán bộ trong danh sách cán bộ của cơ quan.",
    )


def assignee_not_assignable(name: str, why: str) -> Problem:
    return Problem(
        422, "assignee-not-assignable", "Không phân công được cho cán bộ này", f"Cán bộ {name} {why}."
    )


def department_unknown(department: str, known: Sequence[str]) -> Problem:
    listed = ", ".join(known) if known else "cơ quan chưa có phòng nào có cán bộ"
    return Problem(
        422,
        "department-unknown",
        "Không có phòng được chọn",
        f"Cơ quan không có phòng «{department[:100]}»; chọn một trong: {listed}.",
        departments=list(known),
    )


def markup_in_name() -> Problem:
    return Problem(
        422,
        "markup-in-name",
        "Tên không hợp lệ",
        "Tên cán bộ không được chứa thẻ HTML hay ký tự < >; hãy chọn cán bộ trong danh sách.",
    )


def no_process() -> Problem:
    return Problem(
        409,
        "no-process",
        "Hồ sơ chưa gắn quy trình nội bộ",
        "Thủ tục chưa có quy trình nội bộ được công bố.",
    )


def illegal_next_step(step: ProcessStep) -> Problem:
    return Problem(
        409,
        "illegal-step",
        "Bước chuyển không hợp lệ",
        f"Từ bước «{step.name}» chỉ được chuyển tới: {', '.join(step.next) or 'không có'}.",
        allowed_steps=step.next,
    )


def to_step_required() -> Problem:
    return Problem(422, "to-step-required", "Thiếu bước trả lại", "Hãy chọn bước trước để trả lại hồ sơ.")


def illegal_earlier_step(step: ProcessStep) -> Problem:
    return Problem(
        409,
        "illegal-step",
        "Bước trả lại không hợp lệ",
        f"Chỉ được trả lại một bước đứng trước bước «{step.name}».",
    )


def agency_required() -> Problem:
    return Problem(
        422,
        "agency-required",
        "Thiếu cơ quan phối hợp",
        "Hãy chọn cơ quan khác để chuyển liên thông.",
    )


def extension_required() -> Problem:
    return Problem(422, "extension-required", "Thiếu thời gian gia hạn", "Hãy nêu thời gian gia hạn thêm.")


def delivery_method_not_offered(offered: Sequence[str]) -> Problem:
    return Problem(
        422,
        "delivery-method",
        "Hình thức trả kết quả không hợp lệ",
        f"Thủ tục này trả kết quả theo: {', '.join(DELIVERY_VI.get(m, m) for m in offered)}.",
        allowed=list(offered),
    )


DELIVERY_VI = {"counter": "tại Bộ phận Một cửa", "post": "qua dịch vụ bưu chính", "online": "trực tuyến"}


def result_document_required() -> Problem:
    return Problem(
        422,
        "result-document-required",
        "Chưa có kết quả điện tử",
        "Trả kết quả trực tuyến cần bản điện tử của kết quả giải quyết: hãy đính kèm kết quả vào hồ sơ "
        "(vào kho dữ liệu của người nộp) rồi trả kết quả.",
    )


def register_forbidden() -> Problem:
    return Problem(
        403,
        "forbidden",
        "Không có quyền",
        "Sổ theo dõi hồ sơ chỉ dành cho cán bộ của cơ quan và Văn phòng UBND tỉnh.",
    )


def register_period_invalid(max_days: int) -> Problem:
    return Problem(
        422,
        "register-period-invalid",
        "Kỳ của sổ không hợp lệ",
        f"Ngày bắt đầu phải không sau ngày kết thúc, và một kỳ dài nhất {max_days} ngày.",
    )
