"""Identity consumes no events: it is where agency and officer events come from."""

from __future__ import annotations

from dvc_common.consumers import Consumer
from dvc_common.topology import QueueSpec

QUEUES: tuple[QueueSpec, ...] = ()
CONSUMERS: tuple[Consumer, ...] = ()
