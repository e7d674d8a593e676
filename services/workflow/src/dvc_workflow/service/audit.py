"""Workflow's hash-chained audit log: append under the chain lock, verify in pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.audit import GENESIS, first_break, record_hash
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
    last = await repo.last_audit()
    at = at or datetime.now(UTC)
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    content = json.loads(json.dumps(content, ensure_ascii=False, default=str))
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        target=target,
        content=content,
        prev_hash=prev,
        hash=record_hash(prev, _audit_content(seq, at, actor, action, target, content)),
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


@dataclass(frozen=True)
class AuditVerdict:
    checked: int
    first_broken_seq: int | None
    head_mismatch: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None and self.head_mismatch is None


async def verify_audit(session: AsyncSession, batch: int = 5000) -> AuditVerdict:
    """Walk the whole chain in order; name the first entry that does not verify."""
    repo = WorkflowRepository(session)
    checked, after, prev = 0, 0, GENESIS
    hashes: dict[int, str] = {}
    broken: int | None = None
    while broken is None:
        page = await repo.audit_page(after, batch)
        if not page:
            break
        records = []
        expected_seq = after + 1
        for e in page:
            if e.seq != expected_seq:  # a deleted entry
                broken = expected_seq
                break
            records.append(
                (
                    e.seq,
                    e.prev_hash,
                    e.hash,
                    _audit_content(e.seq, e.at, e.actor, e.action, e.target, e.content),
                )
            )
            expected_seq += 1
        bad = first_break(records, start=prev) if records else None
        if bad is not None:
            broken = bad
        for e in page:
            hashes[e.seq] = e.hash
        checked += len(page)
        after = page[-1].seq
        prev = page[-1].hash
    head_mismatch = None
    for head in await repo.heads():
        if hashes.get(head.seq) != head.hash:
            head_mismatch = head.seq
            break
    return AuditVerdict(checked, broken, head_mismatch)
