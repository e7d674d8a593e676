"""Điều 25: who may do what to a question in which state (pure rules, table and property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvc_qa.domain.questions import OPEN, Action, Actor, Refusal, Status, next_status, refusal

HOME = "000.00.14.H56"
OTHER = "000.00.03.H56"
FOCAL = Actor(HOME, is_focal_officer=True)
DEPARTMENT = Actor(HOME, is_focal_officer=False)


@pytest.mark.parametrize(
    ("action", "status", "actor", "expected", "after"),
    [
        (Action.ANSWER, Status.PENDING, FOCAL, None, Status.ANSWERED),
        (Action.FORWARD, Status.PENDING, FOCAL, None, Status.FORWARDED),
        (Action.DRAFT, Status.FORWARDED, DEPARTMENT, None, Status.DRAFTED),
        (Action.DRAFT, Status.PENDING, DEPARTMENT, Refusal.WRONG_STATE, None),
        (Action.PUBLISH, Status.DRAFTED, FOCAL, None, Status.ANSWERED),
        (Action.PUBLISH, Status.FORWARDED, FOCAL, Refusal.WRONG_STATE, None),
        (Action.PUBLISH, Status.DRAFTED, DEPARTMENT, Refusal.NOT_FOCAL_OFFICER, None),
        (Action.ANSWER, Status.PENDING, DEPARTMENT, Refusal.NOT_FOCAL_OFFICER, None),
        (Action.DECLINE, Status.DRAFTED, FOCAL, None, Status.DECLINED),
        (Action.DECLINE, Status.ANSWERED, FOCAL, Refusal.WRONG_STATE, None),
        (Action.ANSWER, Status.DECLINED, FOCAL, Refusal.WRONG_STATE, None),
        (Action.COORDINATE, Status.FORWARDED, FOCAL, None, Status.FORWARDED),
        (Action.ANSWER, Status.PENDING, Actor(OTHER, True), Refusal.OTHER_AGENCY, None),
    ],
)
def test_rules_table(
    action: Action, status: Status, actor: Actor, expected: Refusal | None, after: Status | None
) -> None:
    assert refusal(action, status, actor, question_agency=HOME) is expected
    if after is not None:
        assert next_status(action, status) is after


@given(
    st.sampled_from(list(Action)),
    st.sampled_from(list(Status)),
    st.booleans(),
    st.sampled_from([OTHER, None]),
)
def test_nobody_outside_the_agency_changes_its_question(
    action: Action, status: Status, focal: bool, agency: str | None
) -> None:
    why = refusal(action, status, Actor(agency, focal), question_agency=HOME)
    assert why is not None  # other agencies (not invited) and officers without an agency never act


@given(st.sampled_from(list(Action)), st.sampled_from([Status.ANSWERED, Status.DECLINED]), st.booleans())
def test_answered_and_declined_questions_are_final(action: Action, status: Status, focal: bool) -> None:
    assert (
        refusal(action, status, Actor(HOME, focal), question_agency=HOME, coordinating=frozenset({HOME}))
        is not None
    )


@given(st.sampled_from(sorted(OPEN)), st.booleans())
def test_an_invited_agency_contributes_but_never_answers(status: Status, focal: bool) -> None:
    invited = Actor(OTHER, focal)
    assert (
        refusal(Action.CONTRIBUTE, status, invited, question_agency=HOME, coordinating=frozenset({OTHER}))
        is None
    )
    assert (
        refusal(Action.ANSWER, status, invited, question_agency=HOME, coordinating=frozenset({OTHER}))
        is Refusal.OTHER_AGENCY
    )
