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
        errors=[{"field": "body.files", "message": "Bắt buộc phải có"}],
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
        "Thủ tục này trả kết quả: " + ", ".join(DELIVERY_NAMES.get(o, o) for o in offered) + ".",
    )


DELIVERY_NAMES = {"online": "trực tuyến", "counter": "tại Bộ phận Một cửa", "post": "qua bưu chính"}


def counter_only() -> Problem:
    return Problem(
        403,
        "counter-only",
        "Chỉ cán bộ một cửa nhập hồ sơ trực tiếp, qua bưu chính",
        "Hồ sơ nộp trực tiếp (kênh 1) hoặc gửi qua bưu chính (kênh 3) do cán bộ Bộ phận Một cửa tiếp"
        " nhận và số hoá.",
    )


def vneid_login_required() -> Problem:
    """Lai Châu Điều 9.1, Điện Biên Điều 11.2: online submission is by a VNeID account."""
    return Problem(
        401,
        "vneid-login-required",
        "Cần đăng nhập bằng VNeID để nộp trực tuyến",
        "Nộp hồ sơ trực tuyến cần đăng nhập bằng tài khoản định danh điện tử VNeID. Nếu chưa có tài"
        " khoản VNeID, vui lòng nộp hồ sơ trực tiếp tại Bộ phận Một cửa hoặc gửi qua dịch vụ bưu chính"
        " công ích; cán bộ một cửa sẽ hỗ trợ tạo tài khoản.",
    )


def officer_not_online_applicant() -> Problem:
    return Problem(
        403,
        "officer-not-online-applicant",
        "Cán bộ không nộp hồ sơ trực tuyến",
        "Hồ sơ trực tuyến do công dân, tổ chức tự nộp bằng tài khoản VNeID. Cán bộ một cửa nhập hồ sơ"
        " nhận tại quầy (kênh 1) hoặc qua bưu chính (kênh 3) và ghi số định danh của người nộp.",
    )


def owner_not_found(identifier: str) -> Problem:
    return Problem(
        422,
        "owner-not-found",
        "Không tìm thấy chủ hồ sơ",
        f"Không có công dân, tổ chức nào mang số định danh «{identifier}». Vui lòng kiểm tra lại số trên"
        " giấy tờ của người nộp, hoặc hướng dẫn họ tạo tài khoản VNeID trước khi nhập hồ sơ.",
        field="owner_identifier",
    )


def invalid_owner_identifier(identifier: str) -> Problem:
    return Problem(
        422,
        "invalid-owner-identifier",
        "Số định danh không hợp lệ",
        f"«{identifier}» không phải số định danh cá nhân (12 chữ số) hoặc mã số tổ chức hợp lệ.",
        field="owner_identifier",
    )


def identity_unavailable() -> Problem:
    return Problem(
        503,
        "identity-unavailable",
        "Chưa xác thực được chủ hồ sơ",
        "Hệ thống định danh tạm thời không trả lời; hồ sơ chưa được nhập. Vui lòng thử lại sau ít phút.",
    )


def owner_needs_counter() -> Problem:
    return Problem(
        422,
        "owner-counter-only",
        "Chỉ ghi chủ hồ sơ khi nhập tại quầy",
        "Số định danh chủ hồ sơ và người được ủy quyền chỉ do cán bộ một cửa ghi khi nhập hồ sơ trực"
        " tiếp hoặc qua bưu chính; hồ sơ trực tuyến thuộc tài khoản VNeID đang đăng nhập.",
    )


def agency_not_performing(requested: str, choices: list[tuple[str, str]]) -> Problem:
    return Problem(
        422,
        "agency-not-performing",
        "Cơ quan không thực hiện thủ tục này",
        f"Cơ quan «{requested}» không thực hiện thủ tục này. Vui lòng chọn một trong: "
        + "; ".join(f"{name} ({agency})" for agency, name in choices)
        + ".",
        field="agency_id",
        choices=[agency for agency, _ in choices],
    )


def agency_choice_required(choices: list[tuple[str, str]]) -> Problem:
    return Problem(
        422,
        "agency-choice-required",
        "Chưa chọn cơ quan thực hiện",
        "Thủ tục này do nhiều cơ quan thực hiện; vui lòng chọn cơ quan (trường `agency_id`) trong: "
        + "; ".join(f"{name} ({agency})" for agency, name in choices)
        + ".",
        field="agency_id",
        choices=[agency for agency, _ in choices],
    )


def not_receiving_agency() -> Problem:
    return Problem(
        403,
        "not-receiving-agency",
        "Bộ phận Một cửa không tiếp nhận thủ tục này",
        "Cơ quan của bạn không thực hiện và không tiếp nhận hồ sơ của thủ tục này cho cơ quan đã chọn;"
        " hồ sơ phải nộp tại Bộ phận Một cửa của cơ quan thực hiện hoặc cơ quan tiếp nhận của thủ tục.",
    )


def missing_components(names: list[str]) -> Problem:
    return Problem(
        422,
        "missing-components",
        "Thiếu thành phần hồ sơ",
        "Hồ sơ còn thiếu: " + "; ".join(f"«{n}»" for n in names) + ". Vui lòng đính kèm đủ các thành"
        " phần (trường `components` cho biết mỗi tệp là thành phần số mấy).",
        missing=names,
    )


def invalid_components(count: int) -> Problem:
    return Problem(
        422,
        "invalid-components",
        "Thành phần hồ sơ không hợp lệ",
        f"`components` ghi cho mỗi tệp gửi kèm (theo thứ tự) số thứ tự thành phần hồ sơ, từ 1 đến {count}.",
        field="components",
    )


def digitised_counter_only() -> Problem:
    return Problem(
        422,
        "digitised-counter-only",
        "Số hoá chỉ ở Bộ phận Một cửa",
        "Chỉ hồ sơ nộp trực tiếp hoặc qua bưu chính mới ghi nhận thành phần được số hoá.",
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


def not_multipart() -> Problem:
    return Problem(
        415,
        "not-multipart",
        "Sai kiểu dữ liệu gửi lên",
        "Hồ sơ và tệp đính kèm được gửi dạng multipart/form-data (phần `dossier` và các phần `files`).",
    )


def invalid_multipart() -> Problem:
    return Problem(
        422,
        "invalid-request",
        "Yêu cầu không hợp lệ",
        "Dữ liệu multipart/form-data không đọc được; vui lòng gửi lại phần `dossier` và các tệp `files`.",
    )


def missing_part(name: str) -> Problem:
    return Problem(
        422,
        "invalid-request",
        "Yêu cầu không hợp lệ",
        f"Thiếu phần `{name}` của biểu mẫu gửi lên.",
        errors=[{"field": f"body.{name}", "message": "Bắt buộc phải có"}],
    )


def request_too_large(max_bytes: int, max_files: int) -> Problem:
    return Problem(
        413,
        "request-too-large",
        "Dữ liệu gửi lên quá lớn",
        f"Mỗi lần nộp tối đa {max_files} tệp, mỗi tệp không quá {_size(max_bytes)}.",
    )


def too_many_files(max_files: int) -> Problem:
    return Problem(422, "too-many-files", "Quá nhiều tệp", f"Mỗi hồ sơ được đính kèm tối đa {max_files} tệp.")


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


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
        f"Tệp «{name}» vượt quá dung lượng cho phép {_size(max_bytes)}.",
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


ACTIVE_CONTENT_NAMES = {
    "JavaScript": "mã JavaScript",
    "OpenAction": "lệnh tự chạy khi mở tệp",
    "Launch": "lệnh khởi chạy chương trình",
    "EmbeddedFile": "tệp nhúng bên trong",
    "SubmitForm": "lệnh gửi dữ liệu ra ngoài",
}


def active_pdf_content(name: str, kind: str) -> Problem:
    return _file(
        422,
        "active-pdf-content",
        "Tệp PDF chứa nội dung thực thi",
        f"Tệp «{name}» chứa {ACTIVE_CONTENT_NAMES.get(kind, kind)}, không được chấp nhận. Vui lòng in ra"
        " PDF thông thường (hoặc quét lại giấy tờ) rồi nộp lại.",
        name,
        active_content=kind,
    )


def zip_bomb(name: str) -> Problem:
    return _file(
        422,
        "unsafe-archive",
        "Tệp nén không an toàn",
        f"Tệp «{name}» khi giải nén vượt quá dung lượng cho phép hoặc chứa tệp nén lồng bên trong; vui lòng"
        " nộp từng giấy tờ dưới dạng PDF hoặc ảnh.",
        name,
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
