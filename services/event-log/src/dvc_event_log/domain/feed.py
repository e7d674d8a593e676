"""The feed's cursor and what a page says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
