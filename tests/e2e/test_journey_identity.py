"""Identity's journeys on the real stack, as the people see them (issues 15, 16):
- a Sở's administrator appoints officers into the Sở's own departments; the department head lists
  the officers of their department (to assign dossiers); the provincial operator lists everyone;
- a one-stop officer resolves a person's CCCD (checked with VNeID when they never signed in) to the
  account whose data store a counter dossier goes to, and that person's VNeID login lands in the
  same account; a wrong number is refused, never accepted;
- someone with database access rewrites an audit record and recomputes its hash: `dvc audit verify
  --service identity` exits 2 and names the next record, whose link breaks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_journey_notify import Accounts

from dvc_common.audit import record_hash
from dvc_devkit.devstack import Stack
from dvc_identity.models import AuditRecord
from dvc_identity.service.audit import audit_content_of
from e2e_support import db_scalar, vneid_headers

XD = "000.00.14.H56"
NEVER_SIGNED_IN = "011300009876"  # Giàng Thị Mỷ in the VNeID simulator (other tests may sign her in)


def test_a_department_head_lists_their_department_and_the_operator_everyone(stack: Stack) -> None:
    accounts = Accounts(stack)
    identity = accounts.identity
    departments = identity.get(f"/api/v1/agencies/{XD}/departments").json()
    assert {"code": "quan-ly-xay-dung", "name": "Phòng Quản lý xây dựng"} in departments
    head = accounts.officer(
        XD,
        ["department_head", "processing_officer"],
        "Trưởng phòng Quản lý xây dựng",
        department="quan-ly-xay-dung",
    )
    staff = accounts.officer(
        XD, ["processing_officer"], "Chuyên viên Quản lý xây dựng", department="quan-ly-xay-dung"
    )
    elsewhere = accounts.officer(
        XD, ["processing_officer"], "Chuyên viên Giao thông", department="giao-thong"
    )
    listed = identity.get(
        f"/api/v1/agencies/{XD}/officers", params={"department": "quan-ly-xay-dung"}, headers=head.headers
    )
    assert listed.status_code == 200, listed.text
    names = {o["username"]: o["department_name"] for o in listed.json()}
    assert names == {head.username: "Phòng Quản lý xây dựng", staff.username: "Phòng Quản lý xây dựng"}
    assert elsewhere.username not in names
    refused = identity.get(
        f"/api/v1/agencies/{XD}/officers", params={"department": "giao-thong"}, headers=head.headers
    )
    assert refused.status_code == 403 and "cơ quan mình" in refused.json()["detail"]
    free_text = identity.post(
        "/api/v1/officers",
        headers=accounts.admin(XD),
        json={
            "username": "xd.tu.do",
            "agency_id": XD,
            "full_name": "Tự Do",
            "position": "Chuyên viên",
            "roles": ["processing_officer"],
            "email": "tudo@laichau.gov.vn",
            "department": "Phòng gì đó",
        },
    )
    assert free_text.status_code == 422 and "Phòng Quản lý xây dựng" in free_text.json()["detail"]
    everyone = identity.get("/api/v1/officers", params={"limit": 200}, headers=accounts.operator)
    assert everyone.status_code == 200 and {head.username, staff.username} <= {
        o["username"] for o in everyone.json()
    }


def test_the_desk_resolves_a_cccd_to_the_persons_own_data_store(stack: Stack) -> None:
    accounts = Accounts(stack)
    identity = accounts.identity
    desk = accounts.officer(XD, ["one_stop_officer"], "Công chức Một cửa")
    resolved = identity.post(
        "/api/v1/citizens/resolve",
        json={"identifier": NEVER_SIGNED_IN, "kind": "citizen"},
        headers=desk.headers,
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["name"] == "Giàng Thị Mỷ"
    citizen = vneid_headers(stack, NEVER_SIGNED_IN)
    me = identity.get("/api/v1/citizen/me", headers=citizen).json()
    assert me["id"] == resolved.json()["subject"]  # the same account, so the same data store
    for identifier, status in (("012999999999", 404), ("0123", 422), ("CCCD012345678901", 422)):
        wrong = identity.post(
            "/api/v1/citizens/resolve", json={"identifier": identifier}, headers=desk.headers
        )
        assert wrong.status_code == status, (identifier, wrong.text)
        assert wrong.headers["content-type"].startswith("application/problem+json")
    organisation = identity.post(
        "/api/v1/citizens/resolve",
        json={"identifier": "6200067890", "kind": "organisation"},
        headers=desk.headers,
    )
    assert organisation.status_code == 200 and organisation.json()["name"] == "Hợp tác xã Chè Tân Uyên"


def test_dvc_audit_verify_names_the_first_broken_link(stack: Stack) -> None:
    accounts = Accounts(stack)
    accounts.officer(XD, ["processing_officer"], "Cán bộ Nhật ký")
    token = accounts.operator["Authorization"].split()[1]

    def verify() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(Path(sys.executable).parent / "dvc"), "audit", "verify", "--service", "identity",
             "--url", stack.url("identity"), "--token", token],
            env=stack.env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    assert verify().returncode == 0
    tampered = int(db_scalar(stack, "identity", "SELECT max(seq) - 2 FROM identity_audit"))
    before = db_scalar(
        stack,
        "identity",
        "SELECT json_build_array(detail, hash)::text FROM identity_audit WHERE seq = $1",
        tampered,
    )
    # The attacker rewrites the record and recomputes its hash exactly as identity computes it.
    row = json.loads(
        db_scalar(
            stack, "identity", "SELECT row_to_json(a)::text FROM identity_audit a WHERE seq = $1", tampered
        )
    )
    row["detail"] = {**row["detail"], "forged": True}
    record = AuditRecord.model_validate(row)
    forged_hash = record_hash(record.prev_hash, audit_content_of(record))
    db_scalar(
        stack,
        "identity",
        "UPDATE identity_audit SET detail = $1::jsonb, hash = $2 WHERE seq = $3",
        json.dumps(row["detail"]),
        forged_hash,
        tampered,
    )
    try:
        broken = verify()
    finally:
        detail, digest = json.loads(before)
        db_scalar(
            stack,
            "identity",
            "UPDATE identity_audit SET detail = $1::jsonb, hash = $2 WHERE seq = $3",
            json.dumps(detail),
            digest,
            tampered,
        )
    assert broken.returncode == 2, broken.stdout + broken.stderr
    verdict = json.loads(broken.stdout)
    assert verdict["first_broken_seq"] == tampered + 1 and verdict["broken"] == "link"
    assert verdict["checked"] == tampered
    assert f"bản ghi số {tampered + 1}" in verdict["message"]
    assert verify().returncode == 0
