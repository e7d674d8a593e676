"""Who may apply an action to a dossier: its owner for their own actions, officers of the competent
agency (or of the agency an inter-agency step or a transfer sent it to, or of the one-stop desk receiving
for it) holding the action's role."""

from __future__ import annotations

from dvc_common.principal import Principal
from dvc_workflow import errors
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.domain.process import ProcessStep
from dvc_workflow.models import Dossier


def authorise(dossier: Dossier, step: ProcessStep | None, action: Action, actor: Principal) -> None:
    if not actor.is_officer:
        _authorise_applicant(dossier, action, actor)
        return
    if (
        actor.agency_id != dossier.agency_id
        and not _acts_for_inter_agency_step(dossier, action, actor)
        and not _receives_for(dossier, action, actor)
    ):
        raise errors.other_agency_dossier(dossier.code, dossier.agency_id, actor.agency_id)
    _authorise_role(step, action, actor)


def handling_agency_of_step(dossier: Dossier, actor: Principal) -> bool:
    """An inter-agency step (by the process, or a transfer) lets the other agency act on the dossier."""
    return dossier.step_agency_id is not None and dossier.step_agency_id == actor.agency_id


def _authorise_applicant(dossier: Dossier, action: Action, actor: Principal) -> None:
    owner = dossier.owner_subject
    if action not in lc.CITIZEN_ACTIONS or owner is None or owner != actor.subject:
        raise errors.not_the_owner()


DESK_ACTIONS = frozenset(
    {Action.ACCEPT, Action.REJECT, Action.REQUEST_SUPPLEMENT, Action.RESUBMIT, Action.RETURN_RESULT}
)
"""What the one-stop desk receiving for another agency does (the provincial public-service centre for
the departments): receive, refuse, ask for a supplement and receive it, return the result."""


def _receives_for(dossier: Dossier, action: Action, actor: Principal) -> bool:
    return (
        dossier.receiving_agency_id is not None
        and dossier.receiving_agency_id == actor.agency_id
        and action in DESK_ACTIONS
    )


def _acts_for_inter_agency_step(dossier: Dossier, action: Action, actor: Principal) -> bool:
    # Only the competent agency sends a dossier elsewhere.
    return handling_agency_of_step(dossier, actor) and action is not Action.TRANSFER


def _authorise_role(step: ProcessStep | None, action: Action, actor: Principal) -> None:
    if action in (Action.FORWARD, Action.SEND_BACK):
        allowed = step is None or lc.may_act_on_step(actor.roles, step.role)
        needed = step.role if step is not None else ""
    else:
        allowed = bool(actor.roles & lc.ROLES[action])
        needed = ", ".join(sorted(lc.ROLES[action]))
    if not allowed:
        raise errors.role_required(action, needed)
