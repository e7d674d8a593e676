"""Askers of the Q&A section hear that their question was received, answered or declined."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from notify_support import Notify, delivered, make_event

from dvc_common.events import (
    QUESTION_ANSWERED,
    QUESTION_ASKED,
    QUESTION_CONTACT_REGISTERED,
    QUESTION_DECLINED,
    QuestionAnswered,
    QuestionAsked,
    QuestionContactRegistered,
    QuestionDeclined,
)
from dvc_notify.service.contacts import record_question_contact

AT = datetime(2026, 2, 23, 1, 15, tzinfo=UTC)


async def test_the_asker_is_told_of_receipt_answer_and_decline(notify: Notify) -> None:
    answered_id, declined_id = str(uuid.uuid4()), str(uuid.uuid4())
    for question_id in (answered_id, declined_id):
        contact = QuestionContactRegistered(
            question_id=question_id, asker_name="Quàng Văn Pọm", email="pom@example.vn"
        )
        async with notify.transaction() as session:
            await record_question_contact(
                session,
                *delivered(
                    make_event(QUESTION_CONTACT_REGISTERED, contact, question_id), QuestionContactRegistered
                ),
            )
    asked = QuestionAsked(
        question_id=answered_id,
        agency_id="000.00.12.H56",
        asked_at=AT,
        due_at=datetime(2026, 2, 25, 1, 15, tzinfo=UTC),
        deadline_rule="qa.simple",
    )
    answered = QuestionAnswered(
        question_id=answered_id,
        agency_id="000.00.12.H56",
        agency_name="Sở Tư pháp",
        answerer_name="Lò Thị Hiền",
        answerer_position="Chuyên viên Phòng Hành chính tư pháp",
        answered_at=AT,
        on_time=True,
    )
    declined = QuestionDeclined(
        question_id=declined_id,
        agency_id="000.00.12.H56",
        reason="Câu hỏi không thuộc thẩm quyền của Sở.",
        declined_at=AT,
    )
    for event_type, payload, subject in (
        (QUESTION_ASKED, asked, answered_id),
        (QUESTION_ANSWERED, answered, answered_id),
        (QUESTION_DECLINED, declined, declined_id),
    ):
        await notify.status(subject, 1, event=make_event(event_type, payload, subject))
    await notify.drain()

    mails = {str(m["Subject"]): m for m in notify.smtp.inbox.to("pom@example.vn")}
    assert set(mails) == {
        "Câu hỏi của Ông/Bà đã được tiếp nhận",
        "Câu hỏi của Ông/Bà đã được Sở Tư pháp trả lời",
        "Câu hỏi của Ông/Bà không được trả lời",
    }
    received = mails["Câu hỏi của Ông/Bà đã được tiếp nhận"].get_body(preferencelist=("plain",))
    assert received is not None and "Hạn trả lời: 08 giờ 15 phút ngày 25/02/2026" in received.get_content()
    answer = mails["Câu hỏi của Ông/Bà đã được Sở Tư pháp trả lời"].get_body(preferencelist=("plain",))
    assert answer is not None
    assert "Lò Thị Hiền, Chuyên viên Phòng Hành chính tư pháp" in answer.get_content()
    assert "không có giá trị pháp lý" in answer.get_content()
    decline = mails["Câu hỏi của Ông/Bà không được trả lời"].get_body(preferencelist=("plain",))
    assert decline is not None and "không thuộc thẩm quyền của Sở" in decline.get_content()
