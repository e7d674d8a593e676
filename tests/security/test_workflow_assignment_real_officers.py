"""Issue 15/16: `assign` picks a real officer of the handling agency, as identity announced them
(officer.upserted.v1, internal, with their department): an unknown subject, another agency's officer
and markup in a name are refused; the stored name and department are identity's."""

from __future__ import annotations

import uuid

import httpx
from security_support import AGENCY_A, AGENCY_B, PROCEDURE_A, People, submit_online

from dvc_devkit.devstack import Stack
from e2e_support import eventually


def _new_officer(people: People, agency: str, department: str | None) -> tuple[str, str]:
    """An officer of `agency` in `department`, created by the agency's admin (no sign-in needed)."""
    people.officer(agency, "processing_officer")  # makes sure the agency has an admin
    username = f"sec.pc{uuid.uuid4().hex[:8]}"
    name = f"Vàng A Sử {username[-4:]}"
    created = people.identity.post(
        "/api/v1/officers",
        headers=people._admins[agency],
        json={
            "username": username,
            "agency_id": agency,
            "full_name": name,
            "position": "Chuyên viên",
            "roles": ["processing_officer"],
            "email": f"{username}@laichau.gov.vn",
            **({"department": department} if department else {}),
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["officer"]["id"]), name


def test_assign_takes_only_real_officers_of_the_handling_agency(stack: Stack, people: People) -> None:
    workflow = stack.url("workflow")
    departments = people.identity.get(f"/api/v1/agencies/{AGENCY_A}/departments").json()
    department = departments[0] if departments else None
    own_id, own_name = _new_officer(people, AGENCY_A, department["code"] if department else None)
    other_id, _ = _new_officer(people, AGENCY_B, None)
    citizen = people.citizen("012345678901")
    code = submit_online(stack, citizen.headers, procedure_code=PROCEDURE_A)
    leader = people.officer(AGENCY_A, "one_stop_officer", "agency_leader", "department_head")

    def received() -> httpx.Response | None:
        response = httpx.post(f"{workflow}/api/v1/dossiers/{code}/actions/accept", headers=leader, timeout=30)
        return response if response.status_code == 200 else None

    eventually(received, what="workflow opened and received the dossier")

    def assign(**body: str) -> httpx.Response:
        return httpx.post(
            f"{workflow}/api/v1/dossiers/{code}/actions/assign", json=body, headers=leader, timeout=30
        )

    for body in (
        {"assignee_subject": str(uuid.uuid4())},
        {"assignee_subject": other_id},
        {"assignee_subject": own_id, "assignee_name": "<script>alert(1)</script>"},
    ):
        refused = assign(**body)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")

    def assigned() -> httpx.Response | None:
        response = assign(assignee_subject=own_id)
        return response if response.status_code == 200 else None  # 422 until workflow heard of them

    done = eventually(assigned, what="workflow knows identity's new officer")
    entry = done.json()["history"][-1]
    assert entry["action"] == "assign" and own_name in entry["note"]
    if department:
        assert department["name"] in entry["note"]
    assert "<script>" not in done.text
