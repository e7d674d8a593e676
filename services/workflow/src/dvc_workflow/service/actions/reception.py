"""Actions of the one-stop reception: accept, reject, ask for a supplement, receive the supplement."""

from __future__ import annotations

from dvc_common.events import DOSSIER_REJECTED, DOSSIER_SUPPLEMENT_REQUESTED, DossierMilestone
from dvc_common.worktime import DossierClock, Outcome
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.service.deadlines import classify, legal_duration
from dvc_workflow.service.steps import move_to
from dvc_workflow.service.transition import Change, Transition


async def accept(t: Transition) -> Change:
    clock = t.store(DossierClock.start(t.ctx.calendar, t.now, legal_duration(t.definition)))
    await move_to(t, t.after_reception())
    return Change(
        lc.RECEIVED,
        note=clock.deadline.explanation,
        step_content="Tiếp nhận hồ sơ",
        events=[t.received(clock)],
    )


async def reject(t: Transition) -> Change:
    reason = t.reason()
    timeliness = None
    if t.clock is not None:
        timeliness = classify(t.dossier, t.store(t.clock.stop(t.now, Outcome.REJECTED)))
    await move_to(t, None)
    return Change(
        lc.NOT_RECEIVED,
        note=reason,
        step_content="Từ chối hồ sơ",
        events=[
            (
                DOSSIER_REJECTED,
                DossierMilestone(
                    **t.milestone, at=t.now, reason=reason, timeliness=timeliness, officer_name=t.officer_name
                ),
            )
        ],
    )


async def request_supplement(t: Transition) -> Change:
    reason = t.reason()
    # Before the receipt there is no processing clock: the applicant completes the dossier and its
    # receipt is then the first one (national scoring counts supplements during processing).
    if t.clock is not None:
        t.store(t.clock.request_supplement(t.now))
    return Change(
        lc.SUPPLEMENT_REQUESTED,
        note=reason,
        step_content="Yêu cầu bổ sung hồ sơ",
        events=[
            (
                DOSSIER_SUPPLEMENT_REQUESTED,
                DossierMilestone(
                    **t.milestone,
                    at=t.now,
                    reason=reason,
                    officer_name=t.officer_name,
                    items=t.request.items or None,
                ),
            )
        ],
    )


async def resubmit(t: Transition) -> Change:
    if t.clock is not None:
        clock = t.store(t.clock.resubmit(t.now))
    else:
        clock = t.store(DossierClock.start(t.ctx.calendar, t.now, legal_duration(t.definition)))
    await move_to(t, t.after_reception())
    return Change(
        lc.RECEIVED,
        note=clock.deadline.explanation,
        step_content=f"Tiếp nhận hồ sơ bổ sung lần {t.dossier.supplement_count}",
        events=[t.received(clock)],
    )
