"""The Q&A section through its HTTP API on a real PostgreSQL: asking with VNeID, the agency's work,
the public listing and search, deadlines and their events."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from qa_support import GOOD_BODY, PROCEDURE, TAI_CHINH, TU_PHAP, XAY_DUNG, KeyRing, Qa

from dvc_common.lease import Lease
from dvc_qa import repository
from dvc_qa.domain.questions import REFERENCE_NOTICE
from dvc_qa.domain.text import ID_MASK, PHONE_MASK
from dvc_qa.service.deadlines import DeadlineScheduler

ANSWER = (
    "Hồ sơ gồm đơn đề nghị cấp giấy phép xây dựng theo mẫu, bản sao giấy tờ chứng minh quyền sử dụng đất "
    "và hai bộ bản vẽ thiết kế; nộp tại Trung tâm Phục vụ hành chính công tỉnh hoặc trực tuyến."
)


def officer_url(question_id: str, action: str) -> str:
    return f"/api/v1/officer/questions/{question_id}/{action}"


async def test_a_citizen_asks_and_the_focal_officer_answers_publicly(api: Qa, ring: KeyRing) -> None:
    response = await api.ask(
        ring,
        procedure_code=PROCEDURE,
        body=GOOD_BODY + " Điện thoại của tôi 0912345678, căn cước 011190000123.",
        email="pang.lo@example.vn",
        phone="0912345678",
    )
    assert response.status_code == 201, response.text
    asked = response.json()
    assert asked["status"] == "pending" and asked["status_name"] == "Chờ trả lời"
    assert "0912345678" not in asked["body"] and PHONE_MASK in asked["body"] and ID_MASK in asked["body"]
    assert "cộng 2 ngày làm việc" in asked["deadline_explanation"]
    question_id = asked["id"]

    # Not public until answered.
    assert (await api.http.get(f"/api/v1/questions/{question_id}")).status_code == 404
    answered = await api.http.post(
        officer_url(question_id, "answer"), json={"text": ANSWER}, headers=ring.officer()
    )
    assert answered.status_code == 200, answered.text

    public = (await api.http.get(f"/api/v1/questions/{question_id}")).json()
    assert public["answer"] == {
        "text": ANSWER,
        "agency_name": "Sở Xây dựng tỉnh Lai Châu",
        "answerer_name": "Trần Thị Hoa",
        "answerer_position": "Chuyên viên Văn phòng Sở",
        "answered_at": public["answer"]["answered_at"],
        "notice": REFERENCE_NOTICE,
    }
    assert "không có giá trị pháp lý" in public["answer"]["notice"]
    assert public["field_name"] == "Hoạt động xây dựng"
    assert "0912345678" not in str(public) and "pang.lo" not in str(public)

    mine = (await api.http.get("/api/v1/my/questions", headers=ring.citizen())).json()
    assert [q["status"] for q in mine] == ["answered"] and mine[0]["answer"]["text"] == ANSWER

    [asked_event] = await api.events("question.asked.v1")
    assert asked_event["exchange"] == "dvc.internal" and asked_event["subject"] == question_id
    assert asked_event["data"]["deadline_rule"] == "qa.simple"
    [answered_event] = await api.events("question.answered.v1")
    assert answered_event["data"]["answerer_name"] == "Trần Thị Hoa" and answered_event["data"]["on_time"]
    # The asker's contact details travel only on the internal exchange.
    [contact] = await api.events("question.contact_registered.v1")
    assert contact["exchange"] == "dvc.internal" and contact["data"]["phone"] == "0912345678"
    public_events = [*await api.events("question.asked.v1"), *await api.events("question.answered.v1")]
    assert "0912345678" not in str(public_events) and "Lò Văn Pành" not in str(public_events)


async def test_rules_are_checked_at_submission_with_reasons(api: Qa, ring: KeyRing) -> None:
    unaccented = await api.ask(
        ring,
        title="Ho so cap giay phep xay dung",
        body="Toi muon hoi ho so cap giay phep xay dung nha o rieng le gom nhung gi va nop o dau",
    )
    assert unaccented.status_code == 422
    problem = unaccented.json()
    assert problem["type"].endswith("/question-rejected")
    assert {v["code"] for v in problem["violations"]} == {"no_diacritics"}
    assert "tiếng Việt có dấu" in problem["detail"]

    abbreviated = await api.ask(
        ring, body="Tôi muốn hỏi UBND phường có nhận hồ sơ cấp giấy phép xây dựng k, hay phải lên Sở?"
    )
    assert [v["code"] for v in abbreviated.json()["violations"]] == ["abbreviation"]

    nowhere = await api.ask(ring, agency_id="000.99.99.H56")
    assert [v["code"] for v in nowhere.json()["violations"]] == ["unknown_agency"]
    await api.agency(TAI_CHINH, "Sở Tài chính tỉnh Lai Châu", active=False)
    assert [v["code"] for v in (await api.ask(ring, agency_id=TAI_CHINH)).json()["violations"]] == [
        "unknown_agency"
    ]

    vague = await api.ask(ring, title="Cho tôi hỏi", body="Cho tôi hỏi với ạ")
    assert [v["code"] for v in vague.json()["violations"]] == ["too_vague"]

    unknown_procedure = await api.ask(ring, procedure_code="9.999999.000.00.00.H56")
    assert [v["code"] for v in unknown_procedure.json()["violations"]] == ["unknown_procedure"]

    # Only a VNeID citizen or organisation may ask; officers and anonymous callers may not.
    assert (await api.ask(ring, headers={})).status_code == 401
    assert (await api.ask(ring, headers=ring.officer())).status_code == 403
    assert (await api.ask(ring, headers=ring.organisation())).status_code == 201
    assert await api.sql("SELECT count(*) AS n FROM qa_question") == [{"n": 1}]


async def test_forward_draft_and_publish_keeps_the_draft_private(api: Qa, ring: KeyRing) -> None:
    question_id = await api.asked(ring)
    focal = ring.officer()
    drafter = ring.officer(
        "processing_officer",
        agency=XAY_DUNG,
        name="Lò Văn Dũng",
        position="Chuyên viên Phòng Quản lý xây dựng",
    )

    # A department officer cannot answer directly, nor draft before the question is forwarded.
    assert (
        await api.http.post(officer_url(question_id, "answer"), json={"text": ANSWER}, headers=drafter)
    ).status_code == 403
    assert (
        await api.http.post(officer_url(question_id, "draft"), json={"text": ANSWER}, headers=drafter)
    ).status_code == 409

    forwarded = await api.http.post(
        officer_url(question_id, "forward"), json={"department": "Phòng Quản lý xây dựng"}, headers=focal
    )
    assert forwarded.status_code == 200 and forwarded.json()["status"] == "forwarded"
    drafted = await api.http.post(officer_url(question_id, "draft"), json={"text": ANSWER}, headers=drafter)
    assert drafted.status_code == 200 and drafted.json()["status"] == "drafted"

    # The draft is never public: not by id, not in the listing, not in search.
    assert (await api.http.get(f"/api/v1/questions/{question_id}")).status_code == 404
    assert (await api.http.get("/api/v1/questions")).json()["items"] == []
    assert (await api.http.get("/api/v1/questions", params={"q": "ban ve thiet ke"})).json()["items"] == []
    mine = (await api.http.get("/api/v1/my/questions", headers=ring.citizen())).json()
    assert mine[0]["answer"] is None and "draft" not in mine[0]
    internal = (await api.http.get(f"/api/v1/officer/questions/{question_id}", headers=focal)).json()
    assert internal["draft"] == ANSWER and internal["department"] == "Phòng Quản lý xây dựng"

    # Only the focal officer publishes; the drafter is shown as the person who answered.
    assert (
        await api.http.post(officer_url(question_id, "publish"), json={}, headers=drafter)
    ).status_code == 403
    published = await api.http.post(
        officer_url(question_id, "publish"), json={"expected_version": internal["version"]}, headers=focal
    )
    assert published.status_code == 200, published.text
    public = (await api.http.get(f"/api/v1/questions/{question_id}")).json()
    assert public["answer"]["answerer_name"] == "Lò Văn Dũng"
    assert public["answer"]["answerer_position"] == "Chuyên viên Phòng Quản lý xây dựng"
    assert public["answer"]["agency_name"] == "Sở Xây dựng tỉnh Lai Châu"
    # Publishing twice is a conflict, not a second answer.
    again = await api.http.post(officer_url(question_id, "publish"), json={}, headers=focal)
    assert again.status_code == 409
    assert len(await api.events("question.answered.v1")) == 1


async def test_decline_states_the_reason(api: Qa, ring: KeyRing) -> None:
    question_id = await api.asked(ring)
    focal = ring.officer()
    assert (
        await api.http.post(officer_url(question_id, "decline"), json={"reason": "Không"}, headers=focal)
    ).status_code == 422
    reason = "Câu hỏi không thuộc phạm vi thủ tục hành chính do Sở Xây dựng giải quyết (Điều 23 khoản 4)."
    declined = await api.http.post(
        officer_url(question_id, "decline"), json={"reason": reason}, headers=focal
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    mine = (await api.http.get("/api/v1/my/questions", headers=ring.citizen())).json()
    assert mine[0]["decline_reason"] == reason and mine[0]["status_name"] == "Không trả lời (nêu rõ lý do)"
    [event] = await api.events("question.declined.v1")
    assert event["data"]["reason"] == reason
    # A reason quoting the asker's numbers is masked before it is stored or published.
    other = await api.asked(ring)
    quoting = "Câu hỏi nêu số điện thoại 0912345678 và không thuộc phạm vi thủ tục hành chính của Sở."
    masked = await api.http.post(officer_url(other, "decline"), json={"reason": quoting}, headers=focal)
    assert (
        "0912345678" not in masked.json()["decline_reason"] and PHONE_MASK in masked.json()["decline_reason"]
    )
    assert "0912345678" not in str(await api.events("question.declined.v1"))
    assert (await api.http.get(f"/api/v1/questions/{question_id}")).status_code == 404
    late = await api.http.post(officer_url(question_id, "answer"), json={"text": ANSWER}, headers=focal)
    assert late.status_code == 409


async def test_an_officer_of_another_agency_cannot_answer(api: Qa, ring: KeyRing) -> None:
    question_id = await api.asked(ring)
    other = ring.officer(agency=TU_PHAP)
    for action, body in (
        ("answer", {"text": ANSWER}),
        ("forward", {"department": "Phòng Hành chính tư pháp"}),
        ("decline", {"reason": "Không thuộc phạm vi trả lời của cơ quan"}),
    ):
        response = await api.http.post(officer_url(question_id, action), json=body, headers=other)
        assert response.status_code == 403 and response.json()["type"].endswith("/other-agency")
    assert (await api.http.get(f"/api/v1/officer/questions/{question_id}", headers=other)).status_code == 404
    assert (await api.http.get("/api/v1/officer/questions", headers=other)).json() == []
    citizen = await api.http.post(
        officer_url(question_id, "answer"), json={"text": ANSWER}, headers=ring.citizen()
    )
    assert citizen.status_code == 403
    assert [
        q["id"] for q in (await api.http.get("/api/v1/officer/questions", headers=ring.officer())).json()
    ] == [question_id]


async def test_coordination_gives_five_working_days_and_lets_the_other_agency_contribute(
    api: Qa, ring: KeyRing
) -> None:
    question_id = await api.asked(ring)
    focal = ring.officer()
    before = (await api.http.get(f"/api/v1/officer/questions/{question_id}", headers=focal)).json()
    justice = ring.officer(
        "processing_officer",
        agency=TU_PHAP,
        name="Giàng Thị Mai",
        position="Chuyên viên Phòng Hành chính tư pháp",
    )
    assert (
        await api.http.post(
            officer_url(question_id, "contributions"),
            json={"text": "Ý kiến của Sở Tư pháp về hồ sơ."},
            headers=justice,
        )
    ).status_code == 403

    marked = await api.http.post(
        officer_url(question_id, "coordination"), json={"agency_ids": [TU_PHAP]}, headers=focal
    )
    assert marked.status_code == 200, marked.text
    after = marked.json()
    assert after["needs_coordination"] and after["coordinating_agencies"] == [TU_PHAP]
    assert "cộng 5 ngày làm việc" in after["deadline_explanation"]
    assert datetime.fromisoformat(after["due_at"]) > datetime.fromisoformat(before["due_at"]) + timedelta(
        days=2
    )

    contributed = await api.http.post(
        officer_url(question_id, "contributions"),
        json={"text": "Sở Tư pháp thống nhất: giấy tờ chứng minh quyền sử dụng đất được chứng thực bản sao."},
        headers=justice,
    )
    assert contributed.status_code == 201
    assert [q["id"] for q in (await api.http.get("/api/v1/officer/questions", headers=justice)).json()] == [
        question_id
    ]
    # The coordinating agency contributes but does not answer.
    assert (
        await api.http.post(
            officer_url(question_id, "answer"), json={"text": ANSWER}, headers=ring.officer(agency=TU_PHAP)
        )
    ).status_code == 403
    detail = (await api.http.get(f"/api/v1/officer/questions/{question_id}", headers=focal)).json()
    assert detail["contributions"][0]["author_name"] == "Giàng Thị Mai"
    bad = await api.http.post(
        officer_url(question_id, "coordination"), json={"agency_ids": ["000.99.99.H56"]}, headers=focal
    )
    assert bad.status_code == 422


async def test_due_soon_and_overdue_are_announced_once(api: Qa, ring: KeyRing) -> None:
    first = await api.asked(ring)
    second = await api.asked(ring)
    scheduler = api.app.state.scheduler
    [row] = await api.sql("SELECT due_at, due_soon_at FROM qa_question WHERE id = :i", i=first)
    [later] = await api.sql("SELECT due_soon_at FROM qa_question WHERE id = :i", i=second)
    # Asked a moment apart within working hours, the two fall due a moment apart too (outside
    # working hours both wait for the same opening): take the instants from the rows, not the clock.
    assert later["due_soon_at"] >= row["due_soon_at"]

    assert await scheduler.run_once(now=row["due_soon_at"] - timedelta(seconds=1)) == 0
    assert await scheduler.run_once(now=later["due_soon_at"]) == 2
    assert await scheduler.run_once(now=later["due_soon_at"]) == 0
    await api.http.post(officer_url(second, "answer"), json={"text": ANSWER}, headers=ring.officer())
    assert await scheduler.run_once(now=row["due_at"] + timedelta(minutes=1)) == 1
    assert await scheduler.run_once(now=row["due_at"] + timedelta(days=3)) == 0
    assert {e["subject"] for e in await api.events("question.due_soon.v1")} == {first, second}
    assert len(await api.events("question.due_soon.v1")) == 2
    [overdue] = await api.events("question.overdue.v1")
    assert overdue["subject"] == first and overdue["data"]["status"] == "pending"


async def test_search_with_and_without_diacritics_by_agency_field_and_procedure(
    api: Qa, ring: KeyRing
) -> None:
    focal = ring.officer()
    residence = await api.asked(
        ring,
        title="Tách hộ khẩu khi xây nhà mới",
        body="Gia đình tôi xây nhà mới ở phường Tân Phong, muốn tách hộ khẩu thường trú cho con trai thì cần giấy tờ gì?",
    )
    permit = await api.asked(ring, procedure_code=PROCEDURE)
    for question_id in (residence, permit):
        assert (
            await api.http.post(officer_url(question_id, "answer"), json={"text": ANSWER}, headers=focal)
        ).status_code == 200
    justice_q = await api.asked(
        ring,
        agency_id=TU_PHAP,
        title="Trích lục hộ tịch bản sao",
        body="Tôi cần cấp bản sao trích lục khai sinh để bổ sung hồ sơ hộ khẩu thì nộp ở đâu và lệ phí bao nhiêu?",
    )
    await api.http.post(
        officer_url(justice_q, "answer"), json={"text": ANSWER}, headers=ring.officer(agency=TU_PHAP)
    )

    async def ids(**params: str) -> list[str]:
        response = await api.http.get("/api/v1/questions", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert set(await ids(q="ho khau")) == {residence, justice_q}
    assert set(await ids(q="hộ khẩu")) == {residence, justice_q}
    assert set(await ids(q="HỘ KHẨU thường trú")) == {residence}
    assert await ids(q="ho khau", agency_id=XAY_DUNG) == [residence]
    assert await ids(field="Hoạt động xây dựng") == [permit]
    assert await ids(procedure_code=PROCEDURE) == [permit]
    # Answers are searchable too: every answer here speaks of "giấy phép xây dựng".
    assert set(await ids(q="giay phep xay")) == {residence, permit, justice_q}
    assert await ids(q="khong co tu nay") == []
    # Keyset pagination, newest answer first.
    page = (await api.http.get("/api/v1/questions", params={"limit": 2})).json()
    assert len(page["items"]) == 2 and page["notice"] == REFERENCE_NOTICE
    rest = (
        await api.http.get("/api/v1/questions", params={"limit": 2, "cursor": page["next_cursor"]})
    ).json()
    assert [i["id"] for i in rest["items"]] == [residence] and rest["next_cursor"] is None


async def test_faq_is_curated_by_the_provincial_operator(api: Qa, ring: KeyRing) -> None:
    operator = ring.officer("provincial_operator", agency="000.00.01.H56")
    entry = {
        "question": "Làm thế nào để nộp hồ sơ trực tuyến?",
        "answer": "Đăng nhập bằng tài khoản VNeID, chọn thủ tục, điền tờ khai và đính kèm giấy tờ theo hướng dẫn.",
        "field_name": "Dịch vụ công trực tuyến",
    }
    assert (await api.http.post("/api/v1/faq", json=entry, headers=ring.officer())).status_code == 403
    created = await api.http.post("/api/v1/faq", json=entry, headers=operator)
    assert created.status_code == 201, created.text
    faq_id = created.json()["id"]
    assert [f["id"] for f in (await api.http.get("/api/v1/faq", params={"q": "truc tuyen"})).json()] == [
        faq_id
    ]
    edited = await api.http.put(f"/api/v1/faq/{faq_id}", json=entry | {"position": 1}, headers=operator)
    assert edited.json()["position"] == 1
    unaccented = await api.http.post(
        "/api/v1/faq", json=entry | {"question": "Lam the nao de nop ho so truc tuyen?"}, headers=operator
    )
    assert unaccented.status_code == 422
    assert (await api.http.delete(f"/api/v1/faq/{faq_id}", headers=operator)).status_code == 204
    assert (await api.http.get("/api/v1/faq")).json() == []


async def test_agencies_come_from_identity_events(api: Qa) -> None:
    agencies = (await api.http.get("/api/v1/agencies")).json()
    assert {a["agency_id"] for a in agencies} == {XAY_DUNG, TU_PHAP, TAI_CHINH}
    # An older event does not overwrite a newer copy.
    await api.agency(XAY_DUNG, "Sở Xây dựng (đổi tên)")
    names = {a["agency_id"]: a["name"] for a in (await api.http.get("/api/v1/agencies")).json()}
    assert names[XAY_DUNG] == "Sở Xây dựng (đổi tên)"


async def test_search_reaches_older_answers_beyond_the_recent_window(
    api: Qa, ring: KeyRing, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search looks at the newest answers first and at older ones through the index: the same results."""
    focal = ring.officer()
    topics = [
        ("Tách hộ khẩu khi xây nhà mới", "hộ khẩu thường trú cho con trai"),
        ("Giấy phép xây dựng nhà ở riêng lẻ", "giấy phép xây dựng nhà ba tầng"),
        ("Chuyển mục đích sử dụng đất vườn", "chuyển mục đích sử dụng đất vườn sang đất ở"),
        ("Tách hộ khẩu cho cháu nội", "hộ khẩu thường trú cho cháu nội"),
        ("Cấp lại giấy phép xây dựng bị mất", "cấp lại giấy phép xây dựng đã bị mất"),
    ]
    ids = []
    for title, about in topics:
        question_id = await api.asked(
            ring, title=title, body=f"Gia đình tôi ở xã Bình Lư muốn hỏi thủ tục {about} thì cần giấy tờ gì?"
        )
        answered = await api.http.post(
            officer_url(question_id, "answer"),
            json={"text": "Đề nghị xem hướng dẫn tại Bộ phận Một cửa."},
            headers=focal,
        )
        assert answered.status_code == 200
        ids.append(question_id)

    async def search(**params: str) -> list[str]:
        found: list[str] = []
        cursor: str | None = None
        while True:
            page = (
                await api.http.get(
                    "/api/v1/questions",
                    params={**params, "limit": "1", **({"cursor": cursor} if cursor else {})},
                )
            ).json()
            found += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                return found

    expected_khau = [ids[3], ids[0]]  # newest answer first
    expected_phep = [ids[4], ids[1]]
    assert await search(q="ho khau") == expected_khau
    monkeypatch.setattr(repository, "RECENT_WINDOW", 1)
    assert await search(q="ho khau") == expected_khau
    assert await search(q="giấy phép") == expected_phep
    assert await search(q="dat vuon") == [ids[2]]
    assert await search(q="khong co") == []


@pytest.mark.parametrize(
    ("asked", "due", "coordinated_due"),
    [
        # Friday before Giỗ Tổ Hùng Vương (Sunday 26/4, Monday 27/4 nghỉ bù) and the weekend.
        ("2026-04-24T09:00:00+07:00", "2026-04-29T09:00:00+07:00", "2026-05-06T09:00:00+07:00"),
        # Wednesday before 30/4 and 1/5, then the weekend.
        ("2026-04-29T09:00:00+07:00", "2026-05-05T09:00:00+07:00", "2026-05-08T09:00:00+07:00"),
        # Saturday: counted from Monday 07:00.
        ("2026-03-07T10:00:00+07:00", "2026-03-10T17:00:00+07:00", "2026-03-13T17:00:00+07:00"),
    ],
)
async def test_deadlines_across_weekends_and_holidays(
    api: Qa, ring: KeyRing, asked: str, due: str, coordinated_due: str
) -> None:
    ctx = api.app.state.qa
    api.app.state.qa = dataclasses.replace(ctx, now=lambda: datetime.fromisoformat(asked))
    response = await api.ask(ring)
    assert response.status_code == 201
    question = response.json()
    assert datetime.fromisoformat(question["due_at"]) == datetime.fromisoformat(due)
    marked = await api.http.post(
        officer_url(question["id"], "coordination"), json={"agency_ids": [TU_PHAP]}, headers=ring.officer()
    )
    assert datetime.fromisoformat(marked.json()["due_at"]) == datetime.fromisoformat(coordinated_due)
    [event] = await api.events("question.asked.v1")
    assert datetime.fromisoformat(event["data"]["due_at"]) == datetime.fromisoformat(due)


async def test_only_the_replica_holding_the_lease_announces_deadlines(api: Qa, ring: KeyRing) -> None:
    question_id = await api.asked(ring)
    [row] = await api.sql("SELECT due_at FROM qa_question WHERE id = :i", i=question_id)
    mine = api.app.state.scheduler
    other = DeadlineScheduler(
        api.runtime.transaction,
        api.app.state.qa,
        Lease(
            api.runtime.transaction, table="qa_lease", name="qa.deadlines", ttl_seconds=60, holder="replica-2"
        ),
        interval_seconds=1,
        batch_size=10,
    )
    later = row["due_at"] + timedelta(minutes=1)
    assert await mine.run_once(now=later) == 2  # due soon, then overdue
    await api.asked(ring)
    # The lease is held by the first replica: the second one does nothing, even with work waiting.
    assert await other.run_once(now=later) == 0
    assert len(await api.events("question.overdue.v1")) == 1
    assert await mine.run_once(now=later) == 2
    assert len(await api.events("question.overdue.v1")) == 2


async def test_the_provincial_office_oversees_every_agencys_open_and_overdue_questions(
    api: Qa, ring: KeyRing
) -> None:
    construction = await api.asked(ring)
    justice = await api.asked(ring, agency_id=TU_PHAP)
    operator = ring.officer("provincial_operator", agency="000.00.01.H56")
    everyone = await api.http.get(
        "/api/v1/officer/questions", params={"all_agencies": "true"}, headers=operator
    )
    assert {q["id"] for q in everyone.json()} == {construction, justice}
    refused = await api.http.get(
        "/api/v1/officer/questions", params={"all_agencies": "true"}, headers=ring.officer()
    )
    assert refused.status_code == 403
    overdue = await api.http.get(
        "/api/v1/officer/questions", params={"all_agencies": "true", "overdue": "true"}, headers=operator
    )
    assert overdue.json() == []  # just asked: two working days to go
    await api.execute("UPDATE qa_question SET due_at = now() - interval '1 hour' WHERE id = :i", i=justice)
    overdue = await api.http.get(
        "/api/v1/officer/questions", params={"all_agencies": "true", "overdue": "true"}, headers=operator
    )
    assert [q["id"] for q in overdue.json()] == [justice]
