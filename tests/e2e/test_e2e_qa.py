"""The Q&A section in the whole stack: agencies reach qa as identity's events, a citizen logged in
through VNeID (sandbox) asks, a focal officer created in identity answers, anyone finds the answer
by searching without diacritics, and the events leave qa's outbox."""

from __future__ import annotations

from typing import Any

import httpx
from test_journey_notify import Accounts

from dvc_devkit.devstack import Stack
from e2e_support import db_scalar, eventually

AGENCY = "000.00.14.H56"  # Sở Xây dựng tỉnh Lai Châu


def test_citizen_asks_focal_officer_answers_anyone_finds_it(stack: Stack) -> None:
    qa = httpx.Client(base_url=stack.url("qa"), timeout=30)

    def agency_known() -> bool:
        return AGENCY in {a["agency_id"] for a in qa.get("/api/v1/agencies").json()}

    eventually(agency_known, timeout=60, what="qa's copy of identity's agencies")

    # The provincial operator issues the agency's administrator, who issues its focal officer; each
    # temporary password reaches its holder by mail (Accounts reads it there).
    accounts = Accounts(stack)
    focal = accounts.officer(
        AGENCY, ["qa_focal_officer"], "Lò Thị Hương", position="Chuyên viên Văn phòng Sở"
    )
    citizen = accounts.citizen("011300009876")

    question: dict[str, Any] = {
        "agency_id": AGENCY,
        "title": "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ",
        "body": "Gia đình tôi ở phường Tân Phong muốn xây nhà hai tầng; xin hỏi hồ sơ cấp giấy phép xây dựng "
        "gồm những giấy tờ gì và nộp ở đâu? Số điện thoại của tôi 0912345678.",
    }
    unaccented = qa.post(
        "/api/v1/questions",
        headers=citizen,
        json=question | {"body": "Xin hoi ho so cap giay phep xay dung gom nhung giay to gi va nop o dau"},
    )
    assert unaccented.status_code == 422
    assert unaccented.json()["violations"][0]["code"] == "no_diacritics"
    asked = qa.post("/api/v1/questions", headers=citizen, json=question)
    assert asked.status_code == 201, asked.text
    question_id = asked.json()["id"]
    assert "0912345678" not in asked.json()["body"]

    answer = (
        "Hồ sơ gồm đơn đề nghị cấp giấy phép xây dựng, bản sao giấy tờ về quyền sử dụng đất và bản vẽ "
        "thiết kế; nộp tại Trung tâm Phục vụ hành chính công tỉnh hoặc trực tuyến."
    )
    answered = qa.post(
        f"/api/v1/officer/questions/{question_id}/answer", headers=focal.headers, json={"text": answer}
    )
    assert answered.status_code == 200, answered.text

    found = qa.get("/api/v1/questions", params={"q": "giay phep xay dung tan phong"}).json()["items"]
    # Other tests of the stack ask of Sở Xây dựng too: this question is among those found.
    (shown,) = [item["answer"] for item in found if item["id"] == question_id]
    assert (shown["agency_name"], shown["answerer_name"], shown["answerer_position"]) == (
        "Sở Xây dựng tỉnh Lai Châu",
        "Lò Thị Hương",
        "Chuyên viên Văn phòng Sở",
    )
    assert "không có giá trị pháp lý" in shown["notice"]

    def published() -> bool:
        sent = db_scalar(
            stack,
            "qa",
            "SELECT count(*) FROM outbox_message WHERE routing_key IN ('question.asked.v1', 'question.answered.v1')"
            " AND sent_at IS NOT NULL AND subject = $1",
            question_id,
        )
        return bool(sent == 2)

    eventually(published, timeout=30, what="question events published")
    qa.close()
