"""A dossier's clock and deadlines through the working-time engine."""

from __future__ import annotations

from datetime import datetime

from dvc_common.worktime import (
    DossierClock,
    Duration,
    add_duration,
    event_from_record,
    event_to_record,
    fmt_working_duration,
)
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.catalog import ProcedureDefinition
from dvc_workflow.domain.process import ProcessStep
from dvc_workflow.domain.process import legal_duration as exact_duration
from dvc_workflow.models import Dossier, StepLog
from dvc_workflow.service.context import Context


def legal_duration(definition: ProcedureDefinition) -> Duration:
    return exact_duration(definition.processing_time)


def clock_of(ctx: Context, dossier: Dossier) -> DossierClock | None:
    if not dossier.clock:
        return None
    return DossierClock.replay(ctx.calendar, [event_from_record(r) for r in dossier.clock])


def store_clock(ctx: Context, dossier: Dossier, clock: DossierClock) -> None:
    dossier.clock = [event_to_record(e) for e in clock.events]
    dossier.received_at = clock.cycle_start.instant
    dossier.appointment_at = clock.deadline.instant
    dossier.deadline = {
        "receipt": clock.cycle_start.as_record(),
        "appointment": clock.deadline.as_record(),
    }
    dossier.supplement_count = clock.supplement_count
    dossier.extension_used = clock.extension is not None
    dossier.due_soon_at = (
        ctx.calendar.working_periods(clock.deadline.instant.date())[0][0]
        if ctx.calendar.is_working_day(clock.deadline.instant.date())
        else clock.deadline.instant
    )


def step_due(ctx: Context, step: ProcessStep, start: datetime) -> datetime | None:
    return add_duration(ctx.calendar, start, step.budget.duration()).instant if step.budget else None


def check_due(ctx: Context, entry: StepLog, now: datetime) -> tuple[str, str]:
    """The colour and words of a step against its due time (when it has no budget to check)."""
    assert entry.due_at is not None
    budget_end = entry.due_at
    color = "green" if now <= budget_end else "red"
    hours = ctx.calendar.hours.hours_per_working_day
    if color == "green":
        text = f"Bước {entry.step_name}: trong hạn, còn {fmt_working_duration(ctx.calendar.working_time_between(now, budget_end), hours)}"
    else:
        text = f"Bước {entry.step_name}: vượt {fmt_working_duration(ctx.calendar.working_time_between(budget_end, now), hours)}"
    return color, text


def classify(dossier: Dossier, clock: DossierClock) -> str:
    classification = clock.classify()
    dossier.timeliness = classification.legal.value
    dossier.timeliness_explanation = classification.explanation
    dossier.result_at = classification.result_at
    return classification.legal.value


def queue_due(dossier: Dossier) -> datetime | None:
    if dossier.status == lc.NEWLY_REGISTERED:
        return dossier.intake_due_at or dossier.step_due_at or dossier.submitted_at
    if dossier.status == lc.RESULT_READY:
        return dossier.appointment_at or dossier.updated_at
    return dossier.step_due_at or dossier.appointment_at or dossier.updated_at
