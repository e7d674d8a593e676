"""The feed's cursor and what a page says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dvc_common.events import BY_TYPE, PUBLIC_VIEWS, project

# The types the feed serves: public ones with a projection. History recorded before a type became
# internal (officer.upserted.v1, officer.locked.v1 in 3.0.0) is no longer shown.
SERVED_TYPES: tuple[str, ...] = tuple(
    ce_type for ce_type, event in BY_TYPE.items() if event.public and event.routing_key in PUBLIC_VIEWS
)


class InvalidCursor(ValueError):
    """A cursor that is not one this feed gave out."""


def parse_cursor(text: str | None) -> int:
    """The history id after which to read: the `next` of an earlier page, a decimal number."""
    if text is None or text == "":
        return 0
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        raise InvalidCursor(text)
    return int(text)


@dataclass(frozen=True)
class FeedPage:
    events: list[dict[str, Any]]
    next: int
    has_more: bool


def public_envelope(envelope: dict[str, Any]) -> dict[str, Any]:
    """A recorded envelope as the feed serves it: its data reduced to the type's public projection
    (rows recorded before the projections existed hold the whole payload)."""
    return envelope | {"data": project(BY_TYPE[envelope["type"]], envelope["data"])}
