"""Documents: type proven by content, disguised and dangerous types refused, names sanitised, nothing
stored on any refusal, quarantine while the scanner cannot decide, downloads only for the dossier's
owner, officers of the handling agency and auditors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from intake_support import AGENCY, MAX_FILE_BYTES, OTHER_AGENCY, PDF, PNG, Intake

from dvc_intake.domain.documents import UnsafeFileName, sanitise_file_name
from dvc_intake.scanning import ScannerUnavailable, ScanResult

BAD_INPUTS: dict[str, tuple[dict[str, Any], int, str]] = {
    "PNG disguised as a PDF by its name": (
        {"files": [("giay-to.pdf", PNG, "application/pdf")]},
        415,
        "file-type-mismatch",
    ),
    "executable named .pdf": (
        {"files": [("don.pdf", b"MZ\x90\x00binary", "application/pdf")]},
        415,
        "unsupported-file-type",
    ),
    "HTML page named .pdf": (
        {"files": [("don.pdf", b"<!DOCTYPE html><script>alert(1)</script>", "application/pdf")]},
        415,
        "unsupported-file-type",
    ),
    "PDF with an executable's extension": (
        {"files": [("don.exe", PDF, "application/pdf")]},
        415,
        "file-type-mismatch",
    ),
    "oversized": (
        {"files": [("lon.pdf", PDF + b"0" * MAX_FILE_BYTES, "application/pdf")]},
        413,
        "file-too-large",
    ),
    "path traversal in the name": (
        {"files": [("../../etc/passwd.pdf", PDF, "application/pdf")]},
        422,
        "unsafe-file-name",
    ),
    # (`C:\...` names are cut to their last part by the multipart parser itself, before intake sees them.)
    "Windows relative path in the name": (
        {"files": [("..\\..\\don.pdf", PDF, "application/pdf")]},
        422,
        "unsafe-file-name",
    ),
    "second file bad after a good one": (
        {"files": [("a.pdf", PDF, "application/pdf"), ("b.png", PDF, "image/png")]},
        415,
        "file-type-mismatch",
    ),
    "unknown procedure": ({"procedure": "9.999999.000.00.00.H56"}, 422, "unknown-procedure"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
async def test_bad_input_is_refused_clearly_and_nothing_is_stored(intake: Intake, case: str) -> None:
    kwargs, status, slug = BAD_INPUTS[case]
    before = await intake.counts()
    response = await intake.submit(headers=intake.citizen("cd-1"), **kwargs)
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["type"].endswith(slug) and problem["title"] and problem["detail"]
    assert await intake.counts() == before


def test_file_names_are_sanitised_and_traversal_refused() -> None:
    assert sanitise_file_name("  Đơn đề nghị:  cấp phép?.pdf ", "x") == "Đơn đề nghị_ cấp phép_.pdf"
    assert sanitise_file_name(".hidden.pdf", "x") == "hidden.pdf"
    assert sanitise_file_name(None, "tep-1") == "tep-1"
    # NFD (macOS) input becomes NFC, so the name compares equal to what the citizen typed.
    assert sanitise_file_name("Đơn.pdf".replace("ơ", "o\u031b"), "x") == "Đơn.pdf"
    long = sanitise_file_name("a" * 300 + ".pdf", "x")
    assert len(long) == 120 and long.endswith(".pdf")
    for bad in ("../a.pdf", "a/b.pdf", "..\\a.pdf", "/etc/passwd", "C:evil.pdf", "a\x00.pdf"):
        with pytest.raises(UnsafeFileName):
            sanitise_file_name(bad, "x")


async def test_stored_name_is_sanitised(intake: Intake) -> None:
    citizen = intake.citizen("cd-ten-tep")
    response = await intake.submit(files=[("Bản vẽ: tầng 1?.pdf", PDF, "application/pdf")], headers=citizen)
    assert response.status_code == 201, response.text
    detail = (await intake.client.get(f"/api/v1/dossiers/{response.json()['code']}", headers=citizen)).json()
    assert detail["files"][0]["name"] == "Bản vẽ_ tầng 1_.pdf"
    assert detail["files"][0]["scan_status"] == "clean"
    assert "applicant_name" not in detail


async def test_downloads_are_authorised_against_the_dossier(intake: Intake) -> None:
    owner = intake.citizen("cd-owner")
    response = await intake.submit(headers=owner, files=[("Đơn đề nghị.pdf", PDF, "application/pdf")])
    assert response.status_code == 201, response.text
    url = f"/api/v1/dossiers/{response.json()['code']}/files/1"

    allowed = {
        "owner": owner,
        "one-stop officer of the agency": intake.officer("one_stop_officer"),
        "processing officer of the agency": intake.officer("processing_officer"),
        "auditor": intake.officer("auditor", agency=OTHER_AGENCY, sub="thanh-tra"),
    }
    for who, headers in allowed.items():
        got = await intake.client.get(url, headers=headers)
        assert got.status_code == 200, who
        assert got.content == PDF
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert (
            "filename*=UTF-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B.pdf"
            in got.headers["content-disposition"]
        )

    refused = {
        "another citizen": intake.citizen("cd-other"),
        "officer of another agency": intake.officer("one_stop_officer", agency=OTHER_AGENCY),
    }
    for who, headers in refused.items():
        got = await intake.client.get(url, headers=headers)
        assert got.status_code == 404, who  # the same answer as for a dossier that does not exist
        assert PDF not in got.content
    assert (await intake.client.get(url)).status_code == 401
    # A counter dossier for someone without a VNeID account has no owner: no citizen can claim it.
    anonymous = await intake.submit(headers=intake.officer("one_stop_officer"), channel=1)
    got = await intake.client.get(
        f"/api/v1/dossiers/{anonymous.json()['code']}/files/1", headers=intake.citizen("cd-owner")
    )
    assert got.status_code == 404


class _Scanner:
    def __init__(self, result: ScanResult | None) -> None:
        self.result = result
        self.scanned: list[bytes] = []

    async def scan(self, chunks: AsyncIterator[bytes]) -> ScanResult:
        self.scanned.append(b"".join([c async for c in chunks]))
        if self.result is None:
            raise ScannerUnavailable("clamd down")
        return self.result


async def test_an_infected_file_is_refused_and_nothing_is_stored(intake: Intake) -> None:
    scanner = _Scanner(ScanResult("infected", "Eicar-Test-Signature"))
    intake.app.state.scanner = scanner
    before = await intake.counts()
    response = await intake.submit(headers=intake.citizen("cd-2"))
    assert response.status_code == 422
    assert response.json()["type"].endswith("infected-file")
    assert "Eicar-Test-Signature" in response.json()["detail"]
    assert scanner.scanned == [PDF]
    assert await intake.counts() == before


async def test_a_file_the_scanner_could_not_check_stays_quarantined(intake: Intake) -> None:
    intake.app.state.scanner = _Scanner(None)
    owner = intake.citizen("cd-3")
    response = await intake.submit(headers=owner)
    assert response.status_code == 201
    code = response.json()["code"]
    detail = (await intake.client.get(f"/api/v1/dossiers/{code}", headers=owner)).json()
    assert detail["files"][0]["scan_status"] == "quarantined"
    got = await intake.client.get(f"/api/v1/dossiers/{code}/files/1", headers=owner)
    assert got.status_code == 409 and got.json()["type"].endswith("file-quarantined")
    assert AGENCY in code


async def test_an_owned_dossier_is_shown_only_to_those_who_may_read_it(intake: Intake) -> None:
    owner = intake.citizen("cd-detail-owner")
    code = (await intake.submit(headers=owner, files=[("CCCD Nguyễn Thị Bình.pdf", PDF, "")])).json()["code"]
    url = f"/api/v1/dossiers/{code}"
    anonymous: dict[str, str] = {}
    for headers in (
        anonymous,
        intake.citizen("cd-detail-other"),
        intake.officer("one_stop_officer", agency=OTHER_AGENCY),
    ):
        refused = await intake.client.get(url, headers=headers)
        assert refused.status_code == 404 and "CCCD" not in refused.text
    for headers in (
        owner,
        intake.officer("one_stop_officer"),
        intake.officer("auditor", agency=OTHER_AGENCY),
    ):
        shown = await intake.client.get(url, headers=headers)
        assert shown.status_code == 200 and shown.json()["files"][0]["name"] == "CCCD Nguyễn Thị Bình.pdf"
    # The public look-up stays open, without the file names.
    lookup = await intake.client.get(f"/api/v1/lookup/{code}")
    assert lookup.status_code == 200 and "CCCD" not in lookup.text
