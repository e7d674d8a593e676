"""Bad submissions get a clear problem+json answer and change nothing: no row, no blob, no event."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from dvc_devkit.devstack import Stack
from e2e_support import MAX_FILE_BYTES, PDF, db_scalar, submit


def snapshot(stack: Stack, bucket: Callable[[], set[str]]) -> tuple[int, int, int, frozenset[str]]:
    return (
        db_scalar(stack, "intake", "SELECT count(*) FROM intake_dossier"),
        db_scalar(stack, "intake", "SELECT count(*) FROM intake_dossier_file"),
        db_scalar(stack, "intake", "SELECT count(*) FROM outbox_message"),
        frozenset(bucket()),
    )


def assert_problem(response: httpx.Response, status: int, slug: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].endswith("/" + slug)
    assert body["title"] and body["detail"]


Send = Callable[[Stack], httpx.Response]
CASES: dict[str, tuple[Send, int, str]] = {
    "unknown procedure": (
        lambda s: submit(s, email="x@example.vn", procedure_code="9.999999.000.00.00.H56"),
        422,
        "unknown-procedure",
    ),
    "empty file": (
        lambda s: submit(s, email="x@example.vn", files=[("rong.pdf", b"", "application/pdf")]),
        422,
        "empty-file",
    ),
    "oversized file": (
        lambda s: submit(
            s, email="x@example.vn", files=[("lon.pdf", PDF + b"0" * MAX_FILE_BYTES, "application/pdf")]
        ),
        413,
        "file-too-large",
    ),
    "second file oversized": (
        lambda s: submit(
            s,
            email="x@example.vn",
            files=[
                ("a.pdf", PDF, "application/pdf"),
                ("lon.pdf", PDF + b"0" * MAX_FILE_BYTES, "application/pdf"),
            ],
        ),
        413,
        "file-too-large",
    ),
    "not an accepted type": (
        lambda s: submit(
            s, email="x@example.vn", files=[("virus.exe", b"MZ\x90\x00binary", "application/pdf")]
        ),
        415,
        "unsupported-file-type",
    ),
    "missing files part": (
        lambda s: httpx.post(
            s.url("intake") + "/api/v1/dossiers",
            data={"dossier": '{"procedure_code": "1.003560.000.00.00.H56", "applicant_name": "An"}'},
            timeout=10,
        ),
        422,
        "invalid-request",
    ),
    "missing dossier part": (
        lambda s: httpx.post(
            s.url("intake") + "/api/v1/dossiers",
            files=[("files", ("a.pdf", PDF, "application/pdf"))],
            timeout=10,
        ),
        422,
        "invalid-request",
    ),
    "dossier part not JSON": (
        lambda s: httpx.post(
            s.url("intake") + "/api/v1/dossiers",
            data={"dossier": "{not json"},
            files=[("files", ("a.pdf", PDF, "application/pdf"))],
            timeout=10,
        ),
        422,
        "invalid-json",
    ),
    "bad e-mail and phone": (
        lambda s: httpx.post(
            s.url("intake") + "/api/v1/dossiers",
            data={
                "dossier": '{"procedure_code": "1.003560.000.00.00.H56", "applicant_name": "An",'
                ' "email": "khong-phai-email", "phone": "12"}'
            },
            files=[("files", ("a.pdf", PDF, "application/pdf"))],
            timeout=10,
        ),
        422,
        "invalid-dossier",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_submission_is_refused_and_changes_nothing(
    stack: Stack, bucket: Callable[[], set[str]], case: str
) -> None:
    send, status, slug = CASES[case]
    before = snapshot(stack, bucket)
    assert_problem(send(stack), status, slug)
    assert snapshot(stack, bucket) == before
