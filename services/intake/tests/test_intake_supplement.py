"""Supplement: while the dossier waits for a supplement (status 5) its owner, or a one-stop officer of
the agency for them, uploads the requested components; every version stays; dossier.resubmitted.v1."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from intake_support import PDF, PNG, Intake
from sqlalchemy import text

from dvc_common.events import DossierStatusChanged, NationalStatus
from dvc_intake import service


async def _status(intake: Intake, code: str, status: NationalStatus, sequence: int) -> None:
    changed = DossierStatusChanged(
        code=code,
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        status=status,
        status_name=status.label_vi,
        changed_at=datetime.now(UTC),
    )
    async with intake.app.state.runtime.transaction() as session:
        await service.record_status(session, changed, sequence=sequence)


async def _resubmitted(intake: Intake, code: str) -> list[dict[str, object]]:
    async with intake.app.state.runtime.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT body FROM outbox_message WHERE routing_key = 'dossier.resubmitted.v1' ORDER BY id")
        )
        bodies = [r.body if isinstance(r.body, dict) else json.loads(r.body) for r in rows]
    return [b["data"] for b in bodies if b.get("subject") == code]


async def test_the_owner_supplements_and_every_version_is_kept(intake: Intake) -> None:
    owner = intake.citizen(f"cd-{uuid.uuid4().hex[:6]}")
    code = (await intake.submit(headers=owner, files=[("ban-ve.pdf", PDF, "application/pdf")])).json()["code"]
    url = f"/api/v1/dossiers/{code}/supplements"
    part = [("files", ("ban-ve-moi.pdf", PDF + b"v2", "application/pdf"))]

    early = await intake.client.post(url, files=part, headers=owner)
    assert early.status_code == 409 and early.json()["type"].endswith("not-awaiting-supplement")

    await _status(intake, code, NationalStatus.SUPPLEMENT_REQUESTED, 2)
    before = await intake.counts()
    for headers in (intake.citizen("cd-stranger"), intake.officer("auditor", sub="thanh-tra")):
        assert (await intake.client.post(url, files=part, headers=headers)).status_code == 404
    disguised = await intake.client.post(
        url, files=[("files", ("anh.pdf", PNG, "application/pdf"))], headers=owner
    )
    assert disguised.status_code == 415
    assert await intake.counts() == before

    done = await intake.client.post(url, files=part, headers=owner)
    assert done.status_code == 201, done.text
    assert done.json() == {"code": code, "supplement_round": 1, "positions": [2]}
    by_officer = await intake.client.post(
        url,
        files=[("files", ("ban-ve-3.pdf", PDF + b"v3", "application/pdf"))],
        headers=intake.officer("one_stop_officer"),
    )
    assert by_officer.status_code == 201 and by_officer.json()["supplement_round"] == 2

    detail = (await intake.client.get(f"/api/v1/dossiers/{code}", headers=owner)).json()
    assert [(f["name"], f["supplement_round"]) for f in detail["files"]] == [
        ("ban-ve.pdf", 0),
        ("ban-ve-moi.pdf", 1),
        ("ban-ve-3.pdf", 2),
    ]
    # The handling agency's officer sees the supplements by round (issue 15), the applicant too.
    whole = (
        await intake.client.get(f"/api/v1/dossiers/{code}", headers=intake.officer("processing_officer"))
    ).json()
    assert whole["full"] is True and whole["applicant"]["name"] == "Nguyễn Thị Bình"
    assert [(r["supplement_round"], [f["name"] for f in r["files"]]) for r in whole["supplements"]] == [
        (1, ["ban-ve-moi.pdf"]),
        (2, ["ban-ve-3.pdf"]),
    ]
    assert [[f["name"] for f in c["files"]] for c in whole["components"]] == [["ban-ve.pdf"]]
    assert (await intake.client.get(f"/api/v1/dossiers/{code}/files/1", headers=owner)).content == PDF
    events = await _resubmitted(intake, code)
    assert [e["supplement_round"] for e in events] == [1, 2]
    assert events[0]["files"][0]["name"] == "ban-ve-moi.pdf"  # type: ignore[index]
