"""Internal processes (quy trình nội bộ): ordered steps with a role and a time budget, branches, and
the checks a definition must pass before it is published."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dvc_common.events import ProcessingTime
from dvc_common.worktime import Duration, Unit

StepKind = Literal["normal", "inter_agency", "payment", "signature", "result"]

KNOWN_ROLES = frozenset(
    {"one_stop_officer", "processing_officer", "department_head", "agency_leader", "provincial_operator"}
)
HOURS_PER_DAY = 8


class StepBudget(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    value: int = Field(gt=0)
    unit: Literal["working_hours", "working_days"]

    def duration(self) -> Duration:
        return Duration(self.value, Unit(self.unit))


class ProcessStep(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1)
    role: str
    kind: StepKind = "normal"
    budget: StepBudget | None = Field(
        default=None,
        description="None only for the terminal result step and payment steps (the applicant's wait is not "
        "the agency's time)",
    )
    next: list[str] = Field(default_factory=list, description="Following steps; the first is the default")
    agency_id: str | None = Field(default=None, description="The other agency of an inter-agency step")


class ProcessDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    steps: list[ProcessStep] = Field(min_length=1)

    def step(self, step_id: str) -> ProcessStep:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def first(self) -> ProcessStep:
        return self.steps[0]

    def index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)


def legal_duration(legal: ProcessingTime) -> Duration:
    """The legal processing time exactly: whole days stay days, a fraction ("0,5 ngày làm việc") becomes
    the working hours it is (4), never truncated. Fractions of an hour (or of a calendar day) are refused
    when the catalog is read (`ProcedureDefinition`), so none reaches here."""
    if float(legal.value).is_integer():
        return Duration(int(legal.value), Unit(legal.unit))
    if legal.unit == "working_days":
        return Duration.working_hours(round(legal.value * HOURS_PER_DAY))
    raise ValueError(f"not a whole number of working hours: {legal}")


def legal_working_time(legal: ProcessingTime) -> timedelta:
    """Working time the whole process may use. Calendar days are bounded conservatively by the working
    days they contain at the least (5 of every 7), so a published process never needs more."""
    duration = legal_duration(legal)
    if duration.unit is Unit.CALENDAR_DAYS:
        # A deadline falling on a day off moves to the next working time, so even one day holds one.
        return Duration.working_days(max(1, duration.amount * 5 // 7)).working_time(HOURS_PER_DAY)
    return duration.working_time(HOURS_PER_DAY)


def validate(
    definition: ProcessDefinition, legal: ProcessingTime, *, charges_fees: bool = False
) -> list[str]:
    """Every reason the definition cannot be published (empty when it can). `charges_fees`: the agency
    charges fees for the procedure, so the process must ask for them (a payment step)."""
    payment: list[str] = []
    if charges_fees and not any(s.kind == "payment" for s in definition.steps):
        payment.append(
            "Thủ tục có thu phí, lệ phí nên quy trình phải có bước «Thực hiện nghĩa vụ tài chính» "
            "(loại bước payment) trước bước trả kết quả."
        )
    reasons = _structure_reasons(definition)
    if reasons:
        return reasons + payment
    return _reachability_reasons(definition) + _budget_reasons(definition, legal) + payment


def _structure_reasons(definition: ProcessDefinition) -> list[str]:
    """What is wrong with the steps themselves (ids, roles, links, budgets, the end step)."""
    reasons: list[str] = []
    ids = [s.id for s in definition.steps]
    if len(set(ids)) != len(ids):
        reasons.append("Mã bước bị trùng lặp.")
    for step in definition.steps:
        reasons.extend(_step_reasons(step, set(ids)))
    if not any(s.kind == "result" for s in definition.steps):
        reasons.append("Quy trình phải có bước kết thúc (trả kết quả).")
    return reasons


def _step_reasons(step: ProcessStep, ids: set[str]) -> list[str]:
    reasons: list[str] = []
    if step.role not in KNOWN_ROLES:
        reasons.append(f"Bước «{step.name}»: vai trò «{step.role}» không tồn tại.")
    reasons.extend(
        f"Bước «{step.name}» chuyển tới bước «{target}» không tồn tại."
        for target in step.next
        if target not in ids
    )
    if step.kind == "result":
        if step.next:
            reasons.append(f"Bước trả kết quả «{step.name}» không được có bước tiếp theo.")
    else:
        if not step.next:
            reasons.append(f"Bước «{step.name}» không có bước tiếp theo và không phải bước trả kết quả.")
        if step.budget is None and step.kind != "payment":
            reasons.append(f"Bước «{step.name}» chưa có định mức thời gian.")
    if step.kind == "inter_agency" and not step.agency_id:
        reasons.append(f"Bước liên thông «{step.name}» phải chỉ rõ cơ quan phối hợp.")
    return reasons


def _reachability_reasons(definition: ProcessDefinition) -> list[str]:
    reachable = _reachable(definition)
    return [
        f"Bước «{step.name}» không thể đến được từ bước đầu tiên."
        for step in definition.steps
        if step.id not in reachable
    ]


def _budget_reasons(definition: ProcessDefinition, legal: ProcessingTime) -> list[str]:
    """The longest branch must fit in the legal processing time (and there must be no cycle)."""
    longest = _longest_path(definition)
    if longest is None:
        return ["Quy trình có vòng lặp giữa các bước (trả lại bước trước là thao tác, không là nhánh)."]
    allowed = legal_working_time(legal)
    if longest > allowed:
        return [
            f"Tổng định mức các bước ({_hours(longest)} giờ làm việc theo nhánh dài nhất) vượt thời hạn "
            f"giải quyết theo luật ({_hours(allowed)} giờ làm việc)."
        ]
    return []


def _hours(value: timedelta) -> str:
    return f"{value.total_seconds() / 3600:g}"


def _reachable(definition: ProcessDefinition) -> set[str]:
    seen: set[str] = set()
    todo = [definition.first.id]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(definition.step(current).next)
    return seen


def agency_time(step: ProcessStep) -> timedelta:
    """The working time a step takes from the agency's processing time: its budget, except for a payment
    step, whose wait for the applicant does not count (Điện Biên Điều 13.5)."""
    if step.budget is None or step.kind == "payment":
        return timedelta(0)
    return step.budget.duration().working_time(HOURS_PER_DAY)


def _longest_path(definition: ProcessDefinition) -> timedelta | None:
    """Largest sum of step budgets on any path from the first step; None when there is a cycle."""
    memo: dict[str, timedelta] = {}
    visiting: set[str] = set()

    def walk(step_id: str) -> timedelta | None:
        if step_id in memo:
            return memo[step_id]
        if step_id in visiting:
            return None
        visiting.add(step_id)
        step = definition.step(step_id)
        own = agency_time(step)
        best = timedelta(0)
        for target in step.next:
            sub = walk(target)
            if sub is None:
                return None
            best = max(best, sub)
        visiting.discard(step_id)
        memo[step_id] = own + best
        return memo[step_id]

    return walk(definition.first.id)


def default_process(legal: ProcessingTime, *, with_payment: bool) -> ProcessDefinition:
    """A typical one-stop process sized to the legal time: reception, handling, review, signature,
    (payment), result. Budgets use whole working hours and leave a margin for the return; the payment
    step has no budget (the applicant's wait is not the agency's time)."""
    total = int(legal_working_time(legal).total_seconds() // 3600)
    if total < 6:
        return _short_process(total, with_payment=with_payment)
    reception = max(1, total // 10)
    review = max(1, total // 10)
    sign = max(1, total // 10)
    handle = max(1, total - reception - review - sign - (max(1, total // 10) if with_payment else 0))

    steps = [
        ProcessStep(
            id="tiep-nhan",
            name="Tiếp nhận hồ sơ",
            role="one_stop_officer",
            budget=hours(reception),
            next=["xu-ly"],
        ),
        ProcessStep(
            id="xu-ly",
            name="Thẩm định, xử lý hồ sơ",
            role="processing_officer",
            budget=hours(handle),
            next=["xem-xet"],
        ),
        ProcessStep(
            id="xem-xet", name="Xem xét, trình ký", role="department_head", budget=hours(review), next=["ky"]
        ),
    ]
    after_sign = "thu-phi" if with_payment else "tra-ket-qua"
    steps.append(
        ProcessStep(
            id="ky",
            name="Phê duyệt, ký kết quả",
            role="agency_leader",
            kind="signature",
            budget=hours(sign),
            next=[after_sign],
        )
    )
    if with_payment:
        steps.append(PAYMENT_STEP)
    steps.append(RESULT_STEP)
    return ProcessDefinition(steps=steps)


def hours(n: int) -> StepBudget:
    return StepBudget(value=n, unit="working_hours")


PAYMENT_STEP = ProcessStep(
    id="thu-phi",
    name="Thực hiện nghĩa vụ tài chính",
    role="one_stop_officer",
    kind="payment",
    next=["tra-ket-qua"],
)
RESULT_STEP = ProcessStep(id="tra-ket-qua", name="Trả kết quả", role="one_stop_officer", kind="result")


def _short_process(total: int, *, with_payment: bool) -> ProcessDefinition:
    """Procedures of a few working hours: reception, handling and signature by the leader, (payment),
    result; with one working hour, received and decided at the counter."""
    after = "thu-phi" if with_payment else "tra-ket-qua"
    if total < 2:  # one working hour: received, decided and returned at the counter
        first = ProcessStep(
            id="tiep-nhan",
            name="Tiếp nhận và giải quyết",
            role="one_stop_officer",
            budget=hours(1),
            next=[after],
        )
        return ProcessDefinition(steps=[first, *([PAYMENT_STEP] if with_payment else []), RESULT_STEP])
    steps = [
        ProcessStep(
            id="tiep-nhan", name="Tiếp nhận hồ sơ", role="one_stop_officer", budget=hours(1), next=["xu-ly"]
        ),
        ProcessStep(
            id="xu-ly",
            name="Xử lý và ký kết quả",
            role="processing_officer",
            budget=hours(max(1, total - 1 - (1 if with_payment and total >= 3 else 0))),
            next=[after],
        ),
    ]
    if with_payment:
        steps.append(PAYMENT_STEP)
    steps.append(RESULT_STEP)
    return ProcessDefinition(steps=steps)
