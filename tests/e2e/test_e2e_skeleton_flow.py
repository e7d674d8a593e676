"""A citizen submits a dossier; the applicant gets an e-mail and the national portal shows it."""

from __future__ import annotations

import uuid

import httpx

from dvc_devkit.devstack import Stack
from e2e_support import eventually, log_records, mails_to, portal_record, submit, submitter_headers

TRACED_SERVICES = ("intake", "workflow", "notify", "sync-national")


def test_submission_reaches_email_and_national_portal_in_one_trace(stack: Stack, bucket) -> None:  # type: ignore[no-untyped-def]
    email = f"binh.{uuid.uuid4().hex[:8]}@example.vn"
    response = submit(stack, email=email)
    assert response.status_code == 201, response.text
    code = response.json()["code"]
    assert code.startswith("000.00.14.H56-") and len(code.split("-")[-1]) == 4

    # The document is in S3, addressed by the SHA-256 the server computed.
    detail = httpx.get(
        stack.url("intake") + f"/api/v1/dossiers/{code}", headers=submitter_headers(stack), timeout=10
    ).json()
    sha = detail["files"][0]["sha256"]
    assert f"sha256/{sha}" in bucket()
    assert detail["status"] == 1 and detail["status_name"] == "Mới đăng ký"

    # Workflow opened the lifecycle in national status 1.
    lifecycle = eventually(
        lambda: (
            httpx.get(stack.url("workflow") + f"/api/v1/dossiers/{code}", timeout=10).json()
            if httpx.get(stack.url("workflow") + f"/api/v1/dossiers/{code}", timeout=10).status_code == 200
            else None
        ),
        what="workflow lifecycle",
    )
    assert [h["status"] for h in lifecycle["history"]] == [1]

    # The applicant got a real e-mail through SMTP, in Vietnamese.
    mails = eventually(lambda: mails_to(stack, email), what="e-mail to the applicant")
    assert len(mails) == 1
    assert mails[0]["subject"] == f"Hồ sơ {code}: Mới đăng ký"

    # The national portal simulator holds the record in its JSON shape.
    record = eventually(lambda: portal_record(stack, code), what="national portal record")
    current = record["current"]
    assert current["MaHoSo"] == code
    assert current["MaTTHC"] == "1.003560.000.00.00.H56"
    assert current["TrangThaiHoSo"] == 1
    assert current["ChuHoSo"] == "Nguyễn Thị Bình"

    # One trace spans submission → workflow → notify → national sync.
    def traces() -> dict[str, set[str]] | None:
        found = {
            service: {
                r["trace_id"]
                for r in log_records(stack, service)
                if r.get("code") == code and r.get("trace_id")
            }
            for service in TRACED_SERVICES
        }
        return found if all(found.values()) else None

    found = eventually(traces, what="trace ids in every service's logs")
    all_ids = set().union(*found.values())
    assert len(all_ids) == 1, found
    mail = httpx.get(stack.url("sandbox") + f"/mail/{mails[0]['id']}", timeout=10).json()
    headers = {name.lower(): value for name, value in mail["headers"]}
    assert headers["x-dvc-trace-id"] == next(iter(all_ids))


def test_dossier_codes_count_up_per_agency_and_day(stack: Stack) -> None:
    codes = [submit(stack, email=f"seq{i}@example.vn").json()["code"] for i in range(3)]
    numbers = [int(code.rsplit("-", 1)[1]) for code in codes]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert numbers[1] == numbers[0] + 1 and numbers[2] == numbers[1] + 1


def test_unknown_dossier_is_a_problem_document(stack: Stack) -> None:
    response = httpx.get(stack.url("intake") + "/api/v1/dossiers/000.00.14.H56-200101-0001", timeout=10)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "Không tìm thấy hồ sơ"


def test_every_service_is_ready_and_documents_its_api(stack: Stack) -> None:
    for service in ("intake", "workflow", "payments", "notify", "sync-national", "qa"):
        ready = httpx.get(stack.url(service) + "/readyz", timeout=10)
        assert ready.status_code == 200
        # The dev stack is a training environment: a replica is also ready only once it follows the
        # stack's clock (identity's setting); production has no such check. Never the broker.
        assert ready.json()["checks"] == {"database": "ok", "clock": "ok"}, "readiness is not the broker"
        alive = httpx.get(stack.url(service) + "/healthz", timeout=10).json()
        shared = {"blobs": "ok"} if service == "intake" else {}
        assert alive["background"] == {"broker": "ok", "relay": "ok"} | shared
        spec = httpx.get(stack.url(service) + "/openapi.json", timeout=10).json()
        assert spec["info"]["title"].startswith("DVC — ")
        assert httpx.get(stack.url(service) + "/metrics", timeout=10).status_code == 404  # not public
        metrics = httpx.get(stack.metrics_url(service), timeout=10).text
        assert "dvc_outbox_backlog" in metrics or "dvc_http_requests_total" in metrics
