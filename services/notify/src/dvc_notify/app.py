"""Builds notify's FastAPI app and broker; nothing else."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dvc_common.runtime import ServiceRuntime, create_app
from fastapi import FastAPI

from dvc_notify.api.routes import router
from dvc_notify.handlers import consumers
from dvc_notify.mailer import SmtpMailer
from dvc_notify.settings import NotifySettings


def build(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    mailer = SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )
    runtime = ServiceRuntime(settings, consumers(mailer, ZoneInfo(settings.timezone)))
    return create_app(
        runtime,
        title="DVC — Thông báo (notify)",
        description="Gửi thư điện tử và tin nhắn Zalo cho người nộp hồ sơ khi trạng thái hồ sơ thay đổi.",
        routers=[router],
    )


app = build()
