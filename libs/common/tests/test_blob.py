"""The same behaviour, checked against both blob backends: a local directory and a real S3 server."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from minio import Minio

from dvc_common.blob import (
    BlobNotFound,
    BlobStore,
    BlobStoreUnavailable,
    BlobTooLarge,
    EmptyBlob,
    LocalDirBlobStore,
    S3BlobStore,
    StoredBlob,
    blob_store_from_settings,
)
from dvc_devkit.testing.s3server import S3Server, running_s3_server

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    with running_s3_server() as server:
        yield server


def _s3_store(server: S3Server, bucket: str) -> S3BlobStore:
    store = blob_store_from_settings(
        "s3",
        s3_endpoint=server.endpoint,
        s3_access_key=server.access_key,
        s3_secret_key=server.secret_key,
        s3_bucket=bucket,
        s3_secure=False,
        s3_region=server.region,
    )
    assert isinstance(store, S3BlobStore)
    return store


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalDirBlobStore(tmp_path / "blobs")
    s3 = _s3_store(request.getfixturevalue("s3_server"), f"test-{uuid.uuid4().hex[:12]}")
    await s3.ensure_bucket()
    return s3


async def stream(data: bytes, chunk_size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), chunk_size):
        yield data[start : start + chunk_size]


async def read_all(store: BlobStore, sha256: str) -> bytes:
    return b"".join([chunk async for chunk in await store.open(sha256)])


def leftovers(store: BlobStore) -> list[str]:
    """Everything the backend holds: files (also hidden temporaries), objects and open uploads."""
    if isinstance(store, LocalDirBlobStore):
        if not store.root.exists():
            return []
        return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())
    assert isinstance(store, S3BlobStore)
    client: Minio = store._client
    objects = [o.object_name or "" for o in client.list_objects(store.bucket, recursive=True)]
    uploads = client._list_multipart_uploads(store.bucket).uploads
    return sorted(objects + [f"upload:{u.object_name}" for u in uploads])


async def test_round_trip_returns_the_server_computed_digest(store: BlobStore) -> None:
    data = "Giấy khai sinh – bản sao điện tử".encode() * 1000

    blob = await store.put(stream(data, 777), max_size=10 * MiB)

    assert blob == StoredBlob(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    assert await store.exists(blob.sha256)
    assert await read_all(store, blob.sha256) == data


async def test_storing_the_same_content_twice_is_idempotent(store: BlobStore) -> None:
    data = os.urandom(300_000)

    first = await store.put(stream(data), max_size=MiB)
    second = await store.put(stream(data, 1000), max_size=MiB)

    assert first == second
    assert await read_all(store, first.sha256) == data
    assert len(leftovers(store)) == 1


async def test_multipart_sized_upload_round_trips_and_leaves_one_object(store: BlobStore) -> None:
    data = os.urandom(11 * MiB + 123)  # three S3 parts, the last one short

    blob = await store.put(stream(data, 256 * 1024), max_size=20 * MiB)
    again = await store.put(stream(data, 1 * MiB), max_size=20 * MiB)

    assert blob == again == StoredBlob(hashlib.sha256(data).hexdigest(), len(data))
    assert hashlib.sha256(await read_all(store, blob.sha256)).hexdigest() == blob.sha256
    assert len(leftovers(store)) == 1


@pytest.mark.parametrize("size", [1000, 12 * MiB])
async def test_too_large_is_rejected_and_nothing_is_left_behind(store: BlobStore, size: int) -> None:
    consumed = 0

    async def counted(data: bytes) -> AsyncIterator[bytes]:
        nonlocal consumed
        async for chunk in stream(data):
            consumed += len(chunk)
            yield chunk

    with pytest.raises(BlobTooLarge):
        await store.put(counted(os.urandom(size + 200_000)), max_size=size)

    assert consumed <= size + 64 * 1024, "the stream must be abandoned as soon as it is too large"
    assert leftovers(store) == []


async def test_empty_content_is_rejected(store: BlobStore) -> None:
    with pytest.raises(EmptyBlob):
        await store.put(stream(b""), max_size=MiB)
    assert leftovers(store) == []


async def test_a_failing_upload_stream_leaves_nothing_behind(store: BlobStore) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield os.urandom(6 * MiB)
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.put(broken(), max_size=20 * MiB)
    assert leftovers(store) == []


async def test_missing_blob(store: BlobStore) -> None:
    missing = hashlib.sha256(b"never stored").hexdigest()

    with pytest.raises(BlobNotFound):
        await store.open(missing)
    assert not await store.exists(missing)
    await store.delete(missing)  # deleting what is not there is fine


async def test_delete_removes_the_blob(store: BlobStore) -> None:
    blob = await store.put(stream(b"to be removed"), max_size=MiB)

    await store.delete(blob.sha256)

    assert not await store.exists(blob.sha256)
    with pytest.raises(BlobNotFound):
        await store.open(blob.sha256)


async def test_malformed_digest_is_refused(store: BlobStore) -> None:
    with pytest.raises(ValueError):
        await store.open("../../etc/passwd")
    with pytest.raises(ValueError):
        await store.exists("ABC")


async def test_ping_succeeds_on_a_usable_store(store: BlobStore) -> None:
    if isinstance(store, LocalDirBlobStore):
        store.root.mkdir(parents=True)
    await store.ping()


async def test_streamed_20_mb_upload_keeps_memory_small(store: BlobStore) -> None:
    size = 20_000_000
    chunk = os.urandom(64 * 1024)
    expected = hashlib.sha256()

    async def generated() -> AsyncIterator[bytes]:
        sent = 0
        while sent < size:
            piece = chunk[: size - sent]
            expected.update(piece)
            sent += len(piece)
            yield piece

    tracemalloc.start()
    try:
        blob = await store.put(generated(), max_size=size)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert blob == StoredBlob(expected.hexdigest(), size)
    # One S3 part (5 MiB) at most; a buffered upload would need the whole 20 MB.
    assert peak < 8 * MiB, f"peak traced memory {peak} bytes"


async def test_presigned_link_downloads_the_blob_when_the_backend_offers_one(store: BlobStore) -> None:
    data = "Quyết định cấp phép".encode()
    blob = await store.put(stream(data), max_size=MiB)

    url = store.presigned_get_url(blob.sha256, timedelta(minutes=5), download_name="quyết định.pdf")

    if isinstance(store, LocalDirBlobStore):
        assert url is None
        return
    assert url is not None
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: ASYNC210 - test only
        assert response.read() == data
        assert (
            "filename*=UTF-8''quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf"
            in response.headers["Content-Disposition"]
        )


async def test_local_ping_fails_when_the_directory_is_missing(tmp_path: Path) -> None:
    with pytest.raises(BlobStoreUnavailable):
        await LocalDirBlobStore(tmp_path / "absent").ping()


async def test_s3_ping_fails_when_the_bucket_is_missing(s3_server: S3Server) -> None:
    with pytest.raises(BlobStoreUnavailable):
        await _s3_store(s3_server, "no-such-bucket").ping()


async def test_s3_ping_fails_when_the_server_is_unreachable() -> None:
    store = S3BlobStore(endpoint="127.0.0.1:9", access_key="x", secret_key="y", bucket="b", secure=False)
    with pytest.raises(BlobStoreUnavailable):
        await store.ping()


def test_factory_refuses_incomplete_settings() -> None:
    with pytest.raises(ValueError):
        blob_store_from_settings("s3", s3_endpoint="localhost:9000")
    with pytest.raises(ValueError):
        blob_store_from_settings("local")
