"""Builds the qa service's FastAPI app and broker; nothing else."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_common.runtime import ServiceRuntime, create_app
from dvc_qa.settings import QaSettings


def build(settings: QaSettings | None = None) -> FastAPI:
    settings = settings or QaSettings()
    return create_app(
        ServiceRuntime(settings),
        title="DVC — Hỏi - đáp (qa)",
        description="Mục hỏi - đáp công khai: tiếp nhận, trả lời và quản lý câu hỏi.",
    )


app = build()
