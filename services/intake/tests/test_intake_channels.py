"""Channels and the data store: online by a VNeID citizen, at the counter by a one-stop officer with
digitisation per component, reuse of one's own stored documents (never someone else's), and procedures
that require a digitally signed form."""

from __future__ import annotations

import uuid

from intake_support import AGENCY, PDF, Intake, signed_pdf, unique_agency

from dvc_intake.signatures import pdf_is_signed


async def test_a_citizen_reuses_a_stored_document_without_uploading_it_again(intake: Intake) -> None:
    citizen = intake.citizen(f"cd-{uuid.uuid4().hex[:6]}")
    first = await intake.submit(headers=citizen, files=[("CCCD mặt trước.pdf", PDF, "application/pdf")])
    earlier = first.json()["code"]
    store = (await intake.client.get("/api/v1/my/documents", headers=citizen)).json()
    assert [(d["dossier_code"], d["position"], d["name"]) for d in store] == [
        (earlier, 1, "CCCD mặt trước.pdf")
    ]

    second = await intake.submit(
        headers=citizen,
        files=[],
        reuse=[{"dossier_code": earlier, "position": 1}],
    )
    assert second.status_code == 201, second.text
    detail = (await intake.client.get(f"/api/v1/dossiers/{second.json()['code']}", headers=citizen)).json()
    reused = detail["files"][0]
    assert reused["name"] == "CCCD mặt trước.pdf" and reused["reused_from"] == f"{earlier}#1"
    got = await intake.client.get(f"/api/v1/dossiers/{second.json()['code']}/files/1", headers=citizen)
    assert got.content == PDF


async def test_someone_elses_stored_document_is_refused_and_nothing_is_stored(intake: Intake) -> None:
    subject = f"cd-{uuid.uuid4().hex[:6]}"
    victim = intake.citizen(subject)
    theirs = (await intake.submit(headers=victim)).json()["code"]
    before = await intake.counts()
    for headers, status, slug in (
        (intake.citizen("cd-thief"), 422, "stored-document-not-found"),
        ({}, 401, "vneid-login-required"),
    ):
        response = await intake.submit(headers=headers, reuse=[{"dossier_code": theirs, "position": 1}])
        assert response.status_code == status, response.text
        assert response.json()["type"].endswith(slug)
    # A counter officer may not reuse the owner's documents: no consent is recorded.
    at_counter = await intake.submit(
        headers=intake.officer("one_stop_officer", sub="mot-cua-2"),
        channel=1,
        files=[],
        reuse=[{"dossier_code": theirs, "position": 1}],
    )
    assert at_counter.status_code == 403 and at_counter.json()["type"].endswith("reuse-owner-only")
    missing = await intake.submit(headers=victim, reuse=[{"dossier_code": theirs, "position": 7}])
    assert missing.status_code == 422
    assert await intake.counts() == before


async def test_counter_and_postal_dossiers_record_digitisation_per_component(intake: Intake) -> None:
    """Lai Châu Điều 10.1.đ: postal dossiers too are digitised at the one-stop desk. (The owner named by
    their identifier, resolved by identity, is tested against the real identity: tests/e2e.)"""
    officer = intake.officer("one_stop_officer", sub="mot-cua-1")
    postal = await intake.submit(headers=officer, channel=3, digitised=[1])
    assert postal.status_code == 201, postal.text
    shown = await intake.client.get(f"/api/v1/dossiers/{postal.json()['code']}", headers=officer)
    assert shown.json()["channel"] == 3 and [f["digitised"] for f in shown.json()["files"]] == [True]
    response = await intake.submit(
        headers=officer,
        files=[("ban-scan-don.pdf", PDF, "application/pdf"), ("ban-ve.pdf", PDF, "application/pdf")],
        channel=1,
        digitised=[1],
    )
    assert response.status_code == 201, response.text
    code = response.json()["code"]
    detail = (
        await intake.client.get(f"/api/v1/dossiers/{code}", headers=intake.officer("one_stop_officer"))
    ).json()
    assert detail["channel"] == 1
    assert [f["digitised"] for f in detail["files"]] == [True, False]


async def test_only_one_stop_officers_submit_at_the_counter(intake: Intake) -> None:
    before = await intake.counts()
    anonymous: dict[str, str] = {}
    for channel in (1, 3):
        for headers in (anonymous, intake.citizen("cd-1"), intake.officer("processing_officer")):
            response = await intake.submit(headers=headers, channel=channel)
            assert response.status_code == 403 and response.json()["type"].endswith("counter-only")
    online = await intake.submit(headers=intake.citizen("cd-1"), digitised=[1])
    assert online.status_code == 422 and online.json()["type"].endswith("digitised-counter-only")
    # Online is by a VNeID account (Lai Châu Điều 9.1, Điện Biên Điều 11.2): anonymous applicants and
    # officers are sent to the counter or the post, nothing is stored.
    for headers, status, slug in (
        (anonymous, 401, "vneid-login-required"),
        (intake.officer("one_stop_officer"), 403, "officer-not-online-applicant"),
    ):
        refused = await intake.submit(headers=headers)
        assert refused.status_code == status and refused.json()["type"].endswith(slug), refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert "VNeID" in refused.json()["title"] or "VNeID" in refused.json()["detail"]
    login = await intake.submit(headers=anonymous)
    assert "Bộ phận Một cửa" in login.json()["detail"] and "bưu chính" in login.json()["detail"]
    assert await intake.counts() == before


async def test_a_procedure_requiring_a_signature_says_so_and_refuses_unsigned_forms(intake: Intake) -> None:
    agency = unique_agency()
    procedure = f"1.000002.000.00.00.{agency[-3:]}"
    await intake.add_procedure(procedure, agency, signature_required=True)
    shown = (await intake.client.get(f"/api/v1/procedures/{procedure}")).json()
    assert shown["signature_required"] is True and "chữ ký số" in shown["notice"]
    plain = (await intake.client.get(f"/api/v1/procedures/{AGENCY and '1.003560.000.00.00.H56'}")).json()
    assert plain["signature_required"] is False and plain["notice"] is None
    assert (await intake.client.get("/api/v1/procedures/khong-co")).status_code == 404

    before = await intake.counts()
    for unsigned in (PDF, signed_pdf(tamper=True)):
        response = await intake.submit(
            procedure=procedure, files=[("to-khai.pdf", unsigned, "application/pdf")]
        )
        assert response.status_code == 422, response.text
        assert response.json()["type"].endswith("signature-required")
    assert await intake.counts() == before

    citizen = intake.citizen("cd-ky-so")
    response = await intake.submit(
        procedure=procedure, files=[("to-khai.pdf", signed_pdf(), "application/pdf")], headers=citizen
    )
    assert response.status_code == 201, response.text
    detail = (await intake.client.get(f"/api/v1/dossiers/{response.json()['code']}", headers=citizen)).json()
    assert detail["files"][0]["signed"] is True


def test_signature_structure_check() -> None:
    assert pdf_is_signed(signed_pdf())
    assert not pdf_is_signed(signed_pdf(tamper=True))  # bytes appended after signing
    assert not pdf_is_signed(PDF)
    assert not pdf_is_signed(b"%PDF-1.4 garbage")


async def test_results_returned_online_land_in_the_data_store_and_can_be_reused(intake: Intake) -> None:
    citizen = intake.citizen(f"cd-{uuid.uuid4().hex[:6]}")
    code = (await intake.submit(headers=citizen)).json()["code"]
    result = [("files", ("Giấy phép xây dựng.pdf", PDF + b"%ket-qua", "application/pdf"))]
    url = f"/api/v1/dossiers/{code}/results"
    for headers, status in (
        (citizen, 403),
        (intake.officer("processing_officer", agency="000.00.03.H56"), 404),
        (intake.officer("auditor", sub="thanh-tra"), 403),
    ):
        assert (await intake.client.post(url, files=result, headers=headers)).status_code == status
    issued = await intake.client.post(url, files=result, headers=intake.officer("processing_officer"))
    assert issued.status_code == 201, issued.text
    position = issued.json()["positions"][0]
    # Workflow returns a result online only once it heard of it: the event goes with the files.
    attached = await intake.scalar(
        "SELECT body::jsonb->'data' FROM outbox_message"
        " WHERE routing_key = 'dossier.result_attached.v1' AND subject = :code",
        code=code,
    )
    assert attached is not None
    assert [d["position"] for d in attached["documents"]] == [position]
    assert attached["documents"][0]["name"] == "Giấy phép xây dựng.pdf"

    store = (await intake.client.get("/api/v1/my/documents", headers=citizen)).json()
    results = [d for d in store if d["kind"] == "result"]
    assert [(d["dossier_code"], d["position"], d["name"]) for d in results] == [
        (code, position, "Giấy phép xây dựng.pdf")
    ]
    again = await intake.submit(
        headers=citizen, files=[], reuse=[{"dossier_code": code, "position": position}]
    )
    assert again.status_code == 201, again.text
