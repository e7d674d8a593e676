"""Serving a stored blob (a document or a slip) over HTTP."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import RedirectResponse, StreamingResponse

from dvc_common.blob import BlobNotFound, BlobStore
from dvc_intake import errors

LINK_LIFETIME = timedelta(minutes=5)


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the exact (Vietnamese) name per RFC 6266/5987."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


async def serve_blob(blobs: BlobStore, sha256: str, name: str, content_type: str, size: int) -> Response:
    """S3: a redirect to a link valid five minutes, bound to this blob; local storage: streamed."""
    link = blobs.presigned_get_url(sha256, LINK_LIFETIME, download_name=name, content_type=content_type)
    if link is not None:
        return RedirectResponse(link, status_code=307, headers={"Cache-Control": "no-store"})
    try:
        stream = await blobs.open(sha256)
    except BlobNotFound as exc:
        raise errors.blob_gone() from exc
    return StreamingResponse(
        stream,
        media_type=content_type,
        headers={
            "Content-Disposition": content_disposition(name),
            "Content-Length": str(size),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
