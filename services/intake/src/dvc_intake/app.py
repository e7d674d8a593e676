"""Builds intake's FastAPI app and broker; nothing else."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import FastAPI

from dvc_common.blob import S3BlobStore, blob_store_from_settings
from dvc_common.client_address import TrustedProxies
from dvc_common.outbox import outbox_for
from dvc_common.ratelimit import lookup_limiter
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_intake.api import (
    data_store,
    dossiers,
    files,
    lookup,
    procedures,
    receipts,
    results,
    slips,
    supplements,
)
from dvc_intake.handlers import consumers
from dvc_intake.owners import IdentityOwners
from dvc_intake.scanning import scanner_for
from dvc_intake.service.slips import SlipConfig
from dvc_intake.service.uploads import Limits
from dvc_intake.settings import IntakeSettings


def build(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    timezone = ZoneInfo(settings.timezone)
    blobs = blob_store_from_settings(
        backend=settings.blob_backend,
        local_root=settings.blob_dir,
        s3_endpoint=settings.s3_endpoint,
        s3_access_key=settings.s3_access_key.get_secret_value(),
        s3_secret_key=settings.s3_secret_key.get_secret_value(),
        s3_bucket=settings.s3_bucket,
        s3_secure=settings.s3_secure,
    )
    slips_config = SlipConfig(
        settings.font_dir, timezone, settings.public_base_url, settings.postal_fee_vnd, settings.forms_place
    )
    runtime = ServiceRuntime(settings, consumers(outbox_for(settings), timezone, blobs, slips_config))

    async def prepare_blobs(rt: ServiceRuntime) -> None:
        blobs = application.state.blobs
        if isinstance(blobs, S3BlobStore):
            await blobs.ensure_bucket()
        else:
            settings.blob_dir.mkdir(parents=True, exist_ok=True)
        await blobs.ping()

    application = create_app(
        runtime,
        title="DVC — Tiếp nhận hồ sơ (intake)",
        description="Nộp hồ sơ thủ tục hành chính, lưu thành phần hồ sơ và cấp mã hồ sơ.",
        routers=[
            dossiers.router,
            files.router,
            slips.router,
            receipts.router,
            supplements.router,
            results.router,
            data_store.router,
            lookup.router,
            lookup.page_router,
            procedures.router,
        ],
        on_startup=[prepare_blobs],
    )
    application.state.blobs = blobs
    runtime.add_dependency_check("blobs", application.state.blobs.ping)
    application.state.limits = Limits(settings.max_file_bytes, settings.max_files, timezone)
    application.state.scanner = scanner_for(
        settings.scanner, settings.clamav_host, settings.clamav_port, settings.clamav_socket
    )
    application.state.owners = IdentityOwners(settings.identity_base_url)
    # Shared by the replicas (their database), per client and overall (dvc_common.ratelimit).
    application.state.lookup_limiter = lookup_limiter(
        runtime.engine.begin, "lookup", settings.lookup_per_minute
    )
    application.state.proxies = TrustedProxies.parse(settings.trusted_proxies)
    return application


app = build()
