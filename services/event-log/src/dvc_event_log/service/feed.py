"""The "changes since" feed: public events in recorded order after a cursor, filtered."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_event_log.domain.feed import SERVED_TYPES, FeedPage, public_envelope
from dvc_event_log.repository import EventLogRepository


class CursorExpired(Exception):
    """The cursor points before the oldest event kept: events after it were purged."""

    def __init__(self, purged_through: int) -> None:
        super().__init__(purged_through)
        self.purged_through = purged_through


async def read_page(
    session: AsyncSession, *, after: int, types: Sequence[str], subject: str | None, limit: int
) -> FeedPage:
    repo = EventLogRepository(session)
    purged = await repo.purged_through()
    if 0 < after < purged:
        raise CursorExpired(purged)
    # The end of the feed first: ids follow commit order, so every event up to it is visible now.
    head = await repo.last_id()
    rows = await repo.page(after, head, types or SERVED_TYPES, subject, limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    # Without more, the cursor moves to the end, so a filtered reader does not scan unrelated events again.
    following = (rows[-1].id or after) if has_more else max(head, after)
    events = [public_envelope(row.envelope) for row in rows]
    return FeedPage(events=events, next=following, has_more=has_more)
