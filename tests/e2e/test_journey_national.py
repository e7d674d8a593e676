"""The national portal's record of a dossier as officers move it (issue 15), through the real HTTP
APIs: the files submitted are in TaiLieuNop; each step that keeps the status (an officer hands the
dossier to the next internal step) is in the portal's processing history in its place, not only
the status changes; the record uses the portal's field names (the simulator refuses others)."""

from __future__ import annotations

from typing import Any

import httpx
from test_journey_payments import DRIVING_LICENCE, People, submit

from dvc_devkit.devstack import Stack
from e2e_support import eventually, portal_record

CONSTRUCTION = "000.00.14.H56"


def test_steps_that_keep_the_status_reach_the_portal_history(stack: Stack) -> None:
    people = People(stack)
    officer = people.officer(
        CONSTRUCTION, "one_stop_officer", "processing_officer", "department_head", "agency_leader"
    )
    owner = people.citizen("012345678901")
    code = submit(
        stack, owner, DRIVING_LICENCE, components=2,
        eform={"ho_ten": "Giàng Thị Mỷ", "so_gplx": "790123456789", "hang": "B"},
    )  # fmt: skip
    workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
    eventually(
        lambda: workflow.get(f"/api/v1/dossiers/{code}").status_code == 200, what="dossier in workflow"
    )
    accepted = workflow.post(f"/api/v1/dossiers/{code}/actions/accept", headers=officer)
    assert accepted.status_code == 200, accepted.text
    kept_status = 0  # forwards that moved the dossier on to another internal step, status unchanged
    state: dict[str, Any] = accepted.json()
    for _ in range(6):
        before = state["status"]
        state = workflow.post(f"/api/v1/dossiers/{code}/actions/forward", headers=officer).json()
        kept_status += state.get("status") == before == 4
        if state.get("status") == 6:
            break
    assert state["status"] == 6, state
    assert kept_status >= 1, "the process has internal steps within status 4"

    def synced_at_6() -> dict[str, Any] | None:
        record = portal_record(stack, code)
        return record if record and int(record["current"]["TrangThaiHoSo"]) == 6 else None

    def history_complete() -> dict[str, Any] | None:
        record = synced_at_6()
        if record is None:
            return None
        at_4 = [s for s in record["steps"] if int(s["step"]["TrangThai"]) == 4]
        return record if len(at_4) >= 1 + kept_status else None

    record = eventually(history_complete, timeout=90, what="the steps that kept status 4 on the portal")
    statuses = [int(s["step"]["TrangThai"]) for s in record["steps"]]
    assert statuses == sorted(statuses, key=[2, 4, 6].index), "the history in the order it happened"
    versions = [int(v["record"]["TrangThaiHoSo"]) for v in record["history"]]
    assert versions == [1, 2, 4, 6], "a step that keeps the status sends no new record version"
    at_4 = [s["step"] for s in record["steps"] if int(s["step"]["TrangThai"]) == 4]
    assert all(s["NguoiXuLy"] and s["NoiDungXuLy"] for s in at_4)
    assert len({s["NoiDungXuLy"] for s in at_4}) > 1, "each step says what was done"
    files = [d["TenTepDinhKem"] for d in record["current"]["TaiLieuNop"]]
    assert files == ["thanh-phan-1.pdf", "thanh-phan-2.pdf"]
    assert "MaLinhVuc" not in record["current"] and record["current"]["TenLinhVuc"] == "Đường bộ"
