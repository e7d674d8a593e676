"""The agency's work on a question: who may do what in which state; forward, draft, coordinate, contribute."""

from __future__ import annotations

from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal, Role
from dvc_qa.domain.deadlines import answer_deadline
from dvc_qa.domain.questions import Action, Actor, Status, next_status, refusal
from dvc_qa.domain.rules import language_violations
from dvc_qa.domain.text import normalise
from dvc_qa.errors import (
    answerer_unknown,
    coordinating_agencies_invalid,
    every_agency_forbidden,
    question_not_found,
    refused,
    rejected,
    text_required,
    version_mismatch,
)
from dvc_qa.models import Contribution, Question
from dvc_qa.repository import QaRepository
from dvc_qa.service.context import QaContext, now_utc

# What an agency's inbox shows unless asked otherwise: the questions still waiting for it.
INBOX_STATUSES = (Status.PENDING, Status.FORWARDED, Status.DRAFTED)


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.agency_id, principal.has_any_role(Role.QA_FOCAL_OFFICER))


async def take(
    session: AsyncSession, question_id: UUID, officer: Principal, action: Action, expected_version: int | None
) -> Question:
    """The question locked for this change, after checking who may do what in which state."""
    question = await QaRepository(session).question(question_id, lock=True)
    if question is None:
        raise question_not_found(question_id)
    why = refusal(
        action,
        Status(question.status),
        actor_of(officer),
        question_agency=question.agency_id,
        coordinating=frozenset(question.coordinating_agencies),
    )
    if why is not None:
        raise refused(why, question.status)
    if expected_version is not None and expected_version != question.version:
        raise version_mismatch(question.version)
    if action is not Action.CONTRIBUTE:  # a contribution does not change the question itself
        question.status = next_status(action, Status(question.status)).value
        question.version += 1
    return question


def officer_text(text: str, field: str, *, min_chars: int = 1) -> str:
    value = normalise(text)
    if len(value) < min_chars:
        raise text_required(field, min_chars)
    violations = language_violations(value, field)
    if violations:
        raise rejected(violations)
    return value


def officer_identity(officer: Principal) -> tuple[str, str]:
    if not officer.name or not officer.position:
        raise answerer_unknown()
    return officer.name, officer.position


async def inbox(
    session: AsyncSession,
    officer: Principal,
    statuses: list[Status] | None,
    *,
    overdue: bool,
    all_agencies: bool,
    limit: int,
) -> list[Question]:
    """Questions sent to the officer's agency or on which it coordinates, soonest deadline first;
    every agency's for the provincial office and inspectors."""
    if all_agencies and not officer.has_any_role(Role.PROVINCIAL_OPERATOR, Role.AUDITOR):
        raise every_agency_forbidden()
    agency = None if all_agencies else officer.agency_id or ""
    return await QaRepository(session).inbox(
        agency,
        tuple(s.value for s in (statuses or INBOX_STATUSES)),
        limit,
        overdue_at=now_utc() if overdue else None,
    )


async def question_for_officer(
    session: AsyncSession, officer: Principal, question_id: UUID
) -> tuple[Question, list[Contribution]]:
    """The question with the coordinating agencies' contributions, for its agency and those agencies."""
    repo = QaRepository(session)
    question = await repo.question(question_id)
    if question is None or (
        officer.agency_id != question.agency_id and officer.agency_id not in question.coordinating_agencies
    ):
        raise question_not_found(question_id)
    return question, await repo.contributions(question_id)


async def forward(
    session: AsyncSession,
    officer: Principal,
    question_id: UUID,
    department: str,
    expected_version: int | None = None,
) -> Question:
    question = await take(session, question_id, officer, Action.FORWARD, expected_version)
    question.department = officer_text(department, "department")
    question.forwarded_at = now_utc()
    return question


async def draft(
    session: AsyncSession,
    officer: Principal,
    question_id: UUID,
    text: str,
    expected_version: int | None = None,
) -> Question:
    """A department officer of the agency drafts the answer; it stays internal until published."""
    question = await take(session, question_id, officer, Action.DRAFT, expected_version)
    question.draft = officer_text(text, "answer")
    question.drafted_by_name, question.drafted_by_position = officer_identity(officer)
    return question


async def coordinate(
    session: AsyncSession,
    ctx: QaContext,
    officer: Principal,
    question_id: UUID,
    agency_ids: list[str],
    expected_version: int | None = None,
) -> Question:
    """Mark the question as needing other agencies: they may contribute, the deadline becomes 5 working days."""
    question = await take(session, question_id, officer, Action.COORDINATE, expected_version)
    repo = QaRepository(session)
    others = sorted({a for a in agency_ids if a != question.agency_id})
    unknown = [a for a in others if (agency := await repo.agency(a)) is None or not agency.active]
    if not others or unknown:
        raise coordinating_agencies_invalid(unknown)
    deadline = answer_deadline(
        ctx.calendar,
        question.asked_at,
        needs_coordination=True,
        due_soon_working_hours=ctx.due_soon_working_hours,
    )
    question.needs_coordination = True
    question.coordinating_agencies = others
    question.due_at, question.due_soon_at = deadline.due.instant, deadline.due_soon_at
    question.deadline = deadline.due.as_record()
    question.due_soon_sent = question.overdue_sent = False
    return question


async def contribute(session: AsyncSession, officer: Principal, question_id: UUID, text: str) -> Contribution:
    question = await take(session, question_id, officer, Action.CONTRIBUTE, None)
    name, position = officer_identity(officer)
    contribution = Contribution(
        question_id=question.id,
        agency_id=officer.agency_id or "",
        author_name=name,
        author_position=position,
        text=officer_text(text, "text"),
        created_at=now_utc(),
    )
    repo = QaRepository(session)
    repo.add(contribution)
    await repo.flush()
    return contribution
