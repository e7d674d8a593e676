"""A database lease: one replica of a service runs a scheduled job at a time.

The lease is a row `(name, holder, expires_at)` in a table of the service's own database (each
service declares it among its models, e.g. `payments_lease`). A replica takes the lease when it is
free or expired and renews it while it works; if it dies, the lease expires and another replica
takes over. Acquiring and renewing are the same atomic upsert.
"""

from __future__ import annotations

import re
import socket
import uuid

from sqlalchemy import text

from dvc_common.db import UnitOfWork

_TABLE = re.compile(r"^[a-z_][a-z0-9_]*$")


def default_holder() -> str:
    """This process: host name and a random suffix (replicas may share a host name)."""
    return f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"


class Lease:
    def __init__(
        self, uow: UnitOfWork, *, table: str, name: str, ttl_seconds: float, holder: str | None = None
    ) -> None:
        if not _TABLE.match(table):
            raise ValueError(f"bad table name {table!r}")
        self._uow = uow
        self._table = table
        self.name = name
        self.ttl_seconds = ttl_seconds
        self.holder = holder or default_holder()

    async def acquire(self) -> bool:
        """Take or renew the lease; False while another holder's lease is still valid."""
        async with self._uow() as session:
            result = await session.execute(
                text(
                    f"INSERT INTO {self._table} (name, holder, expires_at)"
                    " VALUES (:name, :holder, now() + make_interval(secs => :ttl))"
                    " ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at"
                    f" WHERE {self._table}.holder = EXCLUDED.holder OR {self._table}.expires_at < now()"
                    " RETURNING holder"
                ),
                {"name": self.name, "holder": self.holder, "ttl": self.ttl_seconds},
            )
            return result.first() is not None

    async def release(self) -> None:
        async with self._uow() as session:
            await session.execute(
                text(f"DELETE FROM {self._table} WHERE name = :name AND holder = :holder"),
                {"name": self.name, "holder": self.holder},
            )
