"""The portal simulator's create / update / query / inbound API and its misbehaviour switches."""

from __future__ import annotations

import time

import httpx

from .test_sandbox_portal import dossier, step

API = "/national-portal/api"
CONTROL = "/national-portal/_control"
CODE = "000.00.14.H56-250915-0001"


async def test_create_twice_is_a_duplicate_and_update_needs_a_created_dossier(
    portal: httpx.AsyncClient,
) -> None:
    unknown = await portal.post(f"{API}/dossiers/update", json=[dossier()])
    assert unknown.json()["error_code"] == "6"
    first = await portal.post(f"{API}/dossiers/create", json=[dossier()])
    again = await portal.post(f"{API}/dossiers/create", json=[dossier()])
    update = await portal.post(f"{API}/dossiers/update", json=[dossier(TrangThaiHoSo=4)])
    assert [first.json()["error_code"], again.json()["error_code"], update.json()["error_code"]] == [
        "0",
        "8",
        "0",
    ]
    assert "đã tồn tại" in again.json()["message"]
    found = await portal.post(f"{API}/dossiers/query", json={"MaHoSo": [CODE, "khong-co"]})
    assert [r["TrangThaiHoSo"] for r in found.json()["data"]] == [4]


async def test_a_faulted_dossier_is_rejected_until_cleared(portal: httpx.AsyncClient) -> None:
    await portal.post(f"{CONTROL}/faults", json={"MaHoSo": CODE, "error_code": "5", "times": 1})
    rejected = await portal.post(f"{API}/dossiers/create", json=[dossier()])
    accepted = await portal.post(f"{API}/dossiers/create", json=[dossier()])
    assert [rejected.json()["error_code"], accepted.json()["error_code"]] == ["5", "0"]
    await portal.post(f"{CONTROL}/faults", json={"MaHoSo": CODE, "error_code": "4"})
    assert (await portal.post(f"{API}/dossiers/steps", json=[step()])).json()["error_code"] == "4"
    await portal.delete(f"{CONTROL}/faults")
    assert (await portal.post(f"{API}/dossiers/steps", json=[step()])).json()["error_code"] == "0"


async def test_a_slow_portal_answers_late(portal: httpx.AsyncClient) -> None:
    await portal.post(f"{CONTROL}/latency", json={"seconds": 0.3})
    started = time.monotonic()
    await portal.post(f"{API}/dossiers/query", json={"MaHoSo": [CODE]})
    assert time.monotonic() - started >= 0.3
    await portal.post(f"{CONTROL}/latency", json={"seconds": 0})


async def test_national_submissions_are_fetched_by_cursor_and_linked_back(portal: httpx.AsyncClient) -> None:
    before = (await portal.get(f"{API}/inbound", params={"after": 0, "limit": 500})).json()["data"]
    created = (
        await portal.post(
            f"{CONTROL}/submissions", json={"MaTTHC": "1.001612", "ChuHoSo": "Giàng A Páo", "TaiLieuNop": []}
        )
    ).json()
    assert created["MaHoSoQG"].startswith("QG-") and len(created["NgayNopHoSo"]) == 14
    fetched = (await portal.get(f"{API}/inbound", params={"after": len(before)})).json()["data"]
    assert [s["MaHoSoQG"] for s in fetched] == [created["MaHoSoQG"]]
    await portal.post(f"{API}/dossiers/create", json=[dossier(MaHoSoQG=created["MaHoSoQG"], TrangThaiHoSo=1)])
    listed = (await portal.get(f"{CONTROL}/submissions")).json()
    assert [s["MaHoSo"] for s in listed if s["MaHoSoQG"] == created["MaHoSoQG"]] == [CODE]
