"""The audit hash chain (shared with workflow in `dvc_common.audit`)."""

from __future__ import annotations

from dvc_common.audit import GENESIS, first_break, record_hash

__all__ = ["GENESIS", "first_break", "record_hash"]
