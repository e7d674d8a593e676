"""Builds the qa service's FastAPI app, broker and deadline scheduler; nothing else."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_common.lease import Lease
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.worktime import load_calendar
from dvc_qa.api import ROUTERS
from dvc_qa.handlers import consumers
from dvc_qa.service.context import QaContext
from dvc_qa.service.deadlines import DeadlineScheduler
from dvc_qa.settings import QaSettings


def build(settings: QaSettings | None = None) -> FastAPI:
    settings = settings or QaSettings()
    runtime = ServiceRuntime(settings, consumers())
    ctx = QaContext(runtime.outbox, load_calendar(settings.province), settings.due_soon_working_hours)
    lease = Lease(
        runtime.transaction,
        table="qa_lease",
        name="qa.deadlines",
        ttl_seconds=settings.deadline_lease_seconds,
    )
    scheduler = DeadlineScheduler(
        runtime.transaction,
        ctx,
        lease,
        interval_seconds=settings.deadline_scan_seconds,
        batch_size=settings.deadline_batch_size,
    )
    runtime.clock.on_change(lambda _: scheduler.job.wake())  # a clock jump: catch up on what fell due
    app = create_app(
        runtime,
        title="DVC — Hỏi - đáp (qa)",
        description=(
            "Mục hỏi - đáp công khai (Quy chế tỉnh Lai Châu, Điều 22–25): tổ chức, cá nhân đăng nhập VNeID gửi "
            "câu hỏi đến cơ quan; công chức đầu mối trả lời, chuyển phòng chuyên môn hoặc từ chối có nêu lý do; "
            "tra cứu câu hỏi đã trả lời có dấu hoặc không dấu; câu hỏi thường gặp."
        ),
        routers=ROUTERS,
        on_startup=[scheduler.job.on_startup],
        on_shutdown=[scheduler.job.on_shutdown],
    )
    app.state.qa = ctx
    app.state.scheduler = scheduler
    return app


app = build()
