"""The CSRF token and the request bodies built from the dossier action forms."""

from __future__ import annotations

from dvc_portal.domain import actions, csrf


def test_csrf_tokens_are_random_and_compared_exactly() -> None:
    first, second = csrf.new_token(), csrf.new_token()
    assert first != second and len(first) >= 40
    assert csrf.matches(first, first)
    assert not csrf.matches(first, second)
    assert not csrf.matches(first, None)
    assert not csrf.matches(None, None)
    assert not csrf.matches("", "")


def test_an_action_sends_only_what_was_filled_in_and_the_version_seen() -> None:
    assert actions.body_of("accept", {"reason": "ignored"}, 3) == {"expected_version": 3}
    assert actions.body_of("reject", {"reason": "  Thiếu bản vẽ  "}, 2) == {
        "expected_version": 2,
        "reason": "Thiếu bản vẽ",
    }
    assert actions.body_of("stop", {"reason": ""}, None) == {}


def test_assignment_carries_the_officer_and_the_department() -> None:
    body = actions.body_of(
        "assign", {"assignee": "7f0c|Lò Văn Tâm", "department": "Phòng Quản lý xây dựng"}, 4
    )
    assert body == {
        "expected_version": 4,
        "assignee_subject": "7f0c",
        "assignee_name": "Lò Văn Tâm",
        "department": "Phòng Quản lý xây dựng",
    }


def test_an_extension_is_a_processing_time() -> None:
    body = actions.body_of(
        "extend", {"extension_value": "1,5", "extension_unit": "working_days", "reason": "Chờ ý kiến"}, 5
    )
    assert body["extension"] == {"value": 1.5, "unit": "working_days"}
    assert body["reason"] == "Chờ ý kiến"


def test_every_action_workflow_knows_has_a_form() -> None:
    for action in (
        "accept",
        "reject",
        "request_supplement",
        "resubmit",
        "assign",
        "forward",
        "send_back",
        "transfer",
        "extend",
        "stop",
        "withdraw",
        "return_result",
    ):
        assert action in actions.ACTION_FIELDS
