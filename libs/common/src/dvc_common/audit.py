"""Hash-chained audit logs (identity, workflow): each record's hash covers its content and the previous hash.

The chain makes tampering visible: editing, deleting or reordering a stored record breaks every later
link, and `first_break` names the first record that no longer verifies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

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
