"""Intake's named problems (RFC 9457): what went wrong and what to do, in Vietnamese."""

from __future__ import annotations

from typing import Any

from dvc_common.problems import Problem

FORBIDDEN_TITLE = "Không có quyền"


def dossier_not_found(code: str) -> Problem:
    """Also what someone who may not read a dossier gets: no existence oracle."""
    return Problem(404, "dossier-not-found", "Không tìm thấy hồ sơ", f"Không có hồ sơ mang mã «{code}».")


def invalid_dossier_code() -> Problem:
    return Problem(
        422, "invalid-dossier-code", "Mã hồ sơ không hợp lệ", "Mã hồ sơ có dạng <mã cơ quan>-YYMMDD-NNNN."
    )


def too_many_lookups(wait_seconds: float) -> Problem:
    return Problem(
        429,
        "too-many-requests",
        "Tra cứu quá nhiều lần",
        "Vui lòng thử lại sau ít phút.",
        headers={"Retry-After": str(max(1, int(wait_seconds) + 1))},
    )


def citizens_only(what: str) -> Problem:
    """The data store is the citizen's or organisation's own (`what`: «kho hồ sơ», «kho dữ liệu»)."""
    return Problem(403, "forbidden", FORBIDDEN_TITLE, f"Chỉ công dân, tổ chức xem {what} của mình.")


def invalid_json(message: str) -> Problem:
    return Problem(
        422, "invalid-json", "Phần `dossier` không phải JSON hợp lệ", f"Lỗi cú pháp JSON: {message}."
    )


def invalid_dossier(errors: list[dict[str, str]]) -> Problem:
    return Problem(
        422,
        "invalid-dossier",
        "Thông tin hồ sơ không hợp lệ",
        "Vui lòng kiểm tra các trường được liệt kê trong `errors`.",
        errors=errors,
    )


def nothing_submitted() -> Problem:
    """Neither files nor reused documents: worded like the framework's own missing-field answer."""
    return Problem(
        422,
        "invalid-request",
        "Yêu cầu không hợp lệ",
        "Hồ sơ phải có tệp đính kèm (trường `files`) hoặc giấy tờ dùng lại từ kho dữ liệu (`reuse`).",
        errors=[{"field": "body.files", "message": "Field required"}],
    )


def procedure_not_in_catalog(code: str) -> Problem:
    return Problem(
        422,
        "unknown-procedure",
        "Thủ tục không tồn tại",
        f"Không tìm thấy thủ tục hành chính có mã «{code}» trong danh mục đang áp dụng.",
    )


def invalid_eform(errors: list[dict[str, str]]) -> Problem:
    return Problem(
        422,
        "invalid-eform",
        "Tờ khai điện tử không hợp lệ",
        "Vui lòng sửa các mục của tờ khai được liệt kê trong `errors`.",
        errors=errors,
    )


def result_delivery_not_offered(offered: list[str]) -> Problem:
    return Problem(
        422,
        "result-delivery-not-offered",
        "Hình thức nhận kết quả không áp dụng",
        f"Thủ tục này trả kết quả qua: {', '.join(offered)}.",
    )


def counter_only() -> Problem:
    return Problem(
        403,
        "counter-only",
        "Chỉ cán bộ một cửa nộp trực tiếp",
        "Hồ sơ nộp trực tiếp (kênh 1) do cán bộ Bộ phận Một cửa tiếp nhận và số hoá.",
    )


def digitised_counter_only() -> Problem:
    return Problem(
        422, "digitised-counter-only", "Số hoá chỉ ở quầy", "Chỉ hồ sơ nộp trực tiếp mới ghi nhận số hoá."
    )


def invalid_digitised() -> Problem:
    return Problem(
        422,
        "invalid-digitised",
        "Số thứ tự tệp số hoá không hợp lệ",
        "`digitised` chỉ gồm số thứ tự các tệp gửi kèm.",
    )


def reuse_needs_login() -> Problem:
    return Problem(
        401,
        "reuse-needs-login",
        "Cần đăng nhập",
        "Dùng lại giấy tờ trong kho dữ liệu cần đăng nhập bằng tài khoản định danh điện tử (VNeID).",
    )


def reuse_owner_only() -> Problem:
    return Problem(
        403,
        "reuse-owner-only",
        "Cán bộ không được dùng lại giấy tờ trong kho dữ liệu",
        "Chỉ chủ hồ sơ tự dùng lại giấy tờ trong kho dữ liệu của mình khi nộp trực tuyến. Hệ thống chưa"
        " ghi nhận sự đồng ý của chủ hồ sơ cho cán bộ dùng lại giấy tờ: vui lòng tiếp nhận bản giấy tờ"
        " người nộp mang đến và số hoá.",
    )


def stored_document_not_found(dossier_code: str, position: int) -> Problem:
    return Problem(
        422,
        "stored-document-not-found",
        "Không tìm thấy giấy tờ trong kho dữ liệu",
        f"Kho dữ liệu của bạn không có tệp số {position} của hồ sơ «{dossier_code}».",
        dossier_code=dossier_code,
        position=position,
    )


def signature_required() -> Problem:
    return Problem(
        422,
        "signature-required",
        "Tờ khai phải được ký số",
        "Thủ tục này yêu cầu tờ khai (PDF) có chữ ký số; tệp đã gửi không có chữ ký số hợp lệ.",
    )


def no_files() -> Problem:
    return Problem(
        422, "no-files", "Thiếu tài liệu", "Hồ sơ phải có ít nhất một tệp đính kèm (trường `files`)."
    )


def too_many_files(max_files: int) -> Problem:
    return Problem(422, "too-many-files", "Quá nhiều tệp", f"Mỗi hồ sơ được đính kèm tối đa {max_files} tệp.")


def _file(status: int, slug: str, title: str, detail: str, name: str, **more: Any) -> Problem:
    """A problem about one uploaded file: its (sanitised) name goes in `file`."""
    return Problem(status, slug, title, detail, file=name, **more)


def unsafe_file_name(raw: str) -> Problem:
    return _file(
        422,
        "unsafe-file-name",
        "Tên tệp không hợp lệ",
        "Tên tệp không được chứa đường dẫn (/, \\, ..) hay ký tự ổ đĩa.",
        raw,
    )


def empty_file(name: str) -> Problem:
    return _file(422, "empty-file", "Tệp rỗng", f"Tệp «{name}» không có nội dung.", name)


def file_too_large(name: str, max_bytes: int) -> Problem:
    return _file(
        413,
        "file-too-large",
        "Tệp quá lớn",
        f"Tệp «{name}» vượt quá dung lượng cho phép {max_bytes // (1024 * 1024)} MB.",
        name,
    )


def unsupported_file_type(name: str, accepted: str) -> Problem:
    return _file(
        415,
        "unsupported-file-type",
        "Định dạng tệp không được chấp nhận",
        f"Tệp «{name}» không phải {accepted}.",
        name,
    )


def file_type_mismatch(name: str, content_type: str) -> Problem:
    return _file(
        415,
        "file-type-mismatch",
        "Phần mở rộng không khớp nội dung tệp",
        f"Tệp «{name}» có nội dung {content_type}, không khớp với phần mở rộng của tên tệp.",
        name,
        content_type=content_type,
    )


def infected_file(name: str, signature: str | None) -> Problem:
    return _file(
        422,
        "infected-file",
        "Tệp nhiễm mã độc",
        f"Tệp «{name}» bị phần mềm diệt virus phát hiện mã độc ({signature}).",
        name,
    )


def invalid_file(name: str, reason: Exception) -> Problem:
    return _file(422, "invalid-file", "Tệp không hợp lệ", f"Tệp «{name}»: {reason}", name)


def file_not_found(code: str, position: int) -> Problem:
    return Problem(404, "file-not-found", "Không tìm thấy tệp", f"Hồ sơ «{code}» không có tệp số {position}.")


def blob_gone() -> Problem:
    return Problem(404, "file-not-found", "Không tìm thấy tệp", "Nội dung tệp không còn trong kho.")


def file_quarantined() -> Problem:
    return Problem(
        409,
        "file-quarantined",
        "Tệp đang được kiểm tra",
        "Tệp chưa qua kiểm tra mã độc nên chưa thể tải về; vui lòng thử lại sau.",
    )


def slip_not_found(code: str) -> Problem:
    return Problem(404, "slip-not-found", "Không tìm thấy phiếu", f"Hồ sơ «{code}» không có phiếu này.")


def unknown_procedure(code: str) -> Problem:
    return Problem(
        404,
        "unknown-procedure",
        "Thủ tục không tồn tại",
        f"Không tìm thấy thủ tục hành chính có mã «{code}».",
    )


def not_awaiting_supplement(code: str, status_name: str) -> Problem:
    return Problem(
        409,
        "not-awaiting-supplement",
        "Hồ sơ không ở trạng thái yêu cầu bổ sung",
        f"Hồ sơ «{code}» đang ở trạng thái «{status_name}»; chỉ bổ sung khi cơ quan yêu cầu.",
    )


def not_result_issuer() -> Problem:
    return Problem(
        403, "forbidden", FORBIDDEN_TITLE, "Chỉ cán bộ của cơ quan giải quyết hồ sơ trả kết quả điện tử."
    )
