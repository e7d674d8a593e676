"""Payments' named problems (RFC 9457), in Vietnamese."""

from __future__ import annotations

from dvc_common.problems import Problem
from dvc_payments.models import PaymentRequest


def money(amount: int) -> str:
    """VND as Vietnamese write it: 200.000 đ."""
    return f"{amount:,}".replace(",", ".") + " đ"


def unavailable() -> Problem:
    return Problem(
        503,
        "payment-platform-unavailable",
        "Nền tảng thanh toán tạm thời không phản hồi",
        "Chưa có khoản tiền nào bị trừ từ giao dịch này. Vui lòng thử lại sau ít phút.",
        headers={"Retry-After": "30"},
    )


def not_found(payment_id: str) -> Problem:
    return Problem(
        404,
        "payment-not-found",
        "Không tìm thấy khoản thanh toán",
        f"Không có khoản thanh toán {payment_id}.",
    )


def cancelled(request: PaymentRequest) -> Problem:
    return Problem(
        409,
        "payment-cancelled",
        "Khoản phí này đã được hủy",
        f"Hồ sơ {request.dossier_code} đã rút hoặc dừng xử lý; không thu phí.",
        payment_id=request.id,
    )


def already_paid(request: PaymentRequest) -> Problem:
    return Problem(
        409,
        "already-paid",
        "Khoản phí này đã được thanh toán",
        f"Hồ sơ {request.dossier_code} đã thanh toán {money(request.amount)}; không thu thêm.",
        payment_id=request.id,
        status_code=request.status,
        receipt_url=f"/api/v1/payments/{request.id}/receipt",
    )


def not_own_agency() -> Problem:
    return Problem(403, "forbidden", "Không có quyền", "Chỉ cấu hình được phí, tài khoản của cơ quan mình.")


def officer_cannot_pay() -> Problem:
    """A reader who may not pay: only the dossier's applicant (or, at the counter, its officer)."""
    return Problem(
        403,
        "forbidden",
        "Không có quyền",
        "Người nộp hồ sơ tự thực hiện thanh toán trực tuyến; hồ sơ nộp trực tiếp do cán bộ Bộ phận Một"
        " cửa của cơ quan giải quyết thực hiện.",
    )


def platform_refused(code: str, message: str) -> Problem:
    return Problem(
        502,
        "payment-platform-refused",
        "Nền tảng thanh toán từ chối khởi tạo giao dịch",
        f"Nền tảng thanh toán trả lời: {message} (mã {code}). Chưa có khoản tiền nào bị trừ.",
    )


def invalid_message() -> Problem:
    return Problem(
        400,
        "invalid-message",
        "Thông điệp không hợp lệ",
        "Thông điệp phải là một đối tượng JSON theo đặc tả của nền tảng thanh toán: các trường là chuỗi"
        " ký tự, SoTien là số nguyên (đồng).",
    )


def bad_checksum() -> Problem:
    return Problem(400, "bad-checksum", "Sai mã xác thực", "MaXacThuc không khớp; thông điệp bị từ chối.")


def unknown_reference(reference: str | None) -> Problem:
    return Problem(404, "unknown-reference", "Không tìm thấy giao dịch", f"Không có giao dịch {reference}.")


def receipt_not_found() -> Problem:
    return Problem(
        404, "receipt-not-found", "Chưa có chứng từ", "Khoản thanh toán này chưa có chứng từ nộp ngân sách."
    )


def receipt_forbidden() -> Problem:
    return Problem(
        403, "forbidden", "Không có quyền", "Chỉ người nộp tiền và cơ quan giải quyết được xem chứng từ."
    )


def mismatch_not_found(mismatch_id: int) -> Problem:
    return Problem(
        404, "mismatch-not-found", "Không tìm thấy sai lệch", f"Không có sai lệch số {mismatch_id}."
    )


def unknown_agency(agency_id: str) -> Problem:
    return Problem(
        404,
        "agency-not-found",
        "Không tìm thấy cơ quan",
        f"Không có cơ quan mã {agency_id} trong danh mục cơ quan của tỉnh; kiểm tra lại mã cơ quan.",
    )


def agency_does_not_perform(procedure_code: str, agency_id: str) -> Problem:
    return Problem(
        404,
        "agency-does-not-perform",
        "Cơ quan không thực hiện thủ tục này",
        f"Theo danh mục thủ tục, cơ quan mã {agency_id} không thực hiện thủ tục {procedure_code}; chỉ cấu hình"
        " phí, lệ phí cho cơ quan thực hiện thủ tục.",
    )


def not_payable_at_counter() -> Problem:
    return Problem(
        403,
        "forbidden",
        "Không có quyền",
        "Chỉ cán bộ Bộ phận Một cửa của cơ quan giải quyết hoặc cơ quan tiếp nhận hồ sơ được ghi nhận "
        "khoản thu tại quầy.",
    )
