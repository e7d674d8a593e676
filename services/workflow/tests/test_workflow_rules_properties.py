"""Property tests of the pure rules: default processes always publishable, the lifecycle table closed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dvc_common.events import ProcessingTime
from dvc_workflow.domain.lifecycle import ALLOWED_FROM, OPEN_STATUSES, Action, allowed_actions
from dvc_workflow.domain.process import default_process, validate

TERMINAL = {3, 7, 8, 10}


@given(
    st.sampled_from(["working_hours", "working_days", "calendar_days"]),
    st.integers(min_value=1, max_value=400),
    st.booleans(),
)
def test_default_process_is_always_publishable(unit: str, value: int, with_payment: bool) -> None:
    legal = ProcessingTime(value=value, unit=unit)
    assert validate(default_process(legal, with_payment=with_payment), legal) == []


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_no_action_leaves_a_terminal_status(actions: list[Action]) -> None:
    for status in TERMINAL:
        assert allowed_actions(status) == []
        for action in actions:
            assert status not in ALLOWED_FROM[action]


def test_every_open_status_has_a_way_out() -> None:
    for status in OPEN_STATUSES:
        assert allowed_actions(status), status
    assert allowed_actions(9) == [Action.RETURN_RESULT]
