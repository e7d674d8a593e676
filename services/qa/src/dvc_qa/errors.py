"""Q&A's named problems (Vietnamese messages for the citizen and the officer)."""

from __future__ import annotations

from uuid import UUID

from dvc_common.problems import Problem
from dvc_qa.domain.questions import Refusal
from dvc_qa.domain.rules import Violation


def rejected(violations: list[Violation]) -> Problem:
    """The question (or answer, or FAQ entry) breaks the rules of the section; every violation listed."""
    return Problem(
        422,
        "question-rejected",
        "Câu hỏi chưa đáp ứng quy định",
        " ".join(v.reason for v in violations),
        violations=[{"code": v.code, "field": v.field, "reason": v.reason} for v in violations],
    )


def vneid_required() -> Problem:
    return Problem(
        403,
        "vneid-required",
        "Cần đăng nhập bằng tài khoản VNeID",
        "Câu hỏi phải được gửi bằng tài khoản định danh điện tử VNeID của tổ chức, cá nhân (Điều 24 khoản 2).",
    )


def question_not_found(question_id: UUID) -> Problem:
    return Problem(404, "question-not-found", "Không tìm thấy câu hỏi", f"Không có câu hỏi {question_id}.")


def answered_question_not_found() -> Problem:
    """The public sees answered questions only: an unanswered one does not exist for it."""
    return Problem(
        404, "question-not-found", "Không tìm thấy câu hỏi", "Câu hỏi không có hoặc chưa được trả lời."
    )


_REFUSALS = {
    Refusal.OTHER_AGENCY: (
        403,
        "other-agency",
        "Câu hỏi không gửi đến cơ quan của bạn",
        "Chỉ cơ quan nhận câu hỏi mới được xử lý, trả lời câu hỏi này.",
    ),
    Refusal.NOT_FOCAL_OFFICER: (
        403,
        "focal-officer-required",
        "Cần công chức đầu mối",
        "Chỉ công chức đầu mối hỏi - đáp của cơ quan được trả lời, chuyển, đăng tải hoặc từ chối câu hỏi.",
    ),
    Refusal.NOT_COORDINATING: (
        403,
        "not-coordinating",
        "Cơ quan không được mời phối hợp",
        "Chỉ các cơ quan được mời phối hợp mới góp ý cho câu hỏi này.",
    ),
    Refusal.WRONG_STATE: (
        409,
        "wrong-question-state",
        "Trạng thái câu hỏi không cho phép thao tác này",
        "Câu hỏi đã ở trạng thái khác; vui lòng tải lại.",
    ),
}


def refused(why: Refusal, current_status: str) -> Problem:
    """Why this officer may not do this to the question in its current state."""
    status, slug, title, detail = _REFUSALS[why]
    return Problem(status, slug, title, detail, current_status=current_status)


def version_mismatch(current_version: int) -> Problem:
    return Problem(
        409,
        "version-mismatch",
        "Câu hỏi vừa được cập nhật",
        "Câu hỏi đã được người khác cập nhật; vui lòng tải lại.",
        current_version=current_version,
    )


def text_required(field: str, min_chars: int) -> Problem:
    return Problem(
        422,
        "text-required",
        "Thiếu nội dung",
        f"Vui lòng nhập nội dung (ít nhất {min_chars} ký tự).",
        field=field,
    )


def answerer_unknown() -> Problem:
    return Problem(
        422,
        "answerer-unknown",
        "Thiếu họ tên hoặc chức vụ người trả lời",
        "Câu trả lời phải ghi họ và tên, chức vụ của người trả lời; tài khoản chưa có thông tin này.",
    )


def coordinating_agencies_invalid(unknown: list[str]) -> Problem:
    return Problem(
        422,
        "unknown-agency",
        "Cơ quan phối hợp không hợp lệ",
        "Vui lòng chọn ít nhất một cơ quan phối hợp khác có trong danh mục.",
        unknown=unknown,
    )


def every_agency_forbidden() -> Problem:
    return Problem(
        403,
        "forbidden",
        "Không có quyền",
        "Chỉ Văn phòng UBND tỉnh và kiểm tra, thanh tra xem được câu hỏi của mọi cơ quan.",
    )


def bad_cursor() -> Problem:
    return Problem(400, "bad-cursor", "Con trỏ trang không hợp lệ", "Hãy dùng next_cursor của trang trước.")


def faq_not_found(faq_id: int | None) -> Problem:
    return Problem(404, "faq-not-found", "Không tìm thấy câu hỏi thường gặp", f"Không có mục {faq_id}.")
