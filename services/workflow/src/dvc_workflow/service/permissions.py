"""Who may apply an action to a dossier."""

from __future__ import annotations

from dvc_common.auth import Principal
from dvc_common.problems import Problem
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.domain.process import ProcessStep
from dvc_workflow.models import Dossier


def authorise(dossier: Dossier, step: ProcessStep | None, action: Action, actor: Principal) -> None:
    if not actor.is_officer:
        if (
            action not in lc.CITIZEN_ACTIONS
            or dossier.owner_subject is None
            or dossier.owner_subject != actor.subject
        ):
            raise Problem(
                403,
                "forbidden",
                "Không có quyền",
                "Bạn chỉ được rút hồ sơ của chính mình; thành phần bổ sung nộp tại cổng nộp hồ sơ.",
            )
        return
    # An inter-agency step (by the process, or a transfer) lets the other agency act on the dossier.
    inter_agency = dossier.step_agency_id is not None and dossier.step_agency_id == actor.agency_id
    if inter_agency and action is Action.TRANSFER:
        inter_agency = False  # only the competent agency sends a dossier elsewhere
    if actor.agency_id != dossier.agency_id and not inter_agency:
        raise Problem(
            403,
            "other-agency",
            "Hồ sơ không thuộc cơ quan của bạn",
            f"Hồ sơ {dossier.code} do cơ quan {dossier.agency_id} giải quyết; cán bộ của cơ quan "
            f"{actor.agency_id} không được thao tác.",
        )
    if action in (Action.FORWARD, Action.SEND_BACK):
        allowed = step is None or lc.may_act_on_step(actor.roles, step.role)
        needed = step.role if step is not None else ""
    else:
        allowed = bool(actor.roles & lc.ROLES[action])
        needed = ", ".join(sorted(lc.ROLES[action]))
    if not allowed:
        raise Problem(
            403, "forbidden", "Không có quyền", f"Thao tác «{action.label_vi}» cần vai trò: {needed}."
        )
