"""The shared audit hash chain: append links, verify in bounded pages, name the first broken row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pytest

from dvc_common.audit import GENESIS, ChainVerdict, append, verify


@dataclass(frozen=True)
class Row:
    seq: int
    actor: str
    action: str
    prev_hash: str
    hash: str


def content_of(row: Row) -> Mapping[str, Any]:
    return {"seq": row.seq, "actor": row.actor, "action": row.action}


class MemoryStore:
    """A table in memory; records the page sizes asked for."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.pages: list[int] = []

    async def last_link(self) -> Row | None:
        return self.rows[-1] if self.rows else None

    async def links_after(self, after: int, limit: int) -> Sequence[Row]:
        page = [r for r in self.rows if r.seq > after][:limit]
        self.pages.append(len(page))
        return page

    async def record(self, actor: str, action: str) -> Row:
        link = await append(self, lambda seq: {"seq": seq, "actor": actor, "action": action})
        row = Row(link.seq, actor, action, link.prev_hash, link.hash)
        self.rows.append(row)
        return row


async def chain(length: int) -> MemoryStore:
    store = MemoryStore()
    for i in range(length):
        await store.record(f"mot-cua-{i % 3}", "dossier.accept")
    return store


async def test_appended_links_start_at_genesis_and_follow_each_other() -> None:
    store = await chain(3)
    assert [r.seq for r in store.rows] == [1, 2, 3]
    assert store.rows[0].prev_hash == GENESIS
    assert store.rows[1].prev_hash == store.rows[0].hash


@pytest.mark.parametrize("batch", [1, 2, 3, 10, 1000])
async def test_an_intact_chain_verifies_in_pages_of_at_most_batch_rows(batch: int) -> None:
    store = await chain(10)
    assert await verify(store, content_of, batch=batch) == ChainVerdict(10, None)
    assert max(store.pages) <= batch, "never more than one page in memory"


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("edit", ChainVerdict(3, 4)),  # row 4's content no longer matches its hash
        ("delete", ChainVerdict(3, 4)),  # the gap names the missing row
        ("swap", ChainVerdict(3, 4)),  # 5 where 4 should be
    ],
)
async def test_tampering_names_the_first_row_whose_link_breaks(tamper: str, expected: ChainVerdict) -> None:
    store = await chain(8)
    if tamper == "edit":
        store.rows[3] = replace(store.rows[3], actor="ke-gian")
    elif tamper == "delete":
        del store.rows[3]
    else:
        store.rows[3], store.rows[4] = replace(store.rows[4], seq=4), replace(store.rows[3], seq=5)
    verdict = await verify(store, content_of, batch=3)
    assert verdict == expected and not verdict.ok


async def test_a_recorded_head_reveals_a_truncated_tail() -> None:
    store = await chain(6)
    head = (store.rows[-1].seq, store.rows[-1].hash)
    assert (await verify(store, content_of, checkpoints=[head])).ok
    del store.rows[-1]
    verdict = await verify(store, content_of, checkpoints=[(2, store.rows[1].hash), head])
    assert verdict == ChainVerdict(5, None, 6)


async def test_a_head_that_does_not_match_the_row_at_its_seq_is_reported() -> None:
    store = await chain(4)
    verdict = await verify(store, content_of, checkpoints=[(2, "f" * 64)])
    assert verdict.checkpoint_mismatch == 2 and verdict.first_broken_seq is None
