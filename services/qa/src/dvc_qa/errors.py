"""Q&A's named problems (Vietnamese messages for the citizen and the officer)."""

from __future__ import annotations

from dvc_common.problems import Problem
from dvc_qa.domain.questions import Refusal
from dvc_qa.domain.rules import Violation


def rejected(violations: list[Violation]) -> Problem:
    return Problem(
        422,
        "question-rejected",
        "Câu hỏi chưa đáp ứng quy định",
        " ".join(v.reason for v in violations),
        violations=[{"code": v.code, "field": v.field, "reason": v.reason} for v in violations],
    )


REFUSALS = {
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
