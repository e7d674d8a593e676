"""The local-directory blob store (development, single-node deployments)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from dvc_common.blob.base import (
    READ_CHUNK_SIZE,
    BlobNotFound,
    BlobStoreUnavailable,
    StoredBlob,
    _check_sha256,
    _Digest,
)


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
