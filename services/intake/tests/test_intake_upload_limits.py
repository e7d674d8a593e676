"""Uploads are read under the limits as they stream in (issue 16): an oversize file stops being read
at the per-file limit, nothing is stored; PDFs with active content and zip bombs are refused."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator

from intake_support import MAX_FILE_BYTES, PDF, Intake
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from dvc_intake.domain.active_content import pdf_active_content

BOUNDARY = "ranh-gioi-7f3a"
CHUNK = 64 * 1024


async def test_an_oversize_upload_stops_being_read_at_the_limit(intake: Intake) -> None:
    """A body ten times the per-file limit: the server stops reading just past the limit (the bytes
    it pulled from the stream are counted), answers 413 and stores nothing."""
    citizen = intake.citizen("cd-tep-lon")
    form = json.dumps({"procedure_code": "1.003560.000.00.00.H56", "applicant_name": "Nguyễn Thị Bình"})
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="dossier"\r\n\r\n{form}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="lon.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    total = 10 * MAX_FILE_BYTES
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        for chunk in [head, PDF] + [b"0" * CHUNK] * (total // CHUNK) + [f"\r\n--{BOUNDARY}--\r\n".encode()]:
            pulled += len(chunk)
            yield chunk

    before = await intake.counts()
    response = await intake.client.post(
        "/api/v1/dossiers",
        content=body(),
        headers=citizen | {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 413, response.text
    assert response.json()["type"].endswith("file-too-large") and response.json()["file"] == "lon.pdf"
    assert pulled <= len(head) + MAX_FILE_BYTES + 2 * CHUNK, f"read {pulled} bytes of {total}"
    assert await intake.counts() == before

    # Announced larger than every file at its limit together: refused before reading anything.
    pulled = 0
    announced = await intake.client.post(
        "/api/v1/dossiers",
        content=body(),
        headers=citizen
        | {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Content-Length": str(10**12)},
    )
    assert announced.status_code == 413 and announced.json()["type"].endswith("request-too-large")
    assert pulled == 0


def _pdf(extra: dict[str, object]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    for key, value in extra.items():
        writer._root_object[NameObject(key)] = value
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **fields: str) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject(kind)}
        | {NameObject(f"/{k}"): TextStringObject(v) for k, v in fields.items()}
    )


async def test_pdfs_with_active_content_are_refused(intake: Intake) -> None:
    javascript = _pdf({"/OpenAction": _action("/JavaScript", JS="app.alert('x')")})
    launch = _pdf({"/Names": DictionaryObject({NameObject("/Foo"): _action("/Launch", F="cmd.exe")})})
    escaped = PDF.replace(b"<<", b"<< /J#61vaScript (x)", 1)  # a name hidden by a #xx escape
    assert pdf_active_content(_pdf({})) is None and pdf_active_content(PDF) is None
    before = await intake.counts()
    for data, kind in ((javascript, "OpenAction"), (launch, "Launch"), (escaped, "JavaScript")):
        assert pdf_active_content(data) == kind
        response = await intake.submit(files=[("to-khai.pdf", data, "application/pdf")])
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"].endswith("active-pdf-content") and "không được chấp nhận" in problem["detail"]
    assert await intake.counts() == before
    plain = await intake.submit(files=[("to-khai.pdf", _pdf({}), "application/pdf")])
    assert plain.status_code == 201, plain.text


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


async def test_zip_bombs_in_office_files_are_refused(intake: Intake) -> None:
    bomb = _zip({"word/document.xml": b"\0" * (20 * MAX_FILE_BYTES)})  # ~1000x, well under the file limit
    nested = _zip({"word/document.xml": b"<w/>", "inner.zip": _zip({"a.txt": b"a"})})
    assert len(bomb) < MAX_FILE_BYTES
    before = await intake.counts()
    for data in (bomb, nested):
        response = await intake.submit(files=[("ban-ve.docx", data, "application/octet-stream")])
        assert response.status_code == 422, response.text
        assert response.json()["type"].endswith("unsafe-archive")
    assert await intake.counts() == before
    office = await intake.submit(files=[("ban-ve.docx", _zip({"word/document.xml": b"<w/>" * 100}), "")])
    assert office.status_code == 201, office.text


def _pdf_with_object_stream(hidden: bytes) -> bytes:
    """A PDF 1.5 whose object 3 lives compressed in an object stream (with an xref stream), so its
    names never appear in the file's bytes."""
    import struct
    import zlib

    header = b"3 0 "
    packed = zlib.compress(header + hidden)
    parts = [b"%PDF-1.5\n"]
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = sum(map(len, parts))
        parts.append(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /Extra 3 0 R >>")
    add(2, b"<< /Type /Pages /Kids [] /Count 0 >>")
    add(4, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(packed))
        + packed + b"\nendstream")  # fmt: skip
    offsets[5] = sum(map(len, parts))
    rows = [
        (0, 0, 65535),
        (1, offsets[1], 0),
        (1, offsets[2], 0),
        (2, 4, 0),
        (1, offsets[4], 0),
        (1, offsets[5], 0),
    ]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    parts.append(b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
                 + table + b"\nendstream\nendobj\n")  # fmt: skip
    parts.append(b"startxref\n%d\n%%%%EOF\n" % offsets[5])
    return b"".join(parts)


def test_active_content_hidden_in_a_compressed_object_stream_is_found() -> None:
    hidden = _pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in hidden
    assert pdf_active_content(hidden) == "JavaScript"
    assert pdf_active_content(_pdf_with_object_stream(b"<< /Tieu_de (Don de nghi) >>")) is None
