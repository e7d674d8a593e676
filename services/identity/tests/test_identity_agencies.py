"""The agency tree: the seeded province, reading it, creating and changing agencies (provincial only),
and the `agency.upserted.v1` event other services build their copy from."""

from __future__ import annotations

import pytest
from identity_support import PROVINCE, VP, XD, Env, admins, bearer, problem_type

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_the_seeded_tree_hangs_together_under_the_province(env: Env) -> None:
    response = await env.client.get("/api/v1/agencies")
    assert response.status_code == 200
    tree = {a["id"]: a for a in response.json()}
    assert len(tree) >= 20
    assert tree[PROVINCE] == {
        "id": PROVINCE,
        "name": "Ủy ban nhân dân tỉnh Lai Châu",
        "level": "province",
        "parent_id": None,
        "active": True,
    }
    assert tree[XD]["name"] == "Sở Xây dựng tỉnh Lai Châu" and tree[XD]["parent_id"] == PROVINCE
    for agency in tree.values():
        assert agency["parent_id"] is None or agency["parent_id"] in tree, agency
    assert [a for a in tree.values() if a["parent_id"] is None] == [tree[PROVINCE]]
    # Agencies of the former districts are kept (old dossiers carry their codes) but inactive.
    assert tree["000.00.21.H56"]["active"] is False
    assert list(tree) == sorted(tree)


async def test_one_agency_and_an_unknown_one(env: Env) -> None:
    found = await env.client.get(f"/api/v1/agencies/{VP}")
    assert found.status_code == 200 and found.json()["parent_id"] == PROVINCE
    missing = await env.client.get("/api/v1/agencies/999.99.99.H56")
    assert missing.status_code == 404
    assert problem_type(missing) == "agency-not-found"
    assert missing.json()["title"] == "Không tìm thấy cơ quan"
    assert "999.99.99.H56" in missing.json()["detail"]


async def test_the_operator_creates_renames_and_deactivates_an_agency(env: Env) -> None:
    operator = await env.operator("vp.coquan")
    new_id = "000.02.14.H56"
    body = {
        "id": new_id,
        "name": "Trung tâm Quy hoạch xây dựng",
        "level": "department",
        "parent_id": XD,
    }
    created = await env.client.put(f"/api/v1/agencies/{new_id}", json=body, headers=bearer(operator))
    assert created.status_code == 200, created.text
    assert created.json() == body | {"active": True}
    listed = {a["id"]: a for a in (await env.client.get("/api/v1/agencies")).json()}
    assert listed[new_id]["parent_id"] == XD

    renamed = await env.client.put(
        f"/api/v1/agencies/{new_id}",
        json=body | {"name": "Trung tâm Quy hoạch và Kiểm định xây dựng"},
        headers=bearer(operator),
    )
    assert renamed.status_code == 200
    shown = (await env.client.get(f"/api/v1/agencies/{new_id}")).json()
    assert shown["name"] == "Trung tâm Quy hoạch và Kiểm định xây dựng"

    closed = await env.client.put(
        f"/api/v1/agencies/{new_id}",
        json=body | {"name": shown["name"], "active": False},
        headers=bearer(operator),
    )
    assert closed.status_code == 200 and closed.json()["active"] is False
    # No new account can be opened in an agency that no longer exists.
    officer = await env.client.post(
        "/api/v1/officers",
        headers=bearer(operator),
        json={
            "username": "ttqh.admin",
            "agency_id": new_id,
            "full_name": "Quản trị Trung tâm",
            "position": "Quản trị tài khoản cơ quan",
            "roles": ["agency_admin"],
            "email": "ttqh.admin@laichau.gov.vn",
        },
    )
    assert officer.status_code == 422 and problem_type(officer) == "unknown-agency"


async def test_other_services_hear_of_a_change_once_and_the_change_is_audited(env: Env) -> None:
    operator = await env.operator("vp.sukien")
    agency_id = "000.03.14.H56"
    body = {"id": agency_id, "name": "Đội Kiểm tra trật tự xây dựng", "level": "department", "parent_id": XD}
    for _ in range(2):  # the same body twice: nothing changed the second time
        response = await env.client.put(f"/api/v1/agencies/{agency_id}", json=body, headers=bearer(operator))
        assert response.status_code == 200
    events = await env.events(agency_id)
    assert [key for key, _ in events] == ["agency.upserted.v1"]
    assert events[0][1] | {"updated_at": None} == {
        "agency_id": agency_id,
        "name": "Đội Kiểm tra trật tự xây dựng",
        "level": "department",
        "parent_id": XD,
        "active": True,
        "updated_at": None,
    }
    await env.client.put(
        f"/api/v1/agencies/{agency_id}",
        json=body | {"name": "Đội Quản lý trật tự xây dựng"},
        headers=bearer(operator),
    )
    events = await env.events(agency_id)
    assert [key for key, _ in events] == ["agency.upserted.v1"] * 2
    assert events[1][1]["name"] == "Đội Quản lý trật tự xây dựng"
    trail = await env.audit(operator, target=agency_id)
    assert [(r["action"], r["detail"]["name"]) for r in trail] == [
        ("agency.upserted", "Đội Kiểm tra trật tự xây dựng"),
        ("agency.upserted", "Đội Quản lý trật tự xây dựng"),
    ]
    me = (await env.client.get("/api/v1/officers/me", headers=bearer(operator))).json()
    assert {r["actor"] for r in trail} == {me["id"]}


async def test_an_agency_needs_a_known_parent_and_a_matching_id(env: Env) -> None:
    operator = await env.operator("vp.coquan.sai")
    orphan = await env.client.put(
        "/api/v1/agencies/000.04.14.H56",
        json={
            "id": "000.04.14.H56",
            "name": "Cơ quan mồ côi",
            "level": "department",
            "parent_id": "999.00.00.H56",
        },
        headers=bearer(operator),
    )
    assert orphan.status_code == 422 and problem_type(orphan) == "unknown-parent-agency"
    assert "999.00.00.H56" in orphan.json()["detail"]
    mismatch = await env.client.put(
        "/api/v1/agencies/000.05.14.H56",
        json={"id": "000.06.14.H56", "name": "Cơ quan lệch mã", "level": "department", "parent_id": XD},
        headers=bearer(operator),
    )
    assert mismatch.status_code == 422 and problem_type(mismatch) == "id-mismatch"
    bad_level = await env.client.put(
        "/api/v1/agencies/000.07.14.H56",
        json={"id": "000.07.14.H56", "name": "Cơ quan cấp lạ", "level": "ministry", "parent_id": XD},
        headers=bearer(operator),
    )
    assert bad_level.status_code == 422
    for agency_id in ("000.04.14.H56", "000.05.14.H56", "000.06.14.H56", "000.07.14.H56"):
        assert (await env.client.get(f"/api/v1/agencies/{agency_id}")).status_code == 404


async def test_only_the_provincial_operator_changes_the_tree(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "tree")
    body = {"id": XD, "name": "Sở Xây dựng (đổi tên trái phép)", "level": "department", "parent_id": PROVINCE}
    by_admin = await env.client.put(f"/api/v1/agencies/{XD}", json=body, headers=bearer(xd_admin))
    assert by_admin.status_code == 403
    anonymous = await env.client.put(f"/api/v1/agencies/{XD}", json=body)
    assert anonymous.status_code == 401
    assert (await env.client.get(f"/api/v1/agencies/{XD}")).json()["name"] == "Sở Xây dựng tỉnh Lai Châu"
