"""Issue 16, Medium: the public look-up by dossier code (workflow's GET /api/v1/dossiers/{code}) gives
an anonymous caller statuses and times only: no file name, no applicant's name, identifier, phone or
e-mail, no officer's name or free-text note — and it is limited (the shared limiter, K5)."""

from __future__ import annotations

import httpx
from security_support import AGENCY_A, PROCEDURE_A, People, submit_online

from dvc_devkit.devstack import Stack
from e2e_support import PDF, eventually

FILE_NAME = "CCCD_012345678901_Nguyen_Van_An.pdf"
PERSONAL = ("Nguyễn Văn An", "012345678901", "0912345001", "an.nguyen.tracuu@example.vn", "Nguyen_Van_An")


def test_the_anonymous_look_up_shows_no_personal_data_nor_notes(stack: Stack, people: People) -> None:
    workflow = stack.url("workflow")
    citizen = people.citizen("012345678901")
    code = submit_online(
        stack,
        citizen.headers,
        procedure_code=PROCEDURE_A,
        file=(FILE_NAME, PDF),
        applicant_name="Nguyễn Văn An",
        phone="0912345001",
        email="an.nguyen.tracuu@example.vn",
    )
    officer = people.officer(AGENCY_A, "one_stop_officer", "processing_officer")

    def known() -> httpx.Response | None:
        response = httpx.get(f"{workflow}/api/v1/dossiers/{code}", headers=officer, timeout=30)
        return response if response.status_code == 200 else None

    eventually(known, what="workflow opened the dossier")
    note = "Gọi lại 0912345001 cho ông Nguyễn Văn An (CCCD 012345678901) để bổ sung"
    for action, body in (("accept", {}), ("request_supplement", {"reason": note, "items": ["Bản vẽ"]})):
        done = httpx.post(
            f"{workflow}/api/v1/dossiers/{code}/actions/{action}",
            json=body or None,
            headers=officer,
            timeout=30,
        )
        assert done.status_code == 200, done.text
    full = httpx.get(f"{workflow}/api/v1/dossiers/{code}", headers=officer, timeout=30)
    assert note in full.text  # the handling officer reads the note

    anonymous = httpx.get(f"{workflow}/api/v1/dossiers/{code}", timeout=30)
    assert anonymous.status_code == 200
    body = anonymous.json()
    assert [h["status"] for h in body["history"]] == [1, 2, 5]
    text = anonymous.text
    for secret in (*PERSONAL, FILE_NAME, note, "Lò Văn Tâm"):
        assert secret not in text, secret
    assert all(h["note"] is None and h["actor_name"] is None for h in body["history"])
    # Another citizen's token gets the same public view, not the detail.
    stranger = people.citizen("012345678902")
    seen = httpx.get(f"{workflow}/api/v1/dossiers/{code}", headers=stranger.headers, timeout=30)
    assert seen.status_code == 200 and note not in seen.text and "Nguyễn Văn An" not in seen.text
