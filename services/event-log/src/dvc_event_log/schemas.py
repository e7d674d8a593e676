"""The feed's response model: the same CloudEvents envelopes as dvc.events, and the next cursor."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dvc_common.events import PublicEvent
from dvc_event_log.domain.feed import FeedPage


class EventPage(BaseModel):
    events: list[PublicEvent] = Field(description="Public events in the order they were recorded")
    next: str = Field(description="Cursor for the next request (after=…); opaque digits, keep it as is")
    has_more: bool = Field(description="True: ask again at once with `next`; false: the end for now")


def event_page(page: FeedPage) -> EventPage:
    return EventPage(
        events=[PublicEvent.model_validate(envelope) for envelope in page.events],
        next=str(page.next),
        has_more=page.has_more,
    )
