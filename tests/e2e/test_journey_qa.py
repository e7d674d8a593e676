"""The Q&A journey as the asker sees it: a citizen signed in with VNeID asks, leaving an e-mail and a
phone; the agency's focal officer answers; the answer letter carries the answer itself and its link,
and the phone gets the Zalo message (as the Zalo simulator received it). A question without any
contact is recorded as 'no contact' and nothing goes to the dead letters. Published answers show no
e-mail address or phone number; a NUL in the search's agency is refused, never a 500."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aio_pika
import httpx
import pytest
from test_journey_notify import Accounts, wait_mail

from dvc_devkit.devstack import Stack
from e2e_support import db_scalar, eventually

AGENCY = "000.00.14.H56"  # Sở Xây dựng tỉnh Lai Châu
QUESTION = {
    "agency_id": AGENCY,
    "title": "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ",
    "body": "Gia đình tôi ở phường Tân Phong muốn xây nhà hai tầng; xin hỏi hồ sơ cấp giấy phép xây dựng "
    "gồm những giấy tờ gì và nộp ở đâu?",
}
ANSWER = (
    "Hồ sơ gồm đơn đề nghị cấp giấy phép xây dựng, bản sao giấy tờ về quyền sử dụng đất và bản vẽ thiết kế; "
    "nộp tại Trung tâm Phục vụ hành chính công tỉnh hoặc trực tuyến. Cần hỗ trợ, Ông/Bà liên hệ "
    "chuyên viên qua thư hotro.xaydung@laichau.gov.vn hoặc số 0213 3876 543."
)


@pytest.fixture(scope="module")
def accounts(stack: Stack) -> Accounts:
    return Accounts(stack)


def _dead_letters(stack: Stack, queue: str) -> int:
    async def count() -> int:
        connection = await aio_pika.connect(stack.config.amqp_url)
        async with connection:
            channel = await connection.channel()
            declared = await channel.declare_queue(queue, passive=True)
            return int(declared.declaration_result.message_count or 0)

    return asyncio.run(count())


def _ask(stack: Stack, citizen: dict[str, str], **contact: str) -> str:
    qa = stack.url("qa")
    eventually(
        lambda: AGENCY in {a["agency_id"] for a in httpx.get(f"{qa}/api/v1/agencies", timeout=30).json()},
        timeout=60,
        what="qa's copy of identity's agencies",
    )
    asked = httpx.post(f"{qa}/api/v1/questions", headers=citizen, json=QUESTION | contact, timeout=30)
    assert asked.status_code == 201, asked.text
    question_id: str = asked.json()["id"]
    return question_id


def test_the_answer_reaches_the_asker_by_mail_and_zalo_with_no_contact_shown(
    stack: Stack, accounts: Accounts
) -> None:
    focal = accounts.officer(AGENCY, ["qa_focal_officer"], "Lò Thị Hương")
    citizen = accounts.citizen()
    email, phone = f"hoi.{uuid.uuid4().hex[:6]}@example.vn", f"09{uuid.uuid4().int % 10**8:08d}"
    question_id = _ask(stack, citizen, email=email, phone=phone)

    received = wait_mail(stack, email, "tiếp nhận", what="the letter that the question was received")
    assert "chuyển đến Sở Xây dựng tỉnh Lai Châu" in received["text"], received["text"]
    assert AGENCY not in received["text"]

    answered = httpx.post(
        stack.url("qa") + f"/api/v1/officer/questions/{question_id}/answer",
        headers=focal.headers,
        json={"text": ANSWER},
        timeout=30,
    )
    assert answered.status_code == 200, answered.text

    # Published: no e-mail address or phone number of anyone.
    shown: dict[str, Any] = httpx.get(stack.url("qa") + f"/api/v1/questions/{question_id}", timeout=30).json()
    text = shown["answer"]["text"]
    assert "hotro.xaydung@laichau.gov.vn" not in text and "3876 543" not in text
    assert "[địa chỉ thư điện tử đã được ẩn]" in text and "[số điện thoại đã được ẩn]" in text

    letter = wait_mail(stack, email, "trả lời", what="the answer letter")
    assert letter["subject"] == "Câu hỏi của Ông/Bà đã được Sở Xây dựng tỉnh Lai Châu trả lời"
    body = letter["text"]
    assert "Nội dung trả lời:" in body and "Hồ sơ gồm đơn đề nghị cấp giấy phép xây dựng" in body, body
    assert "hotro.xaydung@laichau.gov.vn" not in body  # the letter says what is published
    assert f"/api/v1/questions/{question_id}" in body
    assert "không có giá trị pháp lý" in body

    zalo = f"84{phone[1:]}"

    def zns() -> list[dict[str, Any]]:
        response = httpx.get(
            stack.url("sandbox") + "/zalo/_control/messages", params={"phone": zalo}, timeout=10
        )
        return [m for m in response.json() if m["template_id"] == "310222"]

    (message,) = eventually(zns, timeout=60, what="the Zalo message about the answer")
    assert message["template_data"]["co_quan"] == "Sở Xây dựng tỉnh Lai Châu"
    assert message["template_data"]["nguoi_tra_loi"] == "Lò Thị Hương, Công chức"


def test_a_question_without_contact_is_recorded_not_dead_lettered(stack: Stack, accounts: Accounts) -> None:
    focal = accounts.officer(AGENCY, ["qa_focal_officer"], "Lò Thị Hương")
    citizen = accounts.citizen()
    question_id = _ask(stack, citizen)
    answered = httpx.post(
        stack.url("qa") + f"/api/v1/officer/questions/{question_id}/answer",
        headers=focal.headers,
        json={"text": ANSWER},
        timeout=30,
    )
    assert answered.status_code == 200, answered.text

    def recorded() -> int:
        return int(
            db_scalar(
                stack,
                "notify",
                "SELECT count(*) FROM notify_delivery WHERE dossier_code = $1 AND status = 'failed'"
                " AND reason = 'no_contact'",
                question_id,
            )
        )

    # Both letters (received, answered) recorded as having nobody to go to.
    eventually(lambda: recorded() == 2, timeout=60, what="the asked and answered letters recorded")
    assert _dead_letters(stack, "notify.questions.dlq") == 0


def test_a_nul_in_the_search_is_a_problem_not_a_crash(stack: Stack) -> None:
    response = httpx.get(stack.url("qa") + "/api/v1/questions?agency_id=a%00b", timeout=30)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]
