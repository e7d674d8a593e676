"""HTTP view of the mail the SMTP sink received."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request

from .maildir import MailDirectory


def get_mail_dir(request: Request) -> MailDirectory:
    mail_dir: MailDirectory = request.app.state.mail_dir
    return mail_dir


MailDirDep = Annotated[MailDirectory, Depends(get_mail_dir)]

router = APIRouter(prefix="/mail", tags=["mail"])


@router.get("")
async def list_mail(mail_dir: MailDirDep, to: str | None = None) -> list[dict[str, Any]]:
    """Messages in order of arrival; ``to`` keeps those delivered to that address."""
    entries = await asyncio.to_thread(mail_dir.list)
    if to is not None:
        entries = [e for e in entries if to.lower() in (r.lower() for r in e["to"])]
    return entries


@router.get("/{mail_id}")
async def get_mail(mail_id: str, mail_dir: MailDirDep) -> dict[str, Any]:
    found = await asyncio.to_thread(mail_dir.get, mail_id)
    if found is None:
        raise HTTPException(404, "Không tìm thấy thư")
    return found


@router.delete("")
async def clear_mail(mail_dir: MailDirDep) -> dict[str, Any]:
    await asyncio.to_thread(mail_dir.clear)
    return {"deleted": True}
