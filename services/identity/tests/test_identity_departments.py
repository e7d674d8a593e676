"""Departments (issue 15): each agency has its own (seeded), an officer's department is one of them
(not free text), a department head lists their department's officers to assign dossiers, and the
provincial operator lists officers without naming an agency."""

from __future__ import annotations

import pytest
from identity_support import TP, XD, Env, admins, bearer, problem_type

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_agencies_have_their_departments(env: Env) -> None:
    xd = await env.client.get(f"/api/v1/agencies/{XD}/departments")
    assert xd.status_code == 200
    assert {"code": "quan-ly-xay-dung", "name": "Phòng Quản lý xây dựng"} in xd.json()
    commune = (await env.client.get("/api/v1/agencies/000.03.30.H56/departments")).json()
    assert {d["name"] for d in commune} >= {"Văn phòng HĐND và UBND", "Phòng Văn hóa - Xã hội"}
    missing = await env.client.get("/api/v1/agencies/999.99.99.H56/departments")
    assert missing.status_code == 404


async def test_a_department_is_chosen_from_the_agencys_and_travels_in_the_event(env: Env) -> None:
    _, xd_admin, _ = await admins(env, "phong")
    body = {
        "username": "xd.phong.qlxd",
        "agency_id": XD,
        "full_name": "Lường Văn Xây",
        "position": "Chuyên viên xử lý",
        "roles": ["processing_officer"],
        "email": "xay.lv@laichau.gov.vn",
    }
    free_text = await env.client.post(
        "/api/v1/officers", json=body | {"department": "Phòng Xây dựng"}, headers=bearer(xd_admin)
    )
    assert free_text.status_code == 422 and problem_type(free_text) == "unknown-department"
    assert "quan-ly-xay-dung (Phòng Quản lý xây dựng)" in free_text.json()["detail"]
    of_other_agency = await env.client.post(
        "/api/v1/officers", json=body | {"department": "ho-tich-quoc-tich"}, headers=bearer(xd_admin)
    )
    assert of_other_agency.status_code == 422
    created = await env.client.post(
        "/api/v1/officers", json=body | {"department": "quan-ly-xay-dung"}, headers=bearer(xd_admin)
    )
    assert created.status_code == 201, created.text
    officer = created.json()["officer"]
    assert (
        officer["department"] == "quan-ly-xay-dung" and officer["department_name"] == "Phòng Quản lý xây dựng"
    )
    upserted = [d for k, d in await env.events(officer["id"]) if k == "officer.upserted.v1"]
    assert upserted[-1]["department"] == "quan-ly-xay-dung"
    assert upserted[-1]["department_name"] == "Phòng Quản lý xây dựng"
    assert upserted[-1]["email"] == "xay.lv@laichau.gov.vn"
    moved = await env.client.patch(
        f"/api/v1/officers/{officer['id']}", json={"department": "giao-thong"}, headers=bearer(xd_admin)
    )
    assert moved.status_code == 200 and moved.json()["department"] == "giao-thong"
    wrong = await env.client.patch(
        f"/api/v1/officers/{officer['id']}", json={"department": "khong-co"}, headers=bearer(xd_admin)
    )
    assert wrong.status_code == 422 and problem_type(wrong) == "unknown-department"


async def test_a_department_head_lists_the_officers_of_their_department(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "truong.phong")

    async def appoint(username: str, roles: list[str], department: str) -> str:
        response = await env.client.post(
            "/api/v1/officers",
            json={
                "username": username,
                "agency_id": XD,
                "full_name": f"Cán bộ {username}",
                "position": "Chuyên viên xử lý",
                "roles": roles,
                "department": department,
                "email": f"{username}@laichau.gov.vn",
            },
            headers=bearer(xd_admin),
        )
        assert response.status_code == 201, response.text
        officer_id: str = response.json()["officer"]["id"]
        return officer_id

    head_id = await appoint("xd.tp.qh", ["department_head", "processing_officer"], "quy-hoach-kien-truc")
    await appoint("xd.cv1.qh", ["processing_officer"], "quy-hoach-kien-truc")
    await appoint("xd.cv2.qh", ["processing_officer"], "quy-hoach-kien-truc")
    await appoint("xd.cv.nha", ["processing_officer"], "nha-bat-dong-san")
    head = (await env.activate("xd.tp.qh", await env.temporary_password(head_id)))["access_token"]
    mine = await env.client.get(
        f"/api/v1/agencies/{XD}/officers", params={"department": "quy-hoach-kien-truc"}, headers=bearer(head)
    )
    assert mine.status_code == 200, mine.text
    assert [o["username"] for o in mine.json()] == ["xd.cv1.qh", "xd.cv2.qh", "xd.tp.qh"]
    assert {o["department_name"] for o in mine.json()} == {"Phòng Quy hoạch - Kiến trúc"}
    default = await env.client.get("/api/v1/officers", headers=bearer(head))
    assert [o["username"] for o in default.json()] == ["xd.cv1.qh", "xd.cv2.qh", "xd.tp.qh"]
    for params, path in (
        ({"department": "nha-bat-dong-san"}, f"/api/v1/agencies/{XD}/officers"),
        ({}, f"/api/v1/agencies/{TP}/officers"),
    ):
        other = await env.client.get(path, params=params, headers=bearer(head))
        assert other.status_code == 403, (path, params)
    # The provincial operator lists every agency's officers without naming one.
    everyone = await env.client.get("/api/v1/officers", params={"limit": 200}, headers=bearer(operator))
    assert everyone.status_code == 200
    assert {XD, "000.00.01.H56"} <= {o["agency_id"] for o in everyone.json()}
    by_department = await env.client.get(
        "/api/v1/officers",
        params={"agency_id": XD, "department": "nha-bat-dong-san"},
        headers=bearer(operator),
    )
    assert [o["username"] for o in by_department.json()] == ["xd.cv.nha"]
