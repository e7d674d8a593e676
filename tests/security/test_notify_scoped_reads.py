"""Issue 16, High: every applicant's e-mail and phone readable by any officer of any agency. Notify's
delivery log (`/deliveries?status=sent`), a dossier's deliveries and its notifications answered every
officer (the notifications even anyone). Now each list and detail holds only what the caller may
read under the shared read-access policy: the handling agency's officers and province-wide readers."""

from __future__ import annotations

import uuid

import httpx
from security_support import AGENCY_A, OTHER_AGENCY, PROCEDURE_A, People

from dvc_devkit.devstack import Stack
from e2e_support import eventually, submit


def test_another_agencys_officer_reads_no_applicant_contact(stack: Stack, people: People) -> None:
    notify, workflow = stack.url("notify"), stack.url("workflow")
    email = f"nguoi.nop.{uuid.uuid4().hex[:6]}@example.vn"
    code: str = eventually(
        lambda: (r := submit(stack, email=email, procedure_code=PROCEDURE_A)).status_code == 201 and r,
        what="intake knows the procedure",
    ).json()["code"]
    handling = people.officer(AGENCY_A, "one_stop_officer")
    eventually(lambda: httpx.get(f"{workflow}/api/v1/dossiers/{code}", timeout=10).status_code == 200,
               what="dossier in workflow")  # fmt: skip
    accepted = httpx.post(f"{workflow}/api/v1/dossiers/{code}/actions/accept", headers=handling, timeout=30)
    assert accepted.status_code == 200, accepted.text

    def sent() -> list[dict[str, str]] | None:
        got = httpx.get(f"{notify}/api/v1/dossiers/{code}/deliveries", headers=handling, timeout=10)
        rows: list[dict[str, str]] = got.json() if got.status_code == 200 else []
        return [r for r in rows if r["status"] == "sent"] or None

    (mail,) = eventually(sent, what="the receipt mail sent")
    assert mail["recipient"] == email  # the handling agency sees whom it wrote to

    stranger = people.officer(OTHER_AGENCY, "one_stop_officer", "agency_leader")
    log = httpx.get(f"{notify}/api/v1/deliveries", params={"status": "sent", "limit": 500},
                    headers=stranger, timeout=10)  # fmt: skip
    assert log.status_code == 200
    assert email not in log.text and code not in log.text, (
        "another agency's officer read the applicant's contact"
    )
    for path in (f"/api/v1/dossiers/{code}/deliveries", f"/api/v1/dossiers/{code}/notifications"):
        refused = httpx.get(notify + path, headers=stranger, timeout=10)
        assert refused.status_code == 404, (path, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert email not in refused.text and refused.json()["title"] == "Không tìm thấy hồ sơ"
    assert httpx.get(f"{notify}/api/v1/dossiers/{code}/notifications", timeout=10).status_code == 401

    # The handling agency's log lists it; the count of another agency holds nothing of it.
    mine = httpx.get(f"{notify}/api/v1/deliveries", params={"status": "sent", "limit": 500},
                     headers=handling, timeout=10)  # fmt: skip
    assert code in {i["dossier_code"] for i in mine.json()["items"]}
    shown = httpx.get(f"{notify}/api/v1/dossiers/{code}/notifications", headers=handling, timeout=10)
    assert shown.status_code == 200 and shown.json() and email not in shown.text
