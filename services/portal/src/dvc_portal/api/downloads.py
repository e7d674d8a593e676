"""Documents and slips passed through from intake with the signed-in person's token (intake decides
who may read them); shown inline, never run in the portal's origin."""

from __future__ import annotations

from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from dvc_portal import errors
from dvc_portal.service import officer_work
from dvc_portal.service.context import Portal
from dvc_portal.service.sessions import Visitor


async def pass_through(portal: Portal, visitor: Visitor, path: str) -> Response:
    try:
        upstream = await officer_work.download(portal, visitor, path)
    except errors.Refused as refused:
        raise errors.from_refusal(refused) from refused
    headers = {
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",  # a document never runs anything in the portal's origin
    }
    disposition = upstream.headers.get("content-disposition")
    if disposition:
        # Shown in the browser (PDFs, images) rather than saved, with the name intake gave it.
        headers["Content-Disposition"] = disposition.replace("attachment", "inline", 1)
    return StreamingResponse(
        upstream.aiter_bytes(),
        media_type=upstream.headers.get("content-type", "application/octet-stream"),
        headers=headers,
        background=BackgroundTask(upstream.aclose),
    )
