"""Every replica of every service hears an officer's lock at once and refuses older tokens."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import aio_pika
from pydantic import SecretStr

from dvc_common.events import INTERNAL_EXCHANGE, OFFICER_LOCKED, CloudEvent, OfficerLocked
from dvc_common.principal import Principal
from dvc_common.runtime import ServiceRuntime
from dvc_common.settings import ServiceSettings


def replica(name: str, db_url: str, amqp_url: str) -> ServiceRuntime:
    settings = ServiceSettings(
        service_name=name, database_url=SecretStr(db_url), amqp_url=SecretStr(amqp_url), db_pool_size=2
    )
    return ServiceRuntime(settings)


async def test_officer_lock_reaches_every_replica(platform_db_url: str, vhost_url: str) -> None:
    replicas = [replica("revocation-test", platform_db_url, vhost_url) for _ in range(2)]
    replicas.append(replica("another-service", platform_db_url, vhost_url))
    for runtime in replicas:
        await runtime.start(relay=False)
    try:
        locked_at = datetime.now(UTC)
        before = Principal(
            subject="officer-7", kind="officer", issued_at=(locked_at - timedelta(minutes=1)).timestamp()
        )
        after = Principal(
            subject="officer-7", kind="officer", issued_at=(locked_at + timedelta(seconds=1)).timestamp()
        )
        event = CloudEvent(
            id=uuid.uuid4(),
            type=OFFICER_LOCKED.ce_type,
            source="dvc-identity",
            subject="officer-7",
            time=locked_at,
            data=OfficerLocked(
                officer_id="officer-7", agency_id="000.00.14.H56", locked_at=locked_at, reason="moved"
            ).model_dump(mode="json"),
            sequence=1,
            correlationid="officer-7",
        )
        connection = await aio_pika.connect(vhost_url)
        async with connection:
            channel = await connection.channel()
            exchange = await channel.get_exchange(INTERNAL_EXCHANGE)
            await exchange.publish(
                aio_pika.Message(event.model_dump_json().encode()), routing_key=OFFICER_LOCKED.routing_key
            )

        deadline = asyncio.get_running_loop().time() + 10
        refused: list[bool] = []
        while asyncio.get_running_loop().time() < deadline:
            refused = [await r.denylist.revoked(before) for r in replicas]
            if all(refused):
                break
            await asyncio.sleep(0.05)
        assert all(refused), "every replica refuses a token issued before the lock"
        assert not any([await r.denylist.revoked(after) for r in replicas]), (
            "a fresh login after the lock passes"
        )
        assert all(r.token_verifier is not None for r in replicas)
    finally:
        for runtime in replicas:
            await runtime.stop()
