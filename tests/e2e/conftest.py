"""The whole stack as processes (the same launcher as `dvc dev up`), isolated per run.

Own databases (suffix), own RabbitMQ vhost, own ports (offset), a real S3 server (SeaweedFS)
for intake's documents, the sandbox's SMTP sink and national-portal simulator.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from minio import Minio

from dvc_common.db import drop_database
from dvc_devkit.devstack import SERVICE_PORTS, Stack, StackConfig, env_prefix, reserve_port_offset
from dvc_devkit.testing.infra import rabbitmq_vhost, run_id
from dvc_devkit.testing.s3server import S3Server
from e2e_support import BUCKET, MAX_FILE_BYTES


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    server = S3Server().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, s3: S3Server) -> Iterator[Stack]:
    suffix = f"_e2e_{run_id()}"
    with rabbitmq_vhost("dvc-e2e") as vhost:
        config = StackConfig(
            database_suffix=suffix,
            vhost=vhost.name,
            port_offset=reserve_port_offset(what="end-to-end stack"),
            var_dir=tmp_path_factory.mktemp("var"),
            extra_env={
                "DVC_INTAKE_BLOB_BACKEND": "s3",
                "DVC_INTAKE_S3_ENDPOINT": s3.endpoint,
                "DVC_INTAKE_S3_ACCESS_KEY": s3.access_key,
                "DVC_INTAKE_S3_SECRET_KEY": s3.secret_key,
                "DVC_INTAKE_S3_BUCKET": BUCKET,
                "DVC_INTAKE_S3_SECURE": "false",
                "DVC_INTAKE_MAX_FILE_BYTES": str(MAX_FILE_BYTES),
                # Short backoff so retry paths finish within the test's patience.
                "DVC_SYNC_NATIONAL_CONSUMER_RETRY_BASE_MS": "200",
                "DVC_NOTIFY_CONSUMER_RETRY_BASE_MS": "200",
                # Every test reads dossiers anonymously from 127.0.0.1, so the per-client limit of
                # the public look-up would throttle the suite itself; workflow's tests cover the limit.
                "DVC_WORKFLOW_LOOKUP_PER_MINUTE": "1000000",
                # Small pools: several stacks (and CI) share one PostgreSQL with 100 connections.
                **{env_prefix(service) + "DB_POOL_SIZE": "3" for service in SERVICE_PORTS},
            },
        )
        stack = Stack(config)
        try:
            stack.up()
            yield stack
        finally:
            stack.down()
            for service in SERVICE_PORTS:
                asyncio.run(drop_database(config.database_url(service)))


@pytest.fixture(scope="session")
def bucket(s3: S3Server) -> Callable[[], set[str]]:
    client = Minio(s3.endpoint, access_key=s3.access_key, secret_key=s3.secret_key, secure=False)

    def objects() -> set[str]:
        if not client.bucket_exists(BUCKET):
            return set()
        return {o.object_name or "" for o in client.list_objects(BUCKET, recursive=True)}

    return objects
