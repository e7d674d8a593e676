"""Issue 16, low: uploads against the real stack over HTTP. An upload larger than the per-file limit is
refused without being stored (intake stops reading at the limit: the in-process test counts the bytes
it pulls, services/intake/tests/test_intake_upload_limits.py); PDFs with JavaScript and zip bombs
named as office files are refused; a one-stop desk cannot file a counter dossier for a procedure its
agency neither performs nor receives for. Nothing lands in S3 on any refusal."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from test_journey_notify import Accounts

from dvc_devkit.devstack import Stack
from e2e_support import MAX_FILE_BYTES, PDF, component_files, eventually, vneid_headers

PROCEDURE = "1.003560.000.00.00.H56"  # Sở Xây dựng, received at the provincial centre
OTHER_AGENCY = "000.00.03.H56"  # Sở Tư pháp
JAVASCRIPT_PDF = PDF.replace(
    b"<< /Type /Catalog", b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
)


def _form(**fields: Any) -> dict[str, str]:
    form = {"procedure_code": PROCEDURE, "applicant_name": "Giàng Thị Mỷ", **fields}
    return {"dossier": json.dumps(form, ensure_ascii=False)}


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (50 * MAX_FILE_BYTES))
    return out.getvalue()


def test_oversize_active_and_bomb_uploads_are_refused_and_nothing_is_stored(
    stack: Stack, bucket: Callable[[], set[str]]
) -> None:
    intake = stack.url("intake")
    citizen = vneid_headers(stack, "011300009876")
    every = eventually(
        lambda: files if len(files := component_files(stack, PROCEDURE)) == 3 else None,
        what="intake knows the building permit's three components",
    )
    others = every[1:]
    before = bucket()

    def body() -> Iterator[bytes]:
        boundary = "ranh-gioi"
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="dossier"\r\n\r\n'
            f'{_form()["dossier"]}\r\n--{boundary}\r\nContent-Disposition: form-data; name="files";'
            ' filename="lon.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode() + PDF
        for _ in range(4 * MAX_FILE_BYTES // 65536):
            yield b"0" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    oversize = httpx.post(
        f"{intake}/api/v1/dossiers",
        content=body(),
        headers=citizen | {"Content-Type": "multipart/form-data; boundary=ranh-gioi"},
        timeout=60,
    )
    assert oversize.status_code == 413, oversize.text
    assert oversize.json()["type"].endswith("file-too-large")

    for name, data, slug in (
        ("to-khai.pdf", JAVASCRIPT_PDF, "active-pdf-content"),
        ("ban-ve.docx", _bomb(), "unsafe-archive"),
    ):
        refused = httpx.post(
            f"{intake}/api/v1/dossiers",
            data=_form(),
            files=[("files", (name, data, "application/octet-stream")), *[("files", p) for p in others]],
            headers=citizen,
            timeout=60,
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith(slug)
    assert bucket() == before


def test_a_desk_cannot_file_for_a_procedure_its_agency_neither_performs_nor_receives(stack: Stack) -> None:
    desk = Accounts(stack).officer(OTHER_AGENCY, ["one_stop_officer"], "Sùng A Páo")
    refused = httpx.post(
        stack.url("intake") + "/api/v1/dossiers",
        data=_form(channel=1),
        files=[("files", p) for p in component_files(stack, PROCEDURE)],
        headers=desk.headers,
        timeout=30,
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["type"].endswith("not-receiving-agency")
    assert "không tiếp nhận" in refused.json()["detail"]
