"""The S3 blob store (MinIO SDK): streamed multipart uploads, presigned links, server-side copies."""

from __future__ import annotations

import asyncio
import contextlib
import io
import urllib.parse
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any, cast

import urllib3
from minio import Minio
from minio.commonconfig import CopySource
from minio.datatypes import Part
from minio.error import S3Error

from dvc_common.blob.base import (
    MIN_PART_SIZE,
    READ_CHUNK_SIZE,
    BlobNotFound,
    BlobStoreUnavailable,
    StoredBlob,
    _check_sha256,
    _Digest,
)

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
