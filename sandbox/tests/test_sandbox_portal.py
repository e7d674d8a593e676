"""The national portal simulator, driven over HTTP like a provincial system would."""

from __future__ import annotations

from typing import Any

import httpx

from .conftest import RunningSandbox

SYNC = "/national-portal/api/dossiers/sync"
STEPS = "/national-portal/api/dossiers/steps"


def dossier(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "MaHoSo": "000.00.14.H56-250915-0001",
        "MaTTHC": "1.001612",
        "TenTTHC": "Đăng ký khai sinh",
        "MaLinhVuc": "HT",
        "KenhThucHien": 2,
        "ChuHoSo": "Nguyễn Văn An",
        "LoaiDoiTuong": 1,
        "MaDoiTuong": "",
        "SoDienThoai": "0912345678",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "NgayTiepNhan": "20250915083000",
        "NgayHenTra": "20250917163000",
        "TrangThaiHoSo": 2,
        "NgayTra": None,
        "HinhThuc": 0,
        "NgayKetThucXuLy": None,
        "DonViXuLy": "UBND xã Tam Đường",
        "TaiLieuNop": [{"TepDinhKemId": "1", "TenTepDinhKem": "Tờ khai.pdf"}],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "Gia": 0}],
        "DanhSachGiayToKetQua": [],
    }
    record.update(changes)
    return record


def step(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "MaHoSo": "000.00.14.H56-250915-0001",
        "NguoiXuLy": "Trần Thị Bình",
        "ChucDanh": "Công chức tư pháp - hộ tịch",
        "ThoiDiemXuLy": "20250915090000",
        "PhongBanXuLy": "Bộ phận một cửa",
        "NoiDungXuLy": "Tiếp nhận hồ sơ",
        "TrangThai": 2,
        "NgayBatDau": "20250915083000",
        "NgayKetThucTheoQuyDinh": "20250916083000",
    }
    record.update(changes)
    return record


async def test_sync_keeps_every_version_and_the_steps(portal: httpx.AsyncClient) -> None:
    first = await portal.post(SYNC, json=[dossier()])
    steps = await portal.post(STEPS, json=[step()])
    second = await portal.post(SYNC, json=[dossier(TrangThaiHoSo="4")])

    assert [r.status_code for r in (first, second, steps)] == [200, 200, 200]
    assert [r.json()["error_code"] for r in (first, second, steps)] == ["0", "0", "0"]
    found = (await portal.get("/national-portal/api/dossiers/000.00.14.H56-250915-0001")).json()
    assert found["error_code"] == "0"
    data = found["data"]
    assert data["current"]["TrangThaiHoSo"] == "4"
    assert [v["record"]["TrangThaiHoSo"] for v in data["history"]] == [2, "4"]
    assert [s["step"]["NoiDungXuLy"] for s in data["steps"]] == ["Tiếp nhận hồ sơ"]


async def test_an_unknown_dossier_is_not_found(portal: httpx.AsyncClient) -> None:
    response = await portal.get("/national-portal/api/dossiers/000.00.14.H56-250101-9999")
    assert response.status_code == 404
    assert response.json()["error_code"] == "404"


async def test_invalid_records_are_rejected_whole_with_their_error_code(portal: httpx.AsyncClient) -> None:
    cases = [
        ([dossier(NgayTiepNhan="2025-09-15 08:30")], "3", "NgayTiepNhan"),
        ([dossier(NgayHenTra="20250231120000")], "3", "NgayHenTra"),
        ([dossier(TrangThaiHoSo=11)], "4", "TrangThaiHoSo"),
        ([dossier(TrangThaiHoSo=0)], "4", "TrangThaiHoSo"),
        ([dossier(MaHoSo=None)], "2", "MaHoSo"),
        ([{k: v for k, v in dossier().items() if k != "MaTTHC"}], "2", "MaTTHC"),
        ([dossier(KenhThucHien=4)], "5", "KenhThucHien"),
        ([dossier(TrangThaiHoSo=10)], "2", "NgayTra"),
        ([dossier(NgayHenTra="20250914000000")], "7", "NgayHenTra"),
        ([dossier(DanhSachLePhi=[{"Gia": -5}])], "5", "Gia"),
        ([dossier(DanhSachLePhi=[{"TenPhiLePhi": "Lệ phí", "Gia": "135.000"}])], "5", "Gia"),
        ([dossier(DanhSachLePhi=[{"Gia": "135000"}])], "2", "TenPhiLePhi"),
        ([dossier(DanhSachLePhi=[{"TenPhiLePhi": "Lệ phí", "Gia": "1", "SoTien": 1}])], "1", "SoTien"),
        ([dossier(TaiLieuNop=[{"TepDinhKemId": "1"}])], "2", "TenTepDinhKem"),
        ([dossier(DanhSachGiayToKetQua=[{"Ten": "Giấy phép"}])], "1", "Ten"),
        ([dossier(TenThuTuc="Đăng ký khai sinh")], "1", "TenThuTuc"),
        ([dossier(TaiLieuNop="tờ khai")], "1", "TaiLieuNop"),
        ([dossier(), dossier(MaHoSo="000.00.14.H56-250915-0002", TrangThaiHoSo="x")], "4", "thứ 2"),
        ([], "1", "không có bản ghi"),
        ({"MaHoSo": "x"}, "1", "mảng"),
    ]
    for payload, code, mentioned in cases:
        response = await portal.post(SYNC, json=payload)
        body = response.json()
        assert response.status_code == 200, payload
        assert body["error_code"] == code, (payload, body)
        assert mentioned in body["message"], body

    state = (await portal.get("/national-portal/_control/state")).json()
    assert state["dossiers"] == [], "a rejected array must store nothing, not even its valid items"


async def test_malformed_json_is_rejected(portal: httpx.AsyncClient) -> None:
    response = await portal.post(SYNC, content=b"[{", headers={"Content-Type": "application/json"})
    assert response.json()["error_code"] == "1"


async def test_steps_are_validated_and_need_a_synchronised_dossier(portal: httpx.AsyncClient) -> None:
    unknown = await portal.post(STEPS, json=[step()])
    assert unknown.json()["error_code"] == "6"

    await portal.post(SYNC, json=[dossier()])
    bad_date = await portal.post(STEPS, json=[step(ThoiDiemXuLy="15/09/2025")])
    bad_status = await portal.post(STEPS, json=[step(TrangThai=12)])
    missing = await portal.post(STEPS, json=[step(NguoiXuLy="")])

    assert [r.json()["error_code"] for r in (bad_date, bad_status, missing)] == ["3", "4", "2"]


async def test_a_wrong_or_missing_key_is_refused(portal: httpx.AsyncClient, sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.http_url) as anonymous:
        missing = await anonymous.post(SYNC, json=[dossier()])
        wrong = await anonymous.post(SYNC, json=[dossier()], headers={"Authorization": "Bearer nope"})
        by_header = await anonymous.post(SYNC, json=[dossier()], headers={"X-API-Key": "sandbox-test-key"})

    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.json()["error_code"] == "401"
    assert by_header.json()["error_code"] == "0"


async def test_an_outage_answers_503_until_it_is_over(portal: httpx.AsyncClient) -> None:
    await portal.post("/national-portal/_control/outage", json={"down": True})
    during = await portal.post(SYNC, json=[dossier()])
    state = (await portal.get("/national-portal/_control/state")).json()
    await portal.post("/national-portal/_control/outage", json={"down": False})
    after = await portal.post(SYNC, json=[dossier()])

    assert during.status_code == 503
    assert during.json()["error_code"] == "503"
    assert during.headers["Retry-After"]
    assert state["down"] is True
    assert state["refused_while_down"] == 1
    assert state["dossiers"] == []
    assert after.json()["error_code"] == "0"


async def test_reset_forgets_every_record(portal: httpx.AsyncClient) -> None:
    await portal.post(SYNC, json=[dossier()])
    await portal.delete("/national-portal/_control/records")
    response = await portal.get("/national-portal/api/dossiers/000.00.14.H56-250915-0001")
    assert response.status_code == 404


async def test_health(portal: httpx.AsyncClient) -> None:
    body = (await portal.get("/healthz")).json()
    assert body["status"] == "ok"
    assert body["clock"]["version"] == 0, "the simulators' time: the wall clock unless told otherwise"
