"""What every blob store shares: the interface, its errors, and the streaming SHA-256 digest."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

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
