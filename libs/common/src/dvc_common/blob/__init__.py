"""Content-addressed blob storage: one small async interface, a local-directory and an S3 backend.

A blob is stored under the hex SHA-256 of its content. The digest is computed by us while the
upload streams through (never trusted from a client), a whole file is never held in memory, and
storing the same content twice is a no-op.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dvc_common.blob.base import (
    BlobError,
    BlobNotFound,
    BlobStore,
    BlobStoreUnavailable,
    BlobTooLarge,
    EmptyBlob,
    StoredBlob,
)
from dvc_common.blob.local import LocalDirBlobStore
from dvc_common.blob.s3 import S3BlobStore

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
