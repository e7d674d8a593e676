"""Workflow's hash-chained audit log on the shared chain (`dvc_common.audit`): append under the chain
lock, verify in pages against the recorded chain heads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import audit, clock
from dvc_common.audit import ChainVerdict
from dvc_workflow.models import AuditEntry
from dvc_workflow.repository import WorkflowRepository


async def append_audit(
    session: AsyncSession,
    actor: str,
    action: str,
    target: str,
    content: dict[str, Any],
    *,
    at: datetime | None = None,
) -> AuditEntry:
    repo = WorkflowRepository(session)
    at = at or clock.now()
    content = json.loads(json.dumps(content, ensure_ascii=False, default=str))
    link = await audit.append(repo, lambda seq: _audit_content(seq, at, actor, action, target, content))
    entry = AuditEntry(
        seq=link.seq,
        at=at,
        actor=actor,
        action=action,
        target=target,
        content=content,
        prev_hash=link.prev_hash,
        hash=link.hash,
    )
    repo.add(entry)
    return entry


def _audit_content(
    seq: int, at: datetime, actor: str, action: str, target: str, content: Any
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "action": action,
        "target": target,
        "content": content,
    }


def _content_of(entry: AuditEntry) -> dict[str, Any]:
    return _audit_content(entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.content)


async def verify_audit(session: AsyncSession, batch: int = 5000) -> ChainVerdict:
    """Walk the whole chain in order; name the first entry that does not verify, or the recorded head
    the chain no longer has (a truncated log)."""
    repo = WorkflowRepository(session)
    heads = [(h.seq, h.hash) for h in await repo.heads()]
    return await audit.verify(repo, _content_of, batch=batch, checkpoints=heads)
