"""Issue 16, High: documents stolen across agencies through `reuse`. A one-stop officer of agency A
filed a counter dossier naming citizen X as owner and reusing X's document of a dossier at agency B,
then downloaded B's file. Reuse is the owner's own act on their own data store: with no record of
the owner's consent, an officer's reuse is refused, and naming the file gives the officer nothing."""

from __future__ import annotations

import json

import httpx
from security_support import AGENCY_A, PROCEDURE_A, PROCEDURE_B, People, submit_online

from dvc_devkit.devstack import Stack
from e2e_support import PDF, component_files

SECRET = PDF + b"%CCCD 012345678902 Tran Thi Binh\n"


def test_an_officer_cannot_take_another_agencys_document_by_reusing_it(stack: Stack, people: People) -> None:
    intake = stack.url("intake")
    owner = people.citizen("012345678902")
    at_b = submit_online(
        stack, owner.headers, procedure_code=PROCEDURE_B, file=("CCCD mặt trước.pdf", SECRET)
    )
    officer_a = people.officer(AGENCY_A, "one_stop_officer")

    form = {
        "procedure_code": PROCEDURE_A,
        "applicant_name": "Trần Thị Bình",
        "channel": 1,
        "owner_identifier": "012345678902",
        "reuse": [{"dossier_code": at_b, "position": 1}],
    }
    filed = httpx.post(
        f"{intake}/api/v1/dossiers",
        data={"dossier": json.dumps(form, ensure_ascii=False)},
        headers=officer_a,
        timeout=30,
    )
    if filed.status_code == 201:  # the hole: show what it gave away
        stolen = httpx.get(
            f"{intake}/api/v1/dossiers/{filed.json()['code']}/files/1",
            headers=officer_a, timeout=30, follow_redirects=True,
        )  # fmt: skip
        assert stolen.content != SECRET, "agency A's officer downloaded agency B's document"
    assert filed.status_code == 403, filed.text
    assert filed.headers["content-type"].startswith("application/problem+json")
    problem = filed.json()
    assert problem["type"].endswith("reuse-owner-only") and "đồng ý" in problem["detail"]

    # Nor does naming the file directly open it, and nothing landed in the owner's data store.
    direct = httpx.get(f"{intake}/api/v1/dossiers/{at_b}/files/1", headers=officer_a, timeout=30)
    assert direct.status_code == 404
    mine = httpx.get(f"{intake}/api/v1/my/dossiers", headers=owner.headers, timeout=30).json()
    assert at_b in {d["code"] for d in mine} and AGENCY_A not in {d["agency_id"] for d in mine}

    # The owner still reuses their own document (the feature is not closed, the hole is).
    # (the reused document is the first component; the others are uploaded)
    again = httpx.post(
        f"{intake}/api/v1/dossiers",
        data={"dossier": json.dumps({"procedure_code": PROCEDURE_A, "applicant_name": "Trần Thị Bình",
                                     "components": [2, 3],
                                     "reuse": [{"dossier_code": at_b, "position": 1, "component": 1}]},
                                    ensure_ascii=False)},
        files=[("files", part) for part in component_files(stack, PROCEDURE_A)[1:]],
        headers=owner.headers,
        timeout=30,
    )  # fmt: skip
    assert again.status_code == 201, again.text
    reused = len(component_files(stack, PROCEDURE_A))  # uploads come first, the reused document last
    own = httpx.get(
        f"{intake}/api/v1/dossiers/{again.json()['code']}/files/{reused}",
        headers=owner.headers, timeout=30, follow_redirects=True,
    )  # fmt: skip
    assert own.status_code == 200 and own.content == SECRET
