"""The breaking-change check: the committed release passes, and each kind of breaking change fails.

Each case builds the changed catalog from real payload models (what a producer would ship after the
change), snapshots it as `dvc events release` would, and compares it with the release before.
"""

from __future__ import annotations

import dataclasses
import json
from enum import IntEnum
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import Field, create_model
from typer.testing import CliRunner

from dvc_common.cli import app
from dvc_common.events import (
    CATALOG,
    CATALOG_VERSION,
    DOSSIER_RESULT_RETURNED,
    DOSSIER_SUBMITTED,
    INTERNAL,
    QUESTION_ASKED,
    DossierSubmitted,
    EventType,
    Payload,
)
from dvc_common.events.compat import changelog_has, compare, snapshot, snapshot_json

DOCS = Path(__file__).resolve().parents[3] / "docs"
RELEASED = snapshot("2.0.0", CATALOG)


def test_the_catalog_is_compatible_with_the_committed_release() -> None:
    released = json.loads((DOCS / "catalog-release.json").read_text(encoding="utf-8"))
    verdict = compare(released, snapshot())
    assert verdict.ok, verdict.breaking
    assert changelog_has((DOCS / "events-changelog.md").read_text(encoding="utf-8"), CATALOG_VERSION)


def _with(version: str, *replaced: EventType[Any], drop: tuple[EventType[Any], ...] = ()) -> dict[str, Any]:
    by_key = {e.routing_key: e for e in replaced}
    catalog = [by_key.pop(e.routing_key, e) for e in CATALOG if e not in drop]
    return snapshot(version, [*catalog, *by_key.values()])


def _submitted(payload: type[Payload]) -> EventType[Any]:
    return dataclasses.replace(DOSSIER_SUBMITTED, payload=payload)  # type: ignore[arg-type]


class _SubmittedBase(DossierSubmitted):
    """dossier.submitted.v1 as it is (every field it has now), for the cases below to change."""


# agency_id removed
_WITHOUT_AGENCY: dict[str, Any] = {
    name: (info.annotation, info)
    for name, info in DossierSubmitted.model_fields.items()
    if name != "agency_id"
}
WithoutAgency = create_model("WithoutAgency", __base__=Payload, **_WITHOUT_AGENCY)


class WithRequiredPostcode(_SubmittedBase):
    postcode: str


class WithOptionalPostcode(_SubmittedBase):
    postcode: str | None = Field(default=None, description="added in a minor version")


class WithRequiredReference(_SubmittedBase):
    national_reference: str


class WithTextChannel(_SubmittedBase):
    channel: str  # type: ignore[assignment]


class WithTwoChannels(_SubmittedBase):
    channel: Literal[1, 2]


class WithFourChannels(_SubmittedBase):
    channel: Literal[1, 2, 3, 4]  # type: ignore[assignment]


class WithDateOnly(_SubmittedBase):
    submitted_at: str = Field(json_schema_extra={"format": "date"})  # type: ignore[assignment]


class FileWithoutHash(Payload):
    name: str
    content_type: str
    size: int


class WithUnhashedFiles(_SubmittedBase):
    files: list[FileWithoutHash]  # type: ignore[assignment]


class Kind(IntEnum):
    CITIZEN = 1
    ENTERPRISE = 2


class WithTwoKinds(_SubmittedBase):
    applicant_kind: Kind  # type: ignore[assignment]


BREAKING = [
    pytest.param(
        _with("2.1.0", drop=(QUESTION_ASKED,)), "question.asked.v1: event type removed", id="removed-type"
    ),
    pytest.param(
        _with("2.1.0", dataclasses.replace(QUESTION_ASKED, audience=INTERNAL)),
        "question.asked.v1: no longer public",
        id="made-internal",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithoutAgency)),
        "dossier.submitted.v1: agency_id removed",
        id="removed-field",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithRequiredPostcode)),
        "dossier.submitted.v1: postcode is a new required field",
        id="new-required-field",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithRequiredReference)),
        "dossier.submitted.v1: national_reference became required",
        id="optional-became-required",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithTextChannel)),
        "dossier.submitted.v1: channel changed type integer → string",
        id="changed-type",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithTwoChannels)),
        "dossier.submitted.v1: channel narrowed: 3 removed",
        id="narrowed-enum",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithTwoKinds)),
        "dossier.submitted.v1: applicant_kind narrowed: 3, 4 removed",
        id="narrowed-int-enum",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithDateOnly)),
        "dossier.submitted.v1: submitted_at changed format date-time → date",
        id="changed-format",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithUnhashedFiles)),
        "dossier.submitted.v1: files[].sha256 removed",
        id="nested-field-removed",
    ),
    pytest.param(
        _with("2.0.0", _submitted(WithOptionalPostcode)),
        "the catalog changed since release 2.0.0: bump CATALOG_VERSION",
        id="addition-without-a-new-version",
    ),
    pytest.param(_with("1.9.0"), "version 1.9.0 is older than the release 2.0.0", id="older-version"),
]


@pytest.mark.parametrize(("current", "expected"), BREAKING)
def test_a_breaking_change_fails_the_check(current: dict[str, Any], expected: str) -> None:
    verdict = compare(RELEASED, current)
    assert not verdict.ok
    assert any(line.startswith(expected) for line in verdict.breaking), verdict.breaking


def test_a_breaking_change_inside_an_event_type_fails_even_with_a_new_major_version() -> None:
    verdict = compare(RELEASED, _with("3.0.0", _submitted(WithoutAgency)))
    assert verdict.breaking == ["dossier.submitted.v1: agency_id removed"]


COMPATIBLE = [
    pytest.param(
        _with("2.1.0", _submitted(WithOptionalPostcode)),
        "dossier.submitted.v1: postcode is a new optional field",
        id="new-optional-field",
    ),
    pytest.param(
        _with("2.1.0", _submitted(WithFourChannels)),
        "dossier.submitted.v1: channel may also be 4",
        id="new-enum-value",
    ),
    pytest.param(
        _with("2.1.0", dataclasses.replace(DOSSIER_RESULT_RETURNED, version=2)),
        "dossier.result_returned.v2: new event type",
        id="new-major-beside-the-old",
    ),
    pytest.param(
        _with("3.0.0", drop=(QUESTION_ASKED,)),
        "question.asked.v1: event type removed (new major version 3.0.0)",
        id="retired-with-a-new-major",
    ),
]


@pytest.mark.parametrize(("current", "expected"), COMPATIBLE)
def test_additions_pass_and_are_listed(current: dict[str, Any], expected: str) -> None:
    verdict = compare(RELEASED, current)
    assert verdict.ok, verdict.breaking
    assert expected in verdict.additions


def test_the_command_fails_on_a_breaking_change_and_release_refuses_it(tmp_path: Path) -> None:
    release, changelog = tmp_path / "catalog-release.json", tmp_path / "events-changelog.md"
    changelog.write_text(f"# Changelog\n\n## {CATALOG_VERSION}\n\n- things\n", encoding="utf-8")
    # A release whose dossier.submitted.v1 had a field the current catalog no longer has.
    widened = _with(CATALOG_VERSION, _submitted(WithOptionalPostcode))
    release.write_text(snapshot_json(widened), encoding="utf-8")
    options = ["--release", str(release), "--changelog", str(changelog)]
    runner = CliRunner()
    checked = runner.invoke(app, ["events", "check-compat", *options])
    assert checked.exit_code == 1
    assert "BREAKING: dossier.submitted.v1: postcode removed" in checked.output
    refused = runner.invoke(app, ["events", "release", *options])
    assert refused.exit_code == 1 and json.loads(release.read_text()) == widened

    release.write_text(snapshot_json(snapshot()), encoding="utf-8")
    assert runner.invoke(app, ["events", "check-compat", *options]).exit_code == 0
    changelog.write_text("# Changelog\n\n## 1.0.0\n", encoding="utf-8")
    missing = runner.invoke(app, ["events", "check-compat", *options])
    assert missing.exit_code == 1 and f"has no section '## {CATALOG_VERSION}'" in missing.output
