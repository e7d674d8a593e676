"""Q&A events: questions asked, answered, declined, their deadlines, and the asker's contact (internal)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field

from dvc_common.events.base import INTERNAL, PUBLIC, T0, EventType, Payload


class QuestionAsked(Payload):
    """A question was accepted by the Q&A section (Lai Châu Điều 24–25). No asker data here."""

    question_id: str
    agency_id: str = Field(description="The agency the question is addressed to")
    procedure_code: str | None = None
    field_name: str | None = Field(default=None, description="Lĩnh vực, when the procedure is known")
    asked_at: datetime
    due_at: datetime = Field(description="Answer deadline from the working-time engine")
    deadline_rule: str = Field(description="qa.simple (2 working days) or qa.coordination (5)")


class QuestionAnswered(Payload):
    """An answer was published; it shows the answering agency and the answerer's name and position."""

    question_id: str
    agency_id: str
    agency_name: str
    answerer_name: str
    answerer_position: str
    answered_at: datetime
    on_time: bool
    answer: str | None = Field(
        default=None,
        description="The published answer as everyone reads it (personal data masked), for the asker's letter",
    )


class QuestionDeclined(Payload):
    """The agency will not answer (the question breaks the rules); the reason is stated."""

    question_id: str
    agency_id: str
    reason: str
    declined_at: datetime


class QuestionDeadline(Payload):
    """A question still unanswered is close to (due_soon) or past (overdue) its deadline."""

    question_id: str
    agency_id: str
    status: Literal["pending", "forwarded", "drafted"]
    due_at: datetime


class QuestionContactRegistered(Payload):
    """Internal: how to reach the asker of a question (personal data; for notify only). Sent for every
    question; neither e-mail nor phone when the asker gave no contact (notify records there is nobody
    to tell instead of waiting for a contact that never comes)."""

    question_id: str
    asker_name: str
    email: EmailStr | None = None
    phone: str | None = None


_QUESTION_ID = "7b1e4c2a-9d3f-4a6b-8c5e-1f2a3b4c5d6e"


_DUE = datetime.fromisoformat("2026-02-25T08:15:00+07:00")


QUESTION_ASKED = EventType(
    "question",
    "asked",
    1,
    QuestionAsked,
    PUBLIC,
    "A citizen or organisation asked a question of an agency in the Q&A section (deadline included).",
    QuestionAsked(
        question_id=_QUESTION_ID,
        agency_id="000.00.14.H56",
        procedure_code="1.003560.000.00.00.H56",
        field_name="Hoạt động xây dựng",
        asked_at=T0,
        due_at=_DUE,
        deadline_rule="qa.simple",
    ),
    producer="qa",
)


QUESTION_ANSWERED = EventType(
    "question",
    "answered",
    1,
    QuestionAnswered,
    PUBLIC,
    "A question's answer was published (public, for reference only, no legal force).",
    QuestionAnswered(
        question_id=_QUESTION_ID,
        agency_id="000.00.14.H56",
        agency_name="Sở Xây dựng tỉnh Lai Châu",
        answerer_name="Trần Thị Hoa",
        answerer_position="Chuyên viên Văn phòng Sở",
        answered_at=_DUE,
        on_time=True,
        answer="Hồ sơ gồm đơn đề nghị cấp giấy phép xây dựng và bản vẽ thiết kế; nộp tại Trung tâm Phục vụ "
        "hành chính công tỉnh hoặc trực tuyến.",
    ),
    producer="qa",
)


QUESTION_DECLINED = EventType(
    "question",
    "declined",
    1,
    QuestionDeclined,
    PUBLIC,
    "The agency declined a question that breaks the rules of the Q&A section, stating the reason.",
    QuestionDeclined(
        question_id=_QUESTION_ID,
        agency_id="000.00.14.H56",
        reason="Câu hỏi không thuộc phạm vi thủ tục hành chính của Sở Xây dựng.",
        declined_at=_DUE,
    ),
    producer="qa",
)


QUESTION_DUE_SOON = EventType(
    "question",
    "due_soon",
    1,
    QuestionDeadline,
    PUBLIC,
    "A question's answer deadline is less than half a working day away.",
    QuestionDeadline(question_id=_QUESTION_ID, agency_id="000.00.14.H56", status="pending", due_at=_DUE),
    producer="qa",
)


QUESTION_OVERDUE = EventType(
    "question",
    "overdue",
    1,
    QuestionDeadline,
    PUBLIC,
    "A question was not answered or declined by its deadline.",
    QuestionDeadline(question_id=_QUESTION_ID, agency_id="000.00.14.H56", status="forwarded", due_at=_DUE),
    producer="qa",
)


QUESTION_CONTACT_REGISTERED = EventType(
    "question",
    "contact_registered",
    1,
    QuestionContactRegistered,
    INTERNAL,
    "Internal: the asker's name and contact details for a question (personal data).",
    QuestionContactRegistered(
        question_id=_QUESTION_ID, asker_name="Nguyễn Văn An", email="an.nguyen@example.vn", phone="0912345678"
    ),
    producer="qa",
)
