"""Builds notify's FastAPI app, broker and delivery dispatcher; nothing else."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import FastAPI

from dvc_common.runtime import ServiceRuntime, create_app
from dvc_notify.api import ROUTERS
from dvc_notify.domain.deliveries import RetryRule
from dvc_notify.domain.rendering import Renderer
from dvc_notify.handlers import consumers
from dvc_notify.mailer import SmtpMailer
from dvc_notify.service.notifier import Notifier
from dvc_notify.service.sending import Dispatcher, dispatch_job
from dvc_notify.service.templates import seed_templates
from dvc_notify.settings import NotifySettings
from dvc_notify.zalo import ZaloClient, ZaloConfig


def build(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    tz = ZoneInfo(settings.timezone)
    portal = settings.public_portal_url.rstrip("/")
    notifier = Notifier(
        Renderer(tz),
        settings.public_lookup_url,
        settings.message_id_domain,
        question_url=settings.public_question_url,
        officer_url=portal + "/can-bo/ho-so/{code}",
        officer_login_url=portal + "/can-bo/dang-nhap",
    )

    def wake() -> None:  # a consumer queued deliveries: the dispatcher need not wait out its idle time
        dispatching.wake()

    mailer = SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )
    runtime = ServiceRuntime(settings, consumers(notifier, mailer, wake))
    zalo = ZaloClient(
        ZaloConfig(
            oauth_url=settings.zalo_oauth_url,
            zns_url=settings.zalo_zns_url,
            app_id=settings.zalo_app_id,
            secret_key=settings.zalo_secret_key.get_secret_value(),
            refresh_token=settings.zalo_refresh_token.get_secret_value(),
            timeout=settings.zalo_timeout_seconds,
        ),
        runtime.transaction,
    )
    dispatcher = Dispatcher(
        runtime.transaction,
        runtime.outbox,
        notifier,
        mailer,
        zalo,
        RetryRule(
            settings.delivery_max_attempts,
            settings.delivery_retry_base_seconds,
            settings.delivery_retry_max_seconds,
        ),
        batch_size=settings.dispatch_batch_size,
        concurrency=settings.dispatch_concurrency,
        lease_seconds=settings.dispatch_lease_seconds,
        email_rate=settings.smtp_rate_per_second,
        zalo_rate=settings.zalo_rate_per_second,
    )
    dispatching = dispatch_job(dispatcher, idle_seconds=settings.dispatch_idle_seconds)
    runtime.clock.on_change(lambda _: dispatching.wake())  # retries that fell due in a clock jump

    async def seed(runtime: ServiceRuntime) -> None:
        async with runtime.transaction() as session:
            await seed_templates(session)

    app = create_app(
        runtime,
        title="DVC — Thông báo (notify)",
        description=(
            "Gửi thư điện tử và tin nhắn Zalo ZNS cho người nộp hồ sơ khi hồ sơ thay đổi; nhật ký gửi, "
            "mẫu thông báo do Văn phòng UBND tỉnh chỉnh sửa."
        ),
        routers=ROUTERS,
        on_startup=[seed, dispatching.on_startup],
        on_shutdown=[dispatching.on_shutdown],
    )
    app.state.notifier = notifier
    return app


app = build()
