"""One small function per action, looked up in `TRANSITIONS` by `lifecycle.transition`.

The lifecycle table (`domain.lifecycle`) says from which status an action is allowed and by whom;
these functions say what it does: times through the working-time engine, the next step, the events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.service.actions import closing, handling, reception
from dvc_workflow.service.transition import Change, Transition

ActionFn = Callable[[Transition], Awaitable[Change]]

TRANSITIONS: Mapping[Action, ActionFn] = {
    Action.ACCEPT: reception.accept,
    Action.REJECT: reception.reject,
    Action.REQUEST_SUPPLEMENT: reception.request_supplement,
    Action.RESUBMIT: reception.resubmit,
    Action.ASSIGN: handling.assign,
    Action.FORWARD: handling.forward,
    Action.SEND_BACK: handling.send_back,
    Action.TRANSFER: handling.transfer,
    Action.EXTEND: handling.extend,
    Action.STOP: closing.stop,
    Action.WITHDRAW: closing.withdraw,
    Action.RETURN_RESULT: closing.return_result,
}

if set(TRANSITIONS) != set(Action):  # pragma: no cover - a new action without its function
    raise RuntimeError(f"actions without a transition: {set(Action) - set(TRANSITIONS)}")


async def apply(t: Transition) -> Change:
    return await TRANSITIONS[t.action](t)
