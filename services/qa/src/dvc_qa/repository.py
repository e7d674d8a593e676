"""All of Q&A's SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_qa.domain.questions import OPEN
from dvc_qa.models import Agency, Contribution, Faq, Procedure, Question

RECENT_WINDOW = 2000


@dataclass(frozen=True)
class PublicRow:
    """An answered question as the public listing reads it."""

    id: UUID
    title: str
    body: str
    agency_id: str
    field_name: str | None
    procedure_code: str | None
    status: str
    asked_at: datetime
    answer: str | None
    answer_agency_name: str | None
    answerer_name: str | None
    answerer_position: str | None
    answered_at: datetime | None


# What the public sees of an answered question (never the draft, the asker or the folded text).
_PUBLIC_COLUMNS = (
    "id, title, body, agency_id, field_name, procedure_code, status, asked_at, answer,"
    " answer_agency_name, answerer_name, answerer_position, answered_at"
)


@dataclass(frozen=True)
class SearchFilter:
    words: tuple[str, ...] = ()  # folded words; every one must match (the last as a prefix)
    agency_id: str | None = None
    field_name: str | None = None
    procedure_code: str | None = None


def tsquery(words: tuple[str, ...]) -> str:
    """A tsquery over folded words (letters and digits only, so nothing needs quoting)."""
    parts = [w for w in words if w.isalnum()]
    if not parts:
        return ""
    return " & ".join([*parts[:-1], parts[-1] + ":*"])


class QaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---------------------------------------------------------------- local copies

    async def upsert_agency(self, agency: Agency) -> None:
        values = agency.model_dump()
        statement = insert(Agency).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[col(Agency.agency_id)],
                set_={k: statement.excluded[k] for k in values if k != "agency_id"},
                where=col(Agency.updated_at) <= statement.excluded.updated_at,
            )
        )

    async def agency(self, agency_id: str) -> Agency | None:
        return await self.session.get(Agency, agency_id)

    async def agencies(self) -> list[Agency]:
        rows = await self.session.exec(
            select(Agency).where(col(Agency.active)).order_by(col(Agency.agency_id))
        )
        return list(rows)

    async def upsert_procedure(self, procedure: Procedure) -> None:
        await self.session.merge(procedure)

    async def procedure(self, code: str) -> Procedure | None:
        return await self.session.get(Procedure, code)

    # ---------------------------------------------------------------- questions

    def add(self, row: Question | Contribution | Faq) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def question(self, question_id: UUID, *, lock: bool = False) -> Question | None:
        statement = select(Question).where(col(Question.id) == question_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.exec(statement)).first()

    async def contributions(self, question_id: UUID) -> list[Contribution]:
        rows = await self.session.exec(
            select(Contribution)
            .where(col(Contribution.question_id) == question_id)
            .order_by(col(Contribution.id))
        )
        return list(rows)

    async def inbox(
        self,
        agency_id: str | None,
        statuses: tuple[str, ...],
        limit: int,
        *,
        overdue_at: datetime | None = None,
    ) -> list[Question]:
        """Questions addressed to an agency or on which it coordinates (every agency's when None),
        soonest deadline first; only those past their deadline at `overdue_at` when given."""
        statement = select(Question).where(col(Question.status).in_(statuses))
        if agency_id is not None:
            statement = statement.where(
                (col(Question.agency_id) == agency_id)
                | col(Question.coordinating_agencies).contains([agency_id])
            )
        if overdue_at is not None:
            statement = statement.where(col(Question.due_at) < overdue_at)
        rows = await self.session.exec(statement.order_by(col(Question.due_at)).limit(limit))
        return list(rows)

    async def asked_by(self, subject: str, limit: int) -> list[Question]:
        rows = await self.session.exec(
            select(Question)
            .where(col(Question.asker_subject) == subject)
            .order_by(col(Question.asked_at).desc())
            .limit(limit)
        )
        return list(rows)

    async def search(
        self, where: SearchFilter, *, limit: int, after: tuple[datetime, UUID] | None = None
    ) -> list[PublicRow]:
        """Answered questions only, newest answer first, keyset-paginated.

        Words match through the GIN index on the folded text. Common words match many thousands of
        questions, and sorting all of them by date is what makes a search slow; so the newest
        `RECENT_WINDOW` answers are searched first (an index scan by date, cheap), and only when they
        do not fill the page are the older ones searched through the GIN index (then the words are
        rare, so the matches are few).
        """
        query = tsquery(where.words)
        if not query:
            return await self._page(where, limit=limit, after=after)
        recent = await self._page(where, limit=limit, after=after, words=query, window=RECENT_WINDOW)
        if len(recent) >= limit:
            return recent
        boundary = await self._window_end(where, after, RECENT_WINDOW)
        if boundary is None:  # the window held every answered question: nothing older to search
            return recent
        older = await self._page(
            where, limit=limit - len(recent), after=boundary, words=query, inclusive=True
        )
        return recent + older

    @staticmethod
    def _conditions(
        where: SearchFilter, after: tuple[datetime, UUID] | None, inclusive: bool
    ) -> tuple[str, dict[str, Any]]:
        sql = ["status = 'answered'"]
        params: dict[str, Any] = {}
        if where.agency_id:
            sql.append("agency_id = :agency_id")
            params["agency_id"] = where.agency_id
        if where.field_name:
            sql.append("field_name = :field_name")
            params["field_name"] = where.field_name
        if where.procedure_code:
            sql.append("procedure_code = :procedure_code")
            params["procedure_code"] = where.procedure_code
        if after is not None:
            sql.append(f"(answered_at, id) {'<=' if inclusive else '<'} (:after_at, :after_id)")
            params |= {"after_at": after[0], "after_id": after[1]}
        return " AND ".join(sql), params

    async def _page(
        self,
        where: SearchFilter,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None,
        words: str = "",
        window: int | None = None,
        inclusive: bool = False,
    ) -> list[PublicRow]:
        # Plain SQL: this is the hot public path, and building ORM statements per request cost more
        # than running them. The folded text and its vector never leave the database.
        conditions, params = self._conditions(where, after, inclusive)
        columns = _PUBLIC_COLUMNS
        match = "search_vector @@ to_tsquery('simple', :q)"
        if window is not None:
            # The newest `window` answers (an index scan by date), then the words among them.
            sql = (
                f"SELECT {columns} FROM (SELECT {columns}, search_vector FROM qa_question WHERE {conditions}"
                " ORDER BY answered_at DESC, id DESC LIMIT :window) AS recent"
                f" WHERE {match} ORDER BY answered_at DESC, id DESC LIMIT :limit"
            )
            params["window"] = window
        else:
            word_filter = f" AND {match}" if words else ""
            sql = (
                f"SELECT {columns} FROM qa_question WHERE {conditions}{word_filter}"
                " ORDER BY answered_at DESC, id DESC LIMIT :limit"
            )
        if words:
            params["q"] = words
        params["limit"] = limit
        result = await self.session.execute(text(sql), params)
        return [PublicRow(**row) for row in result.mappings()]

    async def _window_end(
        self, where: SearchFilter, after: tuple[datetime, UUID] | None, window: int
    ) -> tuple[datetime, UUID] | None:
        """Key of the oldest answer in the window: older answers sort after it."""
        conditions, params = self._conditions(where, after, False)
        row = (
            await self.session.execute(
                text(
                    f"SELECT answered_at, id FROM qa_question WHERE {conditions}"
                    " ORDER BY answered_at DESC, id DESC OFFSET :window LIMIT 1"
                ),
                params | {"window": window},
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def deadline_due(self, now: datetime, *, overdue: bool, limit: int) -> list[Question]:
        """Open questions whose due-soon (or overdue) instant has passed and was not yet announced."""
        instant = col(Question.due_at) if overdue else col(Question.due_soon_at)
        sent = col(Question.overdue_sent) if overdue else col(Question.due_soon_sent)
        rows = await self.session.exec(
            select(Question)
            .where(col(Question.status).in_([s.value for s in OPEN]))
            .where(instant <= now)
            .where(sent.is_(False))
            .order_by(instant)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    # ---------------------------------------------------------------- FAQ

    async def faqs(self, words: tuple[str, ...], limit: int) -> list[Faq]:
        statement = select(Faq)
        for word in words:
            statement = statement.where(col(Faq.search_text).contains(word))
        rows = await self.session.exec(statement.order_by(col(Faq.position), col(Faq.id)).limit(limit))
        return list(rows)

    async def faq(self, faq_id: int) -> Faq | None:
        return await self.session.get(Faq, faq_id)

    async def delete_faq(self, faq: Faq) -> None:
        await self.session.delete(faq)
