"""Actions that end a dossier's handling: stop, withdraw (by the applicant), return the result."""

from __future__ import annotations

from dvc_common.events import (
    DOSSIER_RESULT_RETURNED,
    DOSSIER_STOPPED,
    DOSSIER_WITHDRAWN,
    DossierMilestone,
)
from dvc_common.worktime import Outcome
from dvc_workflow import errors
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.service.steps import move_to
from dvc_workflow.service.transition import Change, Transition


async def stop(t: Transition) -> Change:
    reason = t.reason()
    if t.clock is not None:
        t.store(t.clock.stop(t.now, Outcome.REJECTED))
    await move_to(t, None)
    return Change(
        lc.STOPPED,
        note=reason,
        step_content="Dừng xử lý hồ sơ",
        events=[
            (
                DOSSIER_STOPPED,
                DossierMilestone(**t.milestone, at=t.now, reason=reason, officer_name=t.officer_name),
            )
        ],
    )


async def withdraw(t: Transition) -> Change:
    if t.clock is not None:
        t.store(t.clock.stop(t.now, Outcome.WITHDRAWN))
    await move_to(t, None)
    return Change(
        lc.WITHDRAWN,
        note=t.request.reason,
        step_content="Rút hồ sơ",
        events=[(DOSSIER_WITHDRAWN, DossierMilestone(**t.milestone, at=t.now, reason=t.request.reason))],
    )


async def return_result(t: Transition) -> Change:
    method = t.request.delivery_method
    offered = t.definition.result_delivery
    if method is None or method not in offered:
        raise errors.delivery_method_not_offered(offered)
    if method == "online" and not t.dossier.result_documents:
        raise errors.result_document_required()
    t.dossier.delivery_method = method
    await move_to(t, None)
    return Change(
        lc.RESULT_RETURNED,
        note=f"Trả kết quả {errors.DELIVERY_VI[method]}",
        step_content="Trả kết quả",
        events=[
            (
                DOSSIER_RESULT_RETURNED,
                DossierMilestone(
                    **t.milestone,
                    at=t.now,
                    delivery_method=method,
                    timeliness=t.dossier.timeliness,
                    # The result's own issue time (resolved, status 9), not the return's.
                    result_issued_at=t.dossier.result_at,
                ),
            )
        ],
    )
