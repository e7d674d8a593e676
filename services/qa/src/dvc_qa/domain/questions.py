"""A question's life (Lai Châu Điều 25) and who may move it.

pending ──answer──▶ answered            (the agency's focal officer answers)
pending ──forward─▶ forwarded ──draft──▶ drafted ──publish──▶ answered
                                 (a department officer drafts; the focal officer publishes)
pending | forwarded | drafted ──decline──▶ declined   (rules broken; the reason is stated)

Only answered questions are public; a draft never is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

REFERENCE_NOTICE = (
    "Nội dung trả lời chỉ có giá trị tham khảo để thực hiện thủ tục hành chính, không có giá trị pháp lý "
    "để thi hành hoặc giải quyết các quan hệ dân sự, kinh tế và các quan hệ pháp luật khác "
    "(Quy chế, Điều 23 khoản 2)."
)


class Status(StrEnum):
    PENDING = "pending"  # chờ trả lời
    FORWARDED = "forwarded"  # đã chuyển phòng chuyên môn
    DRAFTED = "drafted"  # đã có dự thảo, chờ đầu mối đăng tải
    ANSWERED = "answered"  # đã trả lời (công khai)
    DECLINED = "declined"  # không trả lời, có nêu lý do


STATUS_NAMES = {
    Status.PENDING: "Chờ trả lời",
    Status.FORWARDED: "Đã chuyển phòng chuyên môn",
    Status.DRAFTED: "Đã có dự thảo trả lời",
    Status.ANSWERED: "Đã trả lời",
    Status.DECLINED: "Không trả lời (nêu rõ lý do)",
}

OPEN = frozenset({Status.PENDING, Status.FORWARDED, Status.DRAFTED})


class Action(StrEnum):
    ANSWER = "answer"
    FORWARD = "forward"
    DRAFT = "draft"
    PUBLISH = "publish"
    DECLINE = "decline"
    COORDINATE = "coordinate"
    CONTRIBUTE = "contribute"


ALLOWED: dict[Action, frozenset[Status]] = {
    Action.ANSWER: OPEN,
    Action.FORWARD: frozenset({Status.PENDING, Status.FORWARDED, Status.DRAFTED}),
    Action.DRAFT: frozenset({Status.FORWARDED, Status.DRAFTED}),
    Action.PUBLISH: frozenset({Status.DRAFTED}),
    Action.DECLINE: OPEN,
    Action.COORDINATE: OPEN,
    Action.CONTRIBUTE: OPEN,
}

AFTER: dict[Action, Status | None] = {
    Action.ANSWER: Status.ANSWERED,
    Action.FORWARD: Status.FORWARDED,
    Action.DRAFT: Status.DRAFTED,
    Action.PUBLISH: Status.ANSWERED,
    Action.DECLINE: Status.DECLINED,
    Action.COORDINATE: None,
    Action.CONTRIBUTE: None,
}


class Refusal(StrEnum):
    WRONG_STATE = "wrong_state"
    NOT_FOCAL_OFFICER = "not_focal_officer"
    OTHER_AGENCY = "other_agency"
    NOT_COORDINATING = "not_coordinating"


@dataclass(frozen=True)
class Actor:
    """An officer as the token says: their agency and roles."""

    agency_id: str | None
    is_focal_officer: bool


def refusal(
    action: Action,
    status: Status,
    actor: Actor,
    *,
    question_agency: str,
    coordinating: frozenset[str] = frozenset(),
) -> Refusal | None:
    """Why `actor` may not do `action` on a question in `status` (None: allowed)."""
    if action is Action.CONTRIBUTE:
        if actor.agency_id not in coordinating:
            return Refusal.NOT_COORDINATING
    elif actor.agency_id != question_agency:
        return Refusal.OTHER_AGENCY
    elif action is not Action.DRAFT and not actor.is_focal_officer:
        return Refusal.NOT_FOCAL_OFFICER
    if status not in ALLOWED[action]:
        return Refusal.WRONG_STATE
    return None


def next_status(action: Action, status: Status) -> Status:
    after = AFTER[action]
    return status if after is None else after
