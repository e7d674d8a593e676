"""Templates: seeding the shipped ones, previews, and new versions saved by the provincial operator."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.events import BY_TYPE, NATIONAL_STATUS_NAMES
from dvc_notify.domain.rendering import CHANNELS, Rendered, TemplateInvalid, TemplateSource
from dvc_notify.errors import template_conflict, template_invalid, template_kind_unknown, template_not_found
from dvc_notify.models import Template
from dvc_notify.repository import NotifyRepository
from dvc_notify.service.notifier import Notifier
from dvc_notify.template_files import shipped_templates

log = logging.getLogger(__name__)

SAMPLE_APPLICANT = "Nguyễn Văn An"
SAMPLE_PROCEDURE = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
SAMPLE_AGENCY = "Sở Xây dựng tỉnh Lai Châu"


def template_source(template: Template) -> TemplateSource:
    return TemplateSource(
        channel=template.channel,
        subject=template.subject,
        body_text=template.body_text,
        body_html=template.body_html,
        zalo_template_id=template.zalo_template_id,
        zalo_data=template.zalo_data or {},
    )


async def seed_templates(session: AsyncSession) -> int:
    """Every shipped template the database does not hold yet, as version 1; a shipped template that
    changed since it was seeded becomes the next version, unless the operator edited it since."""
    repo = NotifyRepository(session)
    added = 0
    for (event_type, channel), source in shipped_templates().items():
        current = await repo.current_template(event_type, channel)
        if current is not None and (current.author != "seed" or template_source(current) == source):
            continue  # the shipped version is in use, or the operator's own edit is kept
        version = current.version + 1 if current else 1
        if await repo.add_template_version(
            _template_values(event_type, channel, version, source, "seed", None)
        ):
            added += 1
    return added


def _template_values(
    event_type: str, channel: str, version: int, source: TemplateSource, author: str, note: str | None
) -> dict[str, Any]:
    return {
        "event_type": event_type,
        "channel": channel,
        "version": version,
        "subject": source.subject,
        "body_text": source.body_text,
        "body_html": source.body_html,
        "zalo_template_id": source.zalo_template_id,
        "zalo_data": dict(source.zalo_data) if source.zalo_data else None,
        "author": author,
        "note": note,
        "created_at": clock.now(),
    }


def _known(event_type: str, channel: str) -> None:
    if f"vn.dvc.{event_type}" not in BY_TYPE or channel not in CHANNELS:
        raise template_kind_unknown(event_type, channel)


async def current_templates(session: AsyncSession) -> list[Template]:
    """The version in use of every template."""
    return await NotifyRepository(session).current_templates()


async def template_versions(session: AsyncSession, event_type: str, channel: str) -> list[Template]:
    """Every version of one template, newest first."""
    rows = await NotifyRepository(session).template_versions(event_type, channel)
    if not rows:
        raise template_not_found(event_type, channel)
    return rows


def preview(
    notifier: Notifier,
    event_type: str,
    channel: str,
    source: TemplateSource,
    sample: Mapping[str, Any] | None,
) -> Rendered:
    """Render a (draft) template against the catalog's example of the event, or the given sample data."""
    _known(event_type, channel)
    example = BY_TYPE[f"vn.dvc.{event_type}"].example
    payload: dict[str, Any] = example.model_dump()
    if sample:
        if isinstance(sample.get("status"), int) and "status_name" not in sample:
            sample = {**sample, "status_name": NATIONAL_STATUS_NAMES.get(sample["status"], "")}
        payload = (
            BY_TYPE[f"vn.dvc.{event_type}"]
            .payload.model_validate({**example.model_dump(mode="json"), **sample})
            .model_dump()
        )
    context = notifier.context(
        payload,
        SAMPLE_APPLICANT,
        str(payload.get("code") or payload.get("dossier_code") or ""),
        procedure_name=SAMPLE_PROCEDURE,
        agency_name=SAMPLE_AGENCY,
    )
    try:
        return notifier.renderer.render(source, context)
    except TemplateInvalid as exc:
        raise template_invalid(exc) from exc


async def preview_template(
    session: AsyncSession,
    notifier: Notifier,
    event_type: str,
    channel: str,
    draft: TemplateSource | None,
    sample: Mapping[str, Any] | None,
) -> Rendered:
    """Preview a draft, or the version in use when there is no draft."""
    source = draft
    if source is None:
        current = await NotifyRepository(session).current_template(event_type, channel)
        if current is None:
            raise template_not_found(event_type, channel)
        source = template_source(current)
    return preview(notifier, event_type, channel, source, sample)


async def save_template(
    session: AsyncSession,
    notifier: Notifier,
    event_type: str,
    channel: str,
    source: TemplateSource,
    *,
    author: str,
    note: str | None,
) -> Template:
    """A new version, after it rendered the event's example without error; queued messages keep theirs."""
    preview(notifier, event_type, channel, source, None)
    repo = NotifyRepository(session)
    await repo.lock_template_key(event_type, channel)
    current = await repo.current_template(event_type, channel)
    version = (current.version if current else 0) + 1
    saved = await repo.add_template_version(
        _template_values(event_type, channel, version, source, author, note)
    )
    if saved is None:
        raise template_conflict()
    log.info("template saved", extra={"event_type": event_type, "channel": channel, "version": version})
    return saved
