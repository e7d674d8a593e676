"""The dossier lifecycle as national status codes (domain-rules §3): which action is allowed from which
status, by whom. The service applies them under a row lock; this module only answers questions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dvc_common.events import NationalStatus

# The lifecycle's names for the national statuses.
NEWLY_REGISTERED = NationalStatus.NEW
RECEIVED = NationalStatus.RECEIVED
NOT_RECEIVED = NationalStatus.NOT_RECEIVED
PROCESSING = NationalStatus.PROCESSING
SUPPLEMENT_REQUESTED = NationalStatus.SUPPLEMENT_REQUESTED
AWAITING_PAYMENT = NationalStatus.FINANCIAL_OBLIGATION
WITHDRAWN = NationalStatus.WITHDRAWN
STOPPED = NationalStatus.STOPPED
RESULT_READY = NationalStatus.RESOLVED
RESULT_RETURNED = NationalStatus.RESULT_RETURNED

OPEN_STATUSES = frozenset({NEWLY_REGISTERED, RECEIVED, PROCESSING, SUPPLEMENT_REQUESTED, AWAITING_PAYMENT})
"""Statuses in which a dossier is still in somebody's work queue (9 waits for the return)."""
QUEUE_STATUSES = frozenset({*OPEN_STATUSES, RESULT_READY})


def status_name(status: int) -> str:
    return NationalStatus(status).label_vi


class Action(StrEnum):
    ACCEPT = "accept"  # tiếp nhận
    REJECT = "reject"  # từ chối tiếp nhận / từ chối giải quyết
    REQUEST_SUPPLEMENT = "request_supplement"  # yêu cầu bổ sung
    RESUBMIT = "resubmit"  # tiếp nhận hồ sơ bổ sung
    ASSIGN = "assign"  # phân công
    FORWARD = "forward"  # chuyển bước tiếp theo
    SEND_BACK = "send_back"  # trả lại bước trước
    TRANSFER = "transfer"  # chuyển liên thông sang cơ quan khác
    EXTEND = "extend"  # gia hạn, kèm văn bản xin lỗi
    STOP = "stop"  # dừng xử lý
    WITHDRAW = "withdraw"  # rút hồ sơ
    RETURN_RESULT = "return_result"  # trả kết quả

    @property
    def label_vi(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "Tiếp nhận hồ sơ",
    Action.REJECT: "Từ chối hồ sơ",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    Action.RESUBMIT: "Tiếp nhận hồ sơ bổ sung",
    Action.ASSIGN: "Phân công xử lý",
    Action.FORWARD: "Chuyển bước xử lý",
    Action.SEND_BACK: "Trả lại bước trước",
    Action.TRANSFER: "Chuyển liên thông sang cơ quan khác",
    Action.EXTEND: "Gia hạn, xin lỗi và hẹn lại ngày trả kết quả",
    Action.STOP: "Dừng xử lý hồ sơ",
    Action.WITHDRAW: "Rút hồ sơ",
    Action.RETURN_RESULT: "Trả kết quả",
}

_IN_PROCESS = frozenset({RECEIVED, PROCESSING})

ALLOWED_FROM: dict[Action, frozenset[int]] = {
    Action.ACCEPT: frozenset({NEWLY_REGISTERED}),
    Action.REJECT: frozenset({NEWLY_REGISTERED, *_IN_PROCESS}),
    Action.REQUEST_SUPPLEMENT: frozenset({NEWLY_REGISTERED, *_IN_PROCESS}),
    Action.RESUBMIT: frozenset({SUPPLEMENT_REQUESTED}),
    Action.ASSIGN: _IN_PROCESS,
    Action.FORWARD: _IN_PROCESS,
    Action.SEND_BACK: frozenset({PROCESSING}),
    Action.TRANSFER: _IN_PROCESS,
    Action.EXTEND: frozenset({*_IN_PROCESS, AWAITING_PAYMENT}),
    Action.STOP: frozenset({*_IN_PROCESS, SUPPLEMENT_REQUESTED, AWAITING_PAYMENT}),
    Action.WITHDRAW: frozenset({NEWLY_REGISTERED, *_IN_PROCESS, SUPPLEMENT_REQUESTED, AWAITING_PAYMENT}),
    Action.RETURN_RESULT: frozenset({RESULT_READY}),
}

ONE_STOP = "one_stop_officer"
LEADERS = frozenset({"department_head", "agency_leader"})

ROLES: dict[Action, frozenset[str]] = {
    Action.ACCEPT: frozenset({ONE_STOP}),
    Action.REJECT: frozenset({ONE_STOP, *LEADERS}),
    Action.REQUEST_SUPPLEMENT: frozenset({ONE_STOP, "processing_officer", *LEADERS}),
    Action.RESUBMIT: frozenset({ONE_STOP}),
    Action.ASSIGN: LEADERS,
    Action.FORWARD: frozenset(),  # the current step's role (see `may_act_on_step`)
    Action.SEND_BACK: frozenset(),  # idem
    Action.TRANSFER: frozenset({"processing_officer", *LEADERS}),
    Action.EXTEND: frozenset({ONE_STOP, *LEADERS}),
    Action.STOP: LEADERS,
    Action.WITHDRAW: frozenset({ONE_STOP}),
    Action.RETURN_RESULT: frozenset({ONE_STOP}),
}

CITIZEN_ACTIONS = frozenset({Action.WITHDRAW})
"""What the applicant (the dossier's owner) may do themselves; supplements are uploaded at intake and
received again by a one-stop officer (the receipt time is the officer's, Điều 13.1)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    reason: str = ""


def allowed_actions(status: int) -> list[Action]:
    return [action for action in Action if status in ALLOWED_FROM[action]]


def check_status(action: Action, status: int) -> Verdict:
    if status in ALLOWED_FROM[action]:
        return Verdict(True)
    allowed = ", ".join(a.label_vi for a in allowed_actions(status)) or "không còn thao tác nào"
    return Verdict(
        False,
        f"Không thể «{action.label_vi}» khi hồ sơ đang ở trạng thái {status} «{status_name(status)}»; "
        f"thao tác được phép: {allowed}.",
    )


def may_act_on_step(roles: frozenset[str], step_role: str) -> bool:
    """The step's own role acts on it; leaders may always act for their agency's steps."""
    return step_role in roles or bool(roles & LEADERS)
