"""The account audit log as auditors use it: every action appended to one hash chain, read in pages
within each reader's scope, verified end to end, and a tampered or deleted record named."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from identity_support import CLIENT_ADDRESS, TP, VP, XD, Env, admins, bearer
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.audit import record_hash
from dvc_identity.models import AuditRecord
from dvc_identity.service.audit import audit_content_of

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _whole_trail(env: Env, token: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    while page := await env.audit(token, limit=200, **({"after": records[-1]["seq"]} if records else {})):
        records.extend(page)
    return records


def _short(result: dict[str, Any]) -> dict[str, Any]:
    return {key: result[key] for key in ("records", "intact", "first_broken_seq")}


async def _verify(env: Env, token: str) -> dict[str, Any]:
    response = await env.client.get("/api/v1/audit/verify", headers=bearer(token))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return {key: result[key] for key in ("records", "intact", "first_broken_seq")}


@pytest.fixture(scope="module")
async def auditor(env: Env) -> AsyncIterator[str]:
    """An auditor (thanh tra, kiểm tra) appointed by a provincial operator."""
    operator = await env.operator("vp.cap.kiemtra")
    _, tokens = await env.officer(operator, "vp.kiemtra", VP, ["auditor"], "Thanh tra, kiểm tra")
    yield tokens["access_token"]


async def test_each_action_is_appended_with_who_where_and_from_what(env: Env) -> None:
    operator, xd_admin, _ = await admins(env, "nhatky")
    async with env.other_client("203.0.113.9") as client:
        created = await client.post(
            "/api/v1/officers",
            headers=bearer(xd_admin) | {"User-Agent": "Trinh-duyet-co-quan/1.0"},
            json={
                "username": "xd.nhat.ky",
                "agency_id": XD,
                "full_name": "Hà Văn Ký",
                "position": "Chuyên viên xử lý",
                "roles": ["processing_officer"],
                "email": "ky.hv@laichau.gov.vn",
            },
        )
    officer_id = created.json()["officer"]["id"]
    await env.client.post(
        f"/api/v1/officers/{officer_id}/lock", json={"reason": "moved"}, headers=bearer(xd_admin)
    )
    trail = await env.audit(operator, target=officer_id)
    assert [r["action"] for r in trail] == ["officer.created", "officer.locked"]
    created_record, locked_record = trail
    admin_id = (await env.client.get("/api/v1/officers/me", headers=bearer(xd_admin))).json()["id"]
    assert created_record["actor"] == admin_id and created_record["actor_kind"] == "officer"
    assert created_record["agency_id"] == XD and created_record["source_address"] == "203.0.113.9"
    assert created_record["user_agent"] == "Trinh-duyet-co-quan/1.0"
    assert locked_record["source_address"] == CLIENT_ADDRESS and locked_record["detail"] == {
        "reason": "moved"
    }
    assert locked_record["seq"] > created_record["seq"] and locked_record["at"] >= created_record["at"]
    assert len(created_record["hash"]) == 64 and created_record["hash"] != locked_record["hash"]


async def test_the_chain_has_no_gaps_and_verifies(env: Env, auditor: str) -> None:
    trail = await _whole_trail(env, auditor)
    assert [r["seq"] for r in trail] == list(range(1, len(trail) + 1))
    assert len({r["hash"] for r in trail}) == len(trail)
    result = await _verify(env, auditor)
    assert result["intact"] is True and result["first_broken_seq"] is None
    assert result["records"] >= len(trail)


async def test_an_edited_record_is_named(env: Env, auditor: str) -> None:
    operator, xd_admin, _ = await admins(env, "sua.nhatky")
    officer_id, _ = await env.officer(xd_admin, "xd.bi.sua", XD, ["processing_officer"])
    created = next(
        r for r in await env.audit(operator, target=officer_id) if r["action"] == "officer.created"
    )
    seq = created["seq"]
    original = json.dumps(created["detail"], ensure_ascii=False)
    # Someone with database access rewrites who was given which roles.
    await env.sql(
        "UPDATE identity_audit SET detail = jsonb_set(detail, '{roles}', '[\"agency_leader\"]') WHERE seq = :s",
        s=seq,
    )
    try:
        assert await _verify(env, auditor) | {"records": None} == {
            "records": None,
            "intact": False,
            "first_broken_seq": seq,
        }
    finally:
        await env.sql(
            "UPDATE identity_audit SET detail = CAST(:d AS jsonb) WHERE seq = :s", d=original, s=seq
        )
    assert (await _verify(env, auditor))["intact"] is True


async def test_a_deleted_record_is_named(env: Env, auditor: str) -> None:
    _, xd_admin, _ = await admins(env, "xoa.nhatky")
    await env.officer(xd_admin, "xd.bi.xoa", XD, ["processing_officer"])
    removed = (await _whole_trail(env, auditor))[-3]["seq"]
    saved = (await env.sql("SELECT row_to_json(a)::text FROM identity_audit a WHERE seq = :s", s=removed))[0][
        0
    ]
    await env.sql("DELETE FROM identity_audit WHERE seq = :s", s=removed)
    try:
        result = await _verify(env, auditor)
        assert result == {"records": removed - 1, "intact": False, "first_broken_seq": removed}
    finally:
        await env.sql(
            "INSERT INTO identity_audit SELECT * FROM json_populate_record(NULL::identity_audit, CAST(:r AS json))",
            r=saved,
        )
    assert (await _verify(env, auditor))["intact"] is True


async def test_a_long_chain_is_verified_page_by_page(env: Env, auditor: str) -> None:
    """A replica that reads the chain seven records at a time still checks all of it."""
    length = len(await _whole_trail(env, auditor))
    assert length > 3 * 7
    tampered = length - 5  # well past the first pages
    async with env.replica(audit_verify_page=7) as replica:
        whole = _short((await replica.get("/api/v1/audit/verify", headers=bearer(auditor))).json())
        assert whole == {"records": length, "intact": True, "first_broken_seq": None}
        original = (await env.sql("SELECT source_address FROM identity_audit WHERE seq = :s", s=tampered))[0][
            0
        ]
        await env.sql("UPDATE identity_audit SET source_address = '203.0.113.66' WHERE seq = :s", s=tampered)
        try:
            broken = _short((await replica.get("/api/v1/audit/verify", headers=bearer(auditor))).json())
        finally:
            await env.sql(
                "UPDATE identity_audit SET source_address = :a WHERE seq = :s", a=original, s=tampered
            )
    assert broken == {"records": tampered - 1, "intact": False, "first_broken_seq": tampered}


async def test_who_may_read_and_verify_the_log(env: Env, auditor: str) -> None:
    operator, xd_admin, tp_admin = await admins(env, "pham.vi")
    _, clerk = await env.officer(xd_admin, "xd.van.thu", XD, ["one_stop_officer"])
    # An agency's administrator sees their own agency's records only, whatever they ask for.
    for asked in ({}, {"agency_id": TP}):
        own = await env.audit(xd_admin, **asked)
        assert own and {r["agency_id"] for r in own} == {XD}
    assert {r["agency_id"] for r in await env.audit(tp_admin)} == {TP}
    everything = {r["agency_id"] for r in await _whole_trail(env, auditor)}
    assert {XD, TP, VP} <= everything
    assert {r["agency_id"] for r in await env.audit(operator, agency_id=TP)} == {TP}
    assert (await env.client.get("/api/v1/audit", headers=bearer(clerk["access_token"]))).status_code == 403
    assert (await env.client.get("/api/v1/audit/verify", headers=bearer(xd_admin))).status_code == 403
    assert (await env.client.get("/api/v1/audit/verify")).status_code == 401
    assert (await _verify(env, operator))["intact"] is True


async def test_pages_follow_on_from_the_last_sequence_number(env: Env, auditor: str) -> None:
    first = await env.audit(auditor, limit=5)
    second = await env.audit(auditor, limit=5, after=first[-1]["seq"])
    assert len(first) == len(second) == 5
    assert [r["seq"] for r in first + second] == list(range(first[0]["seq"], first[0]["seq"] + 10))
    too_big = await env.client.get("/api/v1/audit", params={"limit": 501}, headers=bearer(auditor))
    assert too_big.status_code == 422


async def test_a_rewritten_record_with_its_hash_recomputed_is_caught_at_the_next_link(
    env: Env, auditor: str
) -> None:
    """Someone with database access edits a record and recomputes its own hash so it verifies on
    its own: the chain breaks at the next record, whose link still names the original, and the
    verdict names that record and says it is its link (issue 16)."""
    _, xd_admin, _ = await admins(env, "tinh.lai")
    await env.officer(xd_admin, "xd.tinh.lai", XD, ["processing_officer"])
    trail = await _whole_trail(env, auditor)
    tampered = trail[-3]["seq"]
    saved = (await env.sql("SELECT detail::text, hash FROM identity_audit WHERE seq = :s", s=tampered))[0]
    await env.sql(
        "UPDATE identity_audit SET detail = jsonb_set(detail, '{forged}', 'true') WHERE seq = :s", s=tampered
    )
    async with AsyncSession(env.engine) as session:
        row = await session.get(AuditRecord, tampered)
    assert row is not None
    await env.sql(
        "UPDATE identity_audit SET hash = :h WHERE seq = :s",
        h=record_hash(row.prev_hash, audit_content_of(row)),
        s=tampered,
    )
    try:
        response = await env.client.get("/api/v1/audit/verify", headers=bearer(auditor))
        verdict = response.json()
    finally:
        await env.sql(
            "UPDATE identity_audit SET detail = CAST(:d AS jsonb), hash = :h WHERE seq = :s",
            d=saved[0],
            h=saved[1],
            s=tampered,
        )
    assert verdict["ok"] is False and verdict["first_broken_seq"] == tampered + 1
    assert verdict["checked"] == tampered and verdict["broken"] == "link"
    assert (
        f"bản ghi số {tampered + 1}" in verdict["message"] and f"bản ghi số {tampered}" in verdict["message"]
    )
    assert (await _verify(env, auditor))["intact"] is True
