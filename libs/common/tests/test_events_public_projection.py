"""Guards of the public projections (events/public.py): every public event type has one, none shows a
field whose name or description suggests personal data, each is a strict subset of its payload,
what integrators read of the documented examples follows them, and check-compat treats a field
withheld from a projection as a breaking change of the public contract (a new major version)."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest

from dvc_common import docs
from dvc_common.events import (
    CATALOG,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    OFFICER_LOCKED,
    OFFICER_UPSERTED,
    PUBLIC_CATALOG,
    PUBLIC_EXCHANGE,
    PUBLIC_VIEWS,
    NotPublic,
    ProcessingStep,
    SubmittedFile,
    project,
    public_payload,
)
from dvc_common.events.compat import _Shape, _shape, compare, snapshot

# Name parts that mean a person, their contact, their documents, or free text someone typed.
PERSONAL_NAME_PARTS = {
    "applicant", "owner", "subject", "citizen", "person", "people", "payer", "asker", "answerer", "officer",
    "user", "username", "account", "author", "actor", "signer", "recipient", "email", "mail", "phone", "tel",
    "zalo", "address", "birth", "birthdate", "gender", "identity", "identification", "identifier", "cccd",
    "cmnd", "passport", "tax", "ho", "ten", "dia", "chi", "sdt", "note", "notes", "reason", "comment",
    "message", "answer", "text", "summary", "items", "sha256", "hash", "url", "transaction",
    "bank", "position", "filename", "file",
}  # fmt: skip
# Fields whose name has such a part but that are no person's: a category of applicant, not who.
NOT_PERSONAL = {"applicant_kind"}
# A bare `name` (or `question`) is a person's, or their text, unless the model is about a thing
# that has a name.
NAMED_THINGS = {"PublicProcedurePublished", "PublicAgencyUpserted", "PublicFeeLine"}
PERSONAL_WORDS = re.compile(
    r"\b(applicants?|citizens?|persons?|people|owners?|officers?|officials?|payers?|askers?|answerers?"
    r"|users?|e-?mails?|phones?|telephone|address(es)?|birth|gender|vneid|cccd|cmnd|passport|subject"
    r"|identity|id number|identification number|free text|file ?names?|signed by|who)\b",
    re.IGNORECASE,
)


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(model, field, property) of the schema and of every model it nests."""
    models = [(schema.get("title", "?"), schema), *schema.get("$defs", {}).items()]
    return [
        (model, name, prop) for model, body in models for name, prop in body.get("properties", {}).items()
    ]


def test_every_public_event_type_has_a_projection_and_no_internal_one_has() -> None:
    assert set(PUBLIC_VIEWS) == {event.routing_key for event in PUBLIC_CATALOG}
    for event in CATALOG:
        if not event.public:
            with pytest.raises(NotPublic):
                public_payload(event)


def test_officer_accounts_are_internal() -> None:
    """K3: officer.upserted.v1 (names, positions, roles, lock state, e-mail) never reaches dvc.events;
    officer.locked.v1 neither (an officer's id, and whether they moved or left)."""
    assert not OFFICER_UPSERTED.public and not OFFICER_LOCKED.public
    assert {event.aggregate for event in PUBLIC_CATALOG}.isdisjoint({"officer"})


@pytest.mark.parametrize("event", PUBLIC_CATALOG, ids=lambda e: e.routing_key)
def test_no_projection_field_suggests_personal_data(event: Any) -> None:
    schema = public_payload(event).model_json_schema()
    suspicious = []
    for model, name, prop in _properties(schema):
        parts = set(name.lower().split("_"))
        if name not in NOT_PERSONAL and parts & PERSONAL_NAME_PARTS:
            suspicious.append(f"{model}.{name}: its name")
        if name == "question" or (name == "name" and model not in NAMED_THINGS):
            suspicious.append(f"{model}.{name}: its name")
        if PERSONAL_WORDS.search(str(prop.get("description", ""))):
            suspicious.append(f"{model}.{name}: {prop['description']!r}")
        if prop.get("format") == "email":
            suspicious.append(f"{model}.{name}: an e-mail address")
    assert not suspicious, f"{event.routing_key} on {PUBLIC_EXCHANGE}: {suspicious}"


def _subset(public: _Shape, internal: _Shape, where: str) -> list[str]:
    problems = []
    if (public.types, public.enum, public.format) != (internal.types, internal.enum, internal.format):
        problems.append(f"{where}: not the payload's type")
    for name, shape in public.properties.items():
        if name not in internal.properties:
            problems.append(f"{where}.{name}: not in the payload")
            continue
        if (name in public.required) != (name in internal.required):
            problems.append(f"{where}.{name}: required differs")
        problems += _subset(shape, internal.properties[name], f"{where}.{name}")
    if public.items is not None and internal.items is not None:
        problems += _subset(public.items, internal.items, f"{where}[]")
    elif (public.items is None) != (internal.items is None):
        problems.append(f"{where}: list differs")
    return problems


@pytest.mark.parametrize("event", PUBLIC_CATALOG, ids=lambda e: e.routing_key)
def test_each_projection_is_a_strict_subset_of_its_payload(event: Any) -> None:
    public, internal = public_payload(event).model_json_schema(), event.payload.model_json_schema()
    assert _subset(_shape(public, public), _shape(internal, internal), "data") == []
    # The documented example, projected, is the payload's example with fields left out, no value changed.
    shown, whole = project(event, event.example), event.example.model_dump(mode="json")
    assert _within(shown, whole), (shown, whole)


def _within(shown: Any, whole: Any) -> bool:
    if isinstance(shown, dict):
        return isinstance(whole, dict) and all(k in whole and _within(v, whole[k]) for k, v in shown.items())
    if isinstance(shown, list):
        return isinstance(whole, list) and len(shown) == len(whole) and all(map(_within, shown, whole))
    return bool(shown == whole)


def test_a_new_payload_field_stays_internal_until_added_to_the_projection() -> None:
    data = DOSSIER_SUBMITTED.example.model_dump(mode="json") | {"owner_subject": "vneid-c-012345678901"}
    data["files"] = [
        SubmittedFile(
            name="CCCD_012345678901_Nguyen_Van_An.pdf",
            content_type="application/pdf",
            size=3,
            sha256="ab" * 32,
        ).model_dump(mode="json")
        | {"scanned_by": "Lò Văn Tâm"}
    ]
    data["postcode"] = "390000"  # a producer newer than this catalog
    shown = json.dumps(project(DOSSIER_SUBMITTED, data), ensure_ascii=False)
    for value in ("012345678901", "Nguyen_Van_An", "Lò Văn Tâm", "390000", "ab" * 32):
        assert value not in shown
    step = ProcessingStep(
        officer_name="Lò Văn Tâm", officer_position="Chuyên viên", content="Tiếp nhận hồ sơ"
    )
    changed = DOSSIER_STATUS_CHANGED.example.model_copy(
        update={"note": "Gọi anh An 0912345678", "step": step}
    )
    shown = json.dumps(project(DOSSIER_STATUS_CHANGED, changed), ensure_ascii=False)
    assert "Lò Văn Tâm" not in shown and "0912345678" not in shown and "Tiếp nhận hồ sơ" in shown


def test_the_documents_show_the_public_shape_on_dvc_events_and_the_whole_on_dvc_internal() -> None:
    markdown = docs.events_markdown()
    section = markdown.split(f"\n## `{DOSSIER_SUBMITTED.routing_key}`\n", 1)[1].split("\n## ", 1)[0]
    shown, internal = section.split("On `dvc.internal`", 1)
    assert "`owner_subject`" not in shown and "`owner_subject`" in internal
    example = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))  # type: ignore[union-attr]
    assert example["data"] == project(DOSSIER_SUBMITTED, DOSSIER_SUBMITTED.example)
    document = json.loads(docs.asyncapi_json())
    channels, messages = document["channels"], document["components"]["messages"]
    assert channels["dossier_submitted_v1"]["bindings"]["amqp"]["exchange"]["name"] == "dvc.events"
    assert (
        channels["dossier_submitted_v1__internal"]["bindings"]["amqp"]["exchange"]["name"] == "dvc.internal"
    )
    public_data = messages["dossier_submitted_v1"]["payload"]["allOf"][1]["properties"]["data"]["$ref"]
    assert public_data.endswith("/PublicDossierSubmitted")
    schemas = document["components"]["schemas"]
    assert "owner_subject" not in schemas["PublicDossierSubmitted"]["properties"]
    assert "owner_subject" in schemas["DossierSubmitted"]["properties"]
    assert set(schemas["PublicSubmittedFile"]["properties"]) == {"content_type", "size"}
    # Nothing internal, and no officer, on the integrators' exchange.
    on_public = {
        c["address"] for c in channels.values() if c["bindings"]["amqp"]["exchange"]["name"] == "dvc.events"
    }
    assert on_public == {event.routing_key for event in PUBLIC_CATALOG}


def test_withholding_a_field_from_a_projection_needs_a_new_major_version() -> None:
    released = snapshot("3.0.0", CATALOG)
    current = snapshot("3.0.0", CATALOG)
    submitted = current["events"][DOSSIER_SUBMITTED.routing_key]
    narrower = dict(submitted["public_schema"], properties=dict(submitted["public_schema"]["properties"]))
    del narrower["properties"]["national_reference"]
    submitted["public_schema"] = narrower
    minor = compare(released, current | {"version": "3.1.0"})
    assert "dossier.submitted.v1 on dvc.events: national_reference removed" in minor.breaking
    major = compare(released, current | {"version": "4.0.0"})
    assert major.ok, major.breaking
    assert "dossier.submitted.v1 on dvc.events: national_reference removed (new major version 4.0.0)" in (
        major.additions
    )


def test_a_release_before_the_projections_showed_the_whole_payload() -> None:
    """Releases up to 2.0.0 have no `public_schema`: integrators read the payload, so 3.0.0's
    projections are breaking there (hence 3.0.0) and listed in the verdict."""
    old = snapshot("2.0.0", CATALOG)
    for entry in old["events"].values():
        entry.pop("public_schema", None)
    verdict = compare(old, snapshot("3.0.0", CATALOG))
    assert verdict.ok, verdict.breaking
    assert "dossier.submitted.v1 on dvc.events: owner_subject removed (new major version 3.0.0)" in (
        verdict.additions
    )
    assert not compare(old, snapshot("2.1.0", CATALOG)).ok


def test_a_public_event_without_a_projection_shows_nothing() -> None:
    unlisted = dataclasses.replace(DOSSIER_SUBMITTED, version=9)
    assert unlisted.public
    with pytest.raises(NotPublic):
        project(unlisted, DOSSIER_SUBMITTED.example)
