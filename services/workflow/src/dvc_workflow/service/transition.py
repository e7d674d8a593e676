"""A dossier under one action (`Transition`) and what the action produced (`Change`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dvc_common.events import DOSSIER_RECEIVED, DossierReceived, EventType
from dvc_common.principal import Principal
from dvc_common.worktime import DossierClock
from dvc_workflow.domain.catalog import ProcedureDefinition
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.domain.process import ProcessDefinition, ProcessStep
from dvc_workflow.errors import reason_required
from dvc_workflow.models import Dossier
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.schemas import ActionRequest
from dvc_workflow.service.context import Context
from dvc_workflow.service.deadlines import clock_of, store_clock

Emitted = tuple[EventType[Any], Any]


@dataclass
class Change:
    """What an action produced, turned into rows and events by `lifecycle.commit`."""

    status: int
    note: str | None = None
    step_content: str | None = None
    events: list[Emitted] = field(default_factory=list)


@dataclass
class Transition:
    """The locked dossier, its process and current step, its procedure, who acts, with what request."""

    repo: WorkflowRepository
    ctx: Context
    dossier: Dossier
    process: ProcessDefinition | None
    step: ProcessStep | None
    definition: ProcedureDefinition
    action: Action
    actor: Principal
    request: ActionRequest
    now: datetime
    clock: DossierClock | None = field(init=False)
    """The dossier's clock as it stood before the action (None before the receipt)."""
    previous: int = field(init=False)
    """The status before the action."""

    def __post_init__(self) -> None:
        self.clock = clock_of(self.ctx, self.dossier)
        self.previous = self.dossier.status

    @property
    def milestone(self) -> dict[str, str]:
        """The fields every milestone event starts with."""
        d = self.dossier
        return dict(code=d.code, procedure_code=d.procedure_code, agency_id=d.agency_id)

    @property
    def officer_name(self) -> str | None:
        """The officer acting, as the forms name them (None when the applicant acts)."""
        return self.actor.name if self.actor.is_officer else None

    def reason(self) -> str:
        """The reason the action must state (422 without one)."""
        if not self.request.reason or not self.request.reason.strip():
            raise reason_required(self.action)
        return self.request.reason.strip()

    def store(self, clock: DossierClock) -> DossierClock:
        """Keep `clock` on the dossier (receipt, appointment, counters) and return it."""
        store_clock(self.ctx, self.dossier, clock)
        return clock

    def received(self, clock: DossierClock) -> Emitted:
        return (
            DOSSIER_RECEIVED,
            DossierReceived(
                **self.milestone,
                received_at=clock.cycle_start.instant,
                appointment_at=clock.deadline.instant,
                appointment_rule=clock.deadline.rule,
                explanation=clock.deadline.explanation,
                supplement_count=clock.supplement_count,
                recorded_at=self.now,
                officer_name=self.officer_name,
            ),
        )

    def after_reception(self) -> ProcessStep | None:
        """The step a received dossier goes to: past the reception step when the dossier is on it."""
        if self.process is None:
            return None
        current = self.step or self.process.first
        if current.id == self.process.first.id and current.next:
            return self.process.step(current.next[0])
        return current
