"""Hash-chained audit logs (identity, workflow): each record's hash covers its content and the previous hash.

The chain makes tampering visible: editing, deleting or reordering a stored record breaks every later
link, and verification names the first record that no longer verifies.

A service keeps its own table (its columns are its own) and gives this module a `ChainStore`: the
last link (taken under a lock that serialises appenders, e.g. `pg_advisory_xact_lock`) and the links
after a sequence number, a page at a time. `append` computes the next link; `verify` walks the chain
in pages of `batch` rows, so memory stays bounded however long the chain grows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

GENESIS = "0" * 64


def record_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def first_break(
    records: Iterable[tuple[int, str, str, Mapping[str, Any]]], start: str = GENESIS
) -> int | None:
    """The sequence number of the first record whose chain does not hold, or None when it all holds.

    Each item is (seq, prev_hash, hash, content) in sequence order; `start` is the hash the first record
    must link to (GENESIS for the beginning of the chain, the last verified hash when read in pages).
    """
    expected_prev = start
    for seq, prev_hash, digest, content in records:
        if prev_hash != expected_prev or record_hash(prev_hash, content) != digest:
            return seq
        expected_prev = digest
    return None


class ChainRow(Protocol):
    """What a stored audit row must have (SQLModel rows with these columns qualify)."""

    @property
    def seq(self) -> int: ...

    @property
    def prev_hash(self) -> str: ...

    @property
    def hash(self) -> str: ...


R = TypeVar("R", bound=ChainRow)
R_co = TypeVar("R_co", bound=ChainRow, covariant=True)


class ChainStore(Protocol[R_co]):
    """A service's audit table, as the chain needs it (implemented by its repository)."""

    async def last_link(self) -> R_co | None:
        """The row with the highest seq, read under the lock that serialises appenders."""
        ...

    async def links_after(self, after: int, limit: int) -> Sequence[R_co]:
        """Up to `limit` rows with seq > `after`, in seq order."""
        ...


@dataclass(frozen=True)
class Link:
    """Where a new record goes in the chain: store these three columns with its content."""

    seq: int
    prev_hash: str
    hash: str


async def append(store: ChainStore[ChainRow], content_for: Callable[[int], Mapping[str, Any]]) -> Link:
    """The next link: `content_for(seq)` is the record's hashed content (which usually includes seq)."""
    last = await store.last_link()
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    return Link(seq, prev, record_hash(prev, content_for(seq)))


Break = Literal["content", "link", "missing"]


@dataclass(frozen=True)
class ChainVerdict:
    checked: int  # rows read (up to the first break)
    first_broken_seq: int | None  # edited, reordered or missing (a gap names the missing seq)
    checkpoint_mismatch: int | None = None  # a recorded head the chain no longer has
    # How the first broken row fails: its own content no longer gives its hash ("content"); or
    # its link to the row before does not hold ("link": that row was rewritten with a recomputed
    # hash, or this one was re-linked); or it is not there ("missing").
    broken: Break | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None and self.checkpoint_mismatch is None

    def message(self) -> str:
        """The verdict in Vietnamese, naming the first row whose link breaks."""
        seq = self.first_broken_seq
        if self.ok:
            return f"Chuỗi nhật ký toàn vẹn ({self.checked} bản ghi)."
        if seq is None:
            return f"Đầu chuỗi đã ghi nhận tại bản ghi số {self.checkpoint_mismatch} không còn khớp."
        if self.broken == "missing":
            return f"Chuỗi nhật ký bị phá vỡ: thiếu bản ghi số {seq}."
        if self.broken == "link":
            return (
                f"Chuỗi nhật ký bị phá vỡ tại bản ghi số {seq}: liên kết của nó không khớp bản ghi số"
                f" {seq - 1} (bản ghi số {seq - 1} đã bị sửa và tính lại mã băm, hoặc bản ghi số {seq}"
                " bị nối lại)."
            )
        return f"Chuỗi nhật ký bị sửa đổi: nội dung bản ghi số {seq} không còn khớp mã băm của nó."


async def verify(
    store: ChainStore[R],
    content_of: Callable[[R], Mapping[str, Any]],
    *,
    batch: int = 1000,
    checkpoints: Iterable[tuple[int, str]] = (),
) -> ChainVerdict:
    """Walk the chain from the start in pages; stop at the first row whose link breaks.

    `checkpoints` are chain heads recorded earlier as (seq, hash): one the chain no longer holds
    (a truncated tail, or a rewritten chain) is reported as `checkpoint_mismatch`, when the chain
    itself holds up to the end.
    """
    pending = sorted(checkpoints)
    checked, after, prev = 0, 0, GENESIS
    while page := await store.links_after(after, batch):
        for row in page:
            if row.seq != after + 1:  # a deleted row
                return ChainVerdict(checked, after + 1, broken="missing")
            # The link first: a row rewritten with its hash recomputed verifies on its own, and
            # is caught here, at the next row, whose prev_hash still names the original.
            if row.prev_hash != prev:
                return ChainVerdict(checked, row.seq, broken="link")
            if record_hash(row.prev_hash, content_of(row)) != row.hash:
                return ChainVerdict(checked, row.seq, broken="content")
            while pending and pending[0][0] <= row.seq:
                seq, digest = pending.pop(0)
                if seq != row.seq or digest != row.hash:
                    return ChainVerdict(checked + 1, None, seq)
            checked += 1
            after, prev = row.seq, row.hash
    return ChainVerdict(checked, None, pending[0][0] if pending else None)
