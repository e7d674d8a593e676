"""Content-addressed blob storage: one small async interface, a local-directory and an S3 backend.

A blob is stored under the hex SHA-256 of its content. The digest is computed by us while the
upload streams through (never trusted from a client), a whole file is never held in memory, and
storing the same content twice is a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import re
import tempfile
import urllib.parse
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO, Literal, Protocol, cast

import urllib3
from minio import Minio
from minio.commonconfig import CopySource
from minio.datatypes import Part
from minio.error import S3Error

__all__ = [
    "BlobError",
    "BlobNotFound",
    "BlobStore",
    "BlobStoreUnavailable",
    "BlobTooLarge",
    "EmptyBlob",
    "LocalDirBlobStore",
    "S3BlobStore",
    "StoredBlob",
    "blob_store_from_settings",
]

READ_CHUNK_SIZE = 256 * 1024
# S3 refuses multipart parts smaller than 5 MiB (except the last one).
MIN_PART_SIZE = 5 * 1024 * 1024
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class BlobError(Exception):
    """Base class of blob storage errors."""


class BlobTooLarge(BlobError):
    def __init__(self, max_size: int) -> None:
        super().__init__(f"blob exceeds the maximum size of {max_size} bytes")
        self.max_size = max_size


class EmptyBlob(BlobError):
    def __init__(self) -> None:
        super().__init__("blob is empty")


class BlobNotFound(BlobError):
    def __init__(self, sha256: str) -> None:
        super().__init__(f"blob {sha256} not found")
        self.sha256 = sha256


class BlobStoreUnavailable(BlobError):
    """The storage cannot be reached or is not set up (raised by ``ping``)."""


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int


class BlobStore(Protocol):
    """Content-addressed blob storage.

    Methods taking a ``sha256`` raise ``ValueError`` unless it is 64 lowercase hex digits.
    """

    async def put(self, chunks: AsyncIterator[bytes], *, max_size: int) -> StoredBlob:
        """Store a stream; raise ``BlobTooLarge`` as soon as it exceeds ``max_size`` and
        ``EmptyBlob`` for zero bytes, leaving nothing behind in both cases."""
        ...

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        """Check that the blob exists (else ``BlobNotFound``) and return its content as a stream.

        Iterate the stream to the end or ``aclose()`` it to release the file or connection.
        """
        ...

    async def exists(self, sha256: str) -> bool: ...

    async def delete(self, sha256: str) -> None:
        """Remove the blob; deleting a missing blob is not an error."""
        ...

    async def ping(self) -> None:
        """Raise ``BlobStoreUnavailable`` unless the storage is usable (for readiness checks)."""
        ...

    def presigned_get_url(
        self,
        sha256: str,
        expires: timedelta,
        *,
        download_name: str | None = None,
        content_type: str | None = None,
    ) -> str | None:
        """A short-lived direct download link, or ``None`` when the service must stream the blob."""
        ...


def _check_sha256(sha256: str) -> str:
    if not _SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a lowercase hex SHA-256 digest: {sha256!r}")
    return sha256


def _check_max_size(max_size: int) -> None:
    if max_size <= 0:
        raise ValueError("max_size must be positive")


class _Digest:
    """Running SHA-256 and size of a stream, enforcing the size limit chunk by chunk."""

    def __init__(self, max_size: int) -> None:
        _check_max_size(max_size)
        self._max_size = max_size
        self._hash = hashlib.sha256()
        self.size = 0

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self._max_size:
            raise BlobTooLarge(self._max_size)
        self._hash.update(chunk)

    def finish(self) -> StoredBlob:
        if self.size == 0:
            raise EmptyBlob()
        return StoredBlob(sha256=self._hash.hexdigest(), size=self.size)


# --------------------------------------------------------------------------- local directory


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(file: BinaryIO, path: Path) -> None:
    file.close()
    path.unlink(missing_ok=True)


def _seal(file: BinaryIO) -> None:
    file.flush()
    os.fsync(file.fileno())
    file.close()


class LocalDirBlobStore:
    """Blobs as files ``<root>/<first two hex digits>/<sha256>``, written atomically."""

    def __init__(self, root: Path, *, read_chunk_size: int = READ_CHUNK_SIZE) -> None:
        self.root = root
        self._read_chunk_size = read_chunk_size

    def _path(self, sha256: str) -> Path:
        _check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def _create_temp(self) -> tuple[BinaryIO, Path]:
        self.root.mkdir(parents=True, exist_ok=True)
        # Same directory tree as the final file, so the rename below is atomic.
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        return os.fdopen(fd, "wb"), Path(name)

    def _commit(self, temp: Path, sha256: str) -> None:
        target = self._path(sha256)
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            temp.unlink()  # same digest, same content: already stored
            return
        os.replace(temp, target)
        _fsync_dir(target.parent)

    async def put(self, chunks: AsyncIterator[bytes], *, max_size: int) -> StoredBlob:
        digest = _Digest(max_size)
        file, temp = await asyncio.to_thread(self._create_temp)
        try:
            async for chunk in chunks:
                if chunk:
                    digest.add(chunk)
                    await asyncio.to_thread(file.write, chunk)
            blob = digest.finish()
            await asyncio.to_thread(_seal, file)
            await asyncio.to_thread(self._commit, temp, blob.sha256)
        except BaseException:
            _discard(file, temp)  # quick and synchronous, so it also runs under cancellation
            raise
        return blob

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        path = self._path(sha256)
        if not await asyncio.to_thread(path.is_file):
            raise BlobNotFound(sha256)
        return self._read(path, sha256)

    async def _read(self, path: Path, sha256: str) -> AsyncIterator[bytes]:
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:  # deleted between open() and the first read
            raise BlobNotFound(sha256) from None
        try:
            while chunk := await asyncio.to_thread(file.read, self._read_chunk_size):
                yield chunk
        finally:
            file.close()

    async def exists(self, sha256: str) -> bool:
        return await asyncio.to_thread(self._path(sha256).is_file)

    async def delete(self, sha256: str) -> None:
        await asyncio.to_thread(self._path(sha256).unlink, missing_ok=True)

    def _check_usable(self) -> None:
        if not self.root.is_dir() or not os.access(self.root, os.W_OK | os.X_OK):
            raise BlobStoreUnavailable(f"blob directory {self.root} is missing or not writable")

    async def ping(self) -> None:
        await asyncio.to_thread(self._check_usable)

    def presigned_get_url(
        self,
        sha256: str,
        expires: timedelta,
        *,
        download_name: str | None = None,
        content_type: str | None = None,
    ) -> str | None:
        """Local files have no direct links: the service streams them itself."""
        _check_sha256(sha256)
        return None


# --------------------------------------------------------------------------- S3


_MISSING_CODES = frozenset({"NoSuchKey", "NotFound", "ResourceNotFound"})


def _http_client() -> urllib3.PoolManager:
    # Bounded retries and timeouts, so that ping() fails fast when the server is down.
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=5, read=60),
        maxsize=16,
        retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
    )


class S3BlobStore:
    """Blobs as objects ``sha256/<hex>`` in one bucket, through the (synchronous) minio SDK in threads.

    Small uploads (below ``part_size``) go straight to their final key. Larger ones are sent as a
    multipart upload to a temporary key, part by part as they stream in, then copied server-side to
    the final key; so at most about one part is held in memory.
    """

    KEY_PREFIX = "sha256/"
    TEMP_PREFIX = "incoming/"

    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool = True,
        region: str = "us-east-1",
        part_size: int = MIN_PART_SIZE,
        public_endpoint: str | None = None,
        public_secure: bool | None = None,
    ) -> None:
        if part_size < MIN_PART_SIZE:
            raise ValueError(f"part_size must be at least {MIN_PART_SIZE} bytes")
        self.bucket = bucket
        self._part_size = part_size
        # The region is given explicitly so that presigning needs no network round trip.
        self._client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=_http_client(),
        )
        # Links handed to browsers may need another host name than the one services use.
        self._signer = (
            Minio(
                public_endpoint,
                access_key=access_key,
                secret_key=secret_key,
                secure=secure if public_secure is None else public_secure,
                region=region,
            )
            if public_endpoint
            else self._client
        )

    def _key(self, sha256: str) -> str:
        return self.KEY_PREFIX + _check_sha256(sha256)

    async def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist yet."""

        def ensure() -> None:
            if not self._client.bucket_exists(self.bucket):
                with contextlib.suppress(S3Error):  # another replica may have just created it
                    self._client.make_bucket(self.bucket)

        await asyncio.to_thread(ensure)

    def _stat_exists(self, key: str) -> bool:
        try:
            self._client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                return False
            raise
        return True

    def _put_small(self, key: str, data: bytes) -> None:
        if not self._stat_exists(key):
            self._client.put_object(self.bucket, key, io.BytesIO(data), len(data))

    def _promote(self, temp_key: str, key: str) -> None:
        try:
            if not self._stat_exists(key):
                self._client.copy_object(self.bucket, key, CopySource(self.bucket, temp_key))
        finally:
            self._client.remove_object(self.bucket, temp_key)

    async def put(self, chunks: AsyncIterator[bytes], *, max_size: int) -> StoredBlob:
        digest = _Digest(max_size)
        part = bytearray()
        upload: _MultipartUpload | None = None
        try:
            async for chunk in chunks:
                digest.add(chunk)
                part += chunk
                if len(part) >= self._part_size:
                    if upload is None:
                        upload = await _MultipartUpload.start(self._client, self.bucket, self._new_temp_key())
                    await upload.send(part)
                    part.clear()
            blob = digest.finish()
            key = self._key(blob.sha256)
            if upload is None:
                await asyncio.to_thread(self._put_small, key, bytes(part))
                return blob
            if part:
                await upload.send(part)
            await upload.complete()
            await asyncio.to_thread(self._promote, upload.key, key)
        except BaseException:
            if upload is not None:
                await upload.abort()  # harmless once completed; _promote removed the temp key
            raise
        return blob

    def _new_temp_key(self) -> str:
        return f"{self.TEMP_PREFIX}{uuid.uuid4().hex}"

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        key = self._key(sha256)
        if not await asyncio.to_thread(self._stat_exists, key):
            raise BlobNotFound(sha256)
        return self._read(key, sha256)

    async def _read(self, key: str, sha256: str) -> AsyncIterator[bytes]:
        try:
            response = await asyncio.to_thread(self._client.get_object, self.bucket, key)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                raise BlobNotFound(sha256) from None
            raise
        try:
            while chunk := await asyncio.to_thread(response.read, READ_CHUNK_SIZE):
                yield chunk
        finally:
            response.close()
            response.release_conn()

    async def exists(self, sha256: str) -> bool:
        return await asyncio.to_thread(self._stat_exists, self._key(sha256))

    async def delete(self, sha256: str) -> None:
        await asyncio.to_thread(self._client.remove_object, self.bucket, self._key(sha256))

    async def ping(self) -> None:
        try:
            found = await asyncio.to_thread(self._client.bucket_exists, self.bucket)
        except Exception as exc:
            raise BlobStoreUnavailable(f"S3 storage unreachable: {exc}") from exc
        if not found:
            raise BlobStoreUnavailable(f"S3 bucket {self.bucket} does not exist")

    def presigned_get_url(
        self,
        sha256: str,
        expires: timedelta,
        *,
        download_name: str | None = None,
        content_type: str | None = None,
    ) -> str | None:
        headers: dict[str, str | list[str] | tuple[str]] = {}
        if download_name is not None:
            quoted = urllib.parse.quote(download_name, safe="")
            headers["response-content-disposition"] = f"attachment; filename*=UTF-8''{quoted}"
        if content_type is not None:
            headers["response-content-type"] = content_type
        return self._signer.presigned_get_object(
            self.bucket, self._key(sha256), expires=expires, response_headers=headers or None
        )


class _MultipartUpload:
    """An S3 multipart upload driven part by part.

    minio's public ``put_object`` needs a file-like source and holds several copies of a part;
    its (stable since 7.0) multipart primitives let each part go out as soon as it is complete.
    """

    def __init__(self, client: Minio, bucket: str, key: str, upload_id: str) -> None:
        self._client = client
        self._bucket = bucket
        self.key = key
        self._upload_id = upload_id
        self._parts: list[Part] = []

    @classmethod
    async def start(cls, client: Minio, bucket: str, key: str) -> _MultipartUpload:
        headers: dict[str, Any] = {"Content-Type": "application/octet-stream"}
        upload_id = await asyncio.to_thread(client._create_multipart_upload, bucket, key, headers)
        return cls(client, bucket, key, upload_id)

    async def send(self, data: bytearray) -> None:
        number = len(self._parts) + 1
        # The bytearray is sent as is (urllib3 and hashlib take any buffer) to avoid copying a part.
        body = cast(bytes, data)
        etag = await asyncio.to_thread(
            self._client._upload_part, self._bucket, self.key, body, None, self._upload_id, number
        )
        self._parts.append(Part(number, etag))

    async def complete(self) -> None:
        await asyncio.to_thread(
            self._client._complete_multipart_upload, self._bucket, self.key, self._upload_id, self._parts
        )

    async def abort(self) -> None:
        with contextlib.suppress(Exception):  # best effort; the original error matters more
            await asyncio.to_thread(
                self._client._abort_multipart_upload, self._bucket, self.key, self._upload_id
            )


# --------------------------------------------------------------------------- factory


def blob_store_from_settings(
    backend: Literal["local", "s3"],
    *,
    local_root: Path | str | None = None,
    s3_endpoint: str | None = None,
    s3_access_key: str | None = None,
    s3_secret_key: str | None = None,
    s3_bucket: str | None = None,
    s3_secure: bool = True,
    s3_region: str = "us-east-1",
    s3_public_endpoint: str | None = None,
) -> LocalDirBlobStore | S3BlobStore:
    """Build the configured backend (call ``ensure_bucket`` on an S3 store at start-up)."""
    if backend == "local":
        if local_root is None:
            raise ValueError("local blob storage needs local_root")
        return LocalDirBlobStore(Path(local_root))
    if backend == "s3":
        if not (s3_endpoint and s3_access_key and s3_secret_key and s3_bucket):
            raise ValueError("S3 blob storage needs endpoint, access key, secret key and bucket")
        return S3BlobStore(
            endpoint=s3_endpoint,
            access_key=s3_access_key,
            secret_key=s3_secret_key,
            bucket=s3_bucket,
            secure=s3_secure,
            region=s3_region,
            public_endpoint=s3_public_endpoint,
        )
    raise ValueError(f"unknown blob storage backend: {backend!r}")
