"""Codes: per agency and day, consecutive, distinct and gap-free under concurrent submissions; the
public look-up shows status, procedure, agency and dates without personal data, rate limited; a
citizen's own dossiers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from intake_support import PDF, PNG, Intake, unique_agency

from dvc_common.client_address import TrustedProxies
from dvc_common.events import DossierStatusChanged, NationalStatus
from dvc_common.ratelimit import ClientLimiter, RateLimiter, SharedRateLimiter
from dvc_intake import service


async def test_concurrent_submissions_to_one_agency_get_distinct_consecutive_codes(intake: Intake) -> None:
    agency = unique_agency()
    procedure = f"1.000001.000.00.00.{agency[-3:]}"
    await intake.add_procedure(procedure, agency)

    async def one(i: int) -> str:
        # Every third submission is refused (interleaved with the others): it takes no number.
        files = [("a.pdf", PNG if i % 3 == 0 else PDF, "application/pdf")]
        response = await intake.submit(procedure=procedure, files=files)
        if i % 3 == 0:
            assert response.status_code == 415
            return ""
        assert response.status_code == 201, response.text
        code: str = response.json()["code"]
        return code

    codes = [c for c in await asyncio.gather(*(one(i) for i in range(24))) if c]
    assert len(codes) == 16 and len(set(codes)) == 16
    assert all(c.startswith(f"{agency}-") for c in codes)
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 17))


def _changed(code: str, status: NationalStatus, **extra: object) -> DossierStatusChanged:
    return DossierStatusChanged(
        code=code,
        procedure_code="1.003560.000.00.00.H56",
        agency_id="000.00.14.H56",
        status=status,
        status_name=status.label_vi,
        changed_at=datetime.now(UTC),
        **extra,
    )


async def test_public_lookup_shows_status_and_dates_without_personal_data(intake: Intake) -> None:
    response = await intake.submit(email="binh.lookup@example.vn", phone="0912345678")
    code = response.json()["code"]
    received = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
    appointment = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
    async with intake.app.state.runtime.transaction() as session:
        await service.record_status(
            session,
            _changed(code, NationalStatus.RECEIVED, received_at=received, appointment_at=appointment),
            sequence=2,
        )
        # A stale event (older sequence) changes nothing.
        await service.record_status(session, _changed(code, NationalStatus.PROCESSING), sequence=1)

    found = await intake.client.get(f"/api/v1/lookup/{code}")
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["status"] == 2 and body["status_name"] == "Được tiếp nhận"
    assert body["procedure_name"] == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert body["agency_name"] == "Sở Xây dựng tỉnh Lai Châu"
    assert datetime.fromisoformat(body["received_at"]) == received
    assert datetime.fromisoformat(body["appointment_at"]) == appointment
    for personal in ("Nguyễn Thị Bình", "binh.lookup", "0912345678", "don-de-nghi", "sha256"):
        assert personal not in found.text

    missing = await intake.client.get("/api/v1/lookup/000.00.14.H56-200101-9999")
    assert missing.status_code == 404
    assert (await intake.client.get("/api/v1/lookup/khong-phai-ma")).status_code == 422


async def test_public_lookup_is_rate_limited_per_client(intake: Intake) -> None:
    # The replicas' shared limiter (the service's database), 3 per client; a key of this test's own.
    shared = SharedRateLimiter(intake.app.state.runtime.engine.begin)
    intake.app.state.lookup_limiter = ClientLimiter(shared, f"lookup-{uuid.uuid4().hex[:8]}", 3, 1000)
    code = (await intake.submit()).json()["code"]
    statuses = [(await intake.client.get(f"/api/v1/lookup/{code}")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = await intake.client.get(f"/api/v1/lookup/{code}")
    assert int(refused.headers["retry-after"]) >= 1
    # A client cannot pose as another one: X-Forwarded-For counts only from a trusted proxy.
    spoofed = await intake.client.get(f"/api/v1/lookup/{code}", headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 429
    intake.app.state.proxies = TrustedProxies.parse(["127.0.0.1/32"])  # the test client's address
    behind_ingress = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}
    other = await intake.client.get(f"/api/v1/lookup/{code}", headers=behind_ingress)
    assert other.status_code == 200
    statuses = [
        (await intake.client.get(f"/api/v1/lookup/{code}", headers=behind_ingress)).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]  # 203.0.113.9 (the hop the proxy saw) has its own window


def test_rate_limiter_window_reopens() -> None:
    limiter = RateLimiter(2, window_seconds=60)
    assert limiter.allow("a", 0) is None and limiter.allow("a", 1) is None
    assert limiter.allow("a", 2) == 58
    assert limiter.allow("b", 2) is None
    assert limiter.allow("a", 60) is None


async def test_a_citizen_sees_only_their_own_dossiers(intake: Intake) -> None:
    mine = intake.citizen(f"cd-{uuid.uuid4().hex[:6]}")
    theirs = intake.citizen(f"cd-{uuid.uuid4().hex[:6]}")
    a = (await intake.submit(headers=mine)).json()["code"]
    b = (await intake.submit(headers=theirs)).json()["code"]
    listed = (await intake.client.get("/api/v1/my/dossiers", headers=mine)).json()
    assert [d["code"] for d in listed] == [a]
    assert b not in str(listed)
    assert (await intake.client.get("/api/v1/my/dossiers")).status_code == 401
