"""No personal data on the public exchange (issue 16): a whole dossier life, driven through the real
stack's HTTP APIs by the real actors, and every message that reached `dvc.events` during it (an
exclusive queue bound with `#` before anything happens) and the event-log's whole feed are scanned
for the applicant's name (with and without diacritics), ID number, phone, e-mail, the names of the
files uploaded, the citizen's identity subject and the officers' names and ids.

The actors: the provincial operator appoints the agency's administrator, who creates the officer
(so officer events flow); the citizen Nguyễn Văn An signs in with VNeID (the sandbox) and submits
online with a scan named after him; the officer receives it and asks for a supplement with a note
naming him; he supplements; the officer receives it again; he pays the fee on the platform's bank
page; the result is made ready and returned.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import subprocess
import sys
import threading
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest
from test_e2e_payments import AGENCY, PASSWORD, PROCEDURE, bearer, configure

from dvc_common.events import BY_TYPE, DOSSIER_RESULT_RETURNED, PUBLIC_EXCHANGE
from dvc_devkit.devstack import Stack
from e2e_support import PDF, eventually, mails_to, vneid_headers

DEV_KEY = {"X-API-Key": "dev-integrator-key"}  # the development integrator key (event-log settings)
ACCOUNT = "012345678901"  # the sandbox's VNeID citizen Nguyễn Văn An
NAME = "Nguyễn Văn An"
ADMIN_NAME = "Lường Văn Khánh"  # the agency's administrator
OFFICER_NAME = "Hoàng Thị Duyên"  # the officer who handles the dossier
PHONE = "0987001122"
EMAIL = f"an.nguyen.{uuid.uuid4().hex[:6]}@example.vn"
LICENCE = "120987654321"  # his driving licence number (the e-form)
FORM = "To_khai_Nguyen_Van_An.pdf"
SCAN = f"CCCD_{ACCOUNT}_Nguyen_Van_An.pdf"
SUPPLEMENT = f"Giay_khai_sinh_{ACCOUNT}_Nguyen_Van_An.pdf"
NOTE = f"Ông {NAME} (CCCD {ACCOUNT}, ĐT {PHONE}) bổ sung giấy khai sinh bản sao"


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d): 'Nguyễn Văn An' and 'Nguyen_Van_An' both → 'nguyen van an'."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.lower().replace("_", " ")


@dataclass
class Tap:
    """An exclusive queue bound to dvc.events with `#`, consumed in a thread of its own from before the
    journey until the end: every message any publisher put on the integrators' exchange meanwhile."""

    amqp_url: str
    messages: list[tuple[str, bytes, dict[str, Any]]] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    failed: list[BaseException] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _stop: asyncio.Event | None = None
    _thread: threading.Thread = field(init=False)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        assert self.ready.wait(30), "the tap on dvc.events did not start"
        assert not self.failed, self.failed

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)

    def _serve(self) -> None:
        try:
            self._loop.run_until_complete(self._run())
        finally:
            self._loop.close()

    async def _run(self) -> None:
        self._stop = asyncio.Event()
        try:
            connection = await aio_pika.connect(self.amqp_url)
            async with connection:
                channel = await connection.channel()
                exchange = await channel.declare_exchange(
                    PUBLIC_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
                )
                queue = await channel.declare_queue(exclusive=True, auto_delete=True)
                await queue.bind(exchange, routing_key="#")

                async def keep(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                    async with message.process():
                        headers = {k: str(v) for k, v in (message.headers or {}).items()}
                        self.messages.append((message.routing_key or "", message.body, headers))

                await queue.consume(keep)
                self.ready.set()
                await self._stop.wait()
        except BaseException as error:  # reported by start() or the test
            self.failed.append(error)
            self.ready.set()


@pytest.fixture
def tap(stack: Stack) -> Iterator[Tap]:
    listening = Tap(stack.config.amqp_url)
    listening.start()
    yield listening
    listening.stop()


def _jwt_subject(headers: dict[str, str]) -> str:
    token = headers["Authorization"].removeprefix("Bearer ")
    claims = token.split(".")[1]
    subject: str = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["sub"]
    return subject


@dataclass
class Officers:
    """The provincial operator appoints the agency's administrator, who opens the officer's account;
    each temporary password comes to the holder's own e-mail (the sandbox's mail sink)."""

    stack: Stack
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    def set_up(self) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        username = f"e2e.pii.vanhanh{self.suffix}"
        temporary = subprocess.run(
            [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", username],
            env=self.stack.env, check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        operator = self._first_login(username, temporary)
        admin = self._open(operator, "qtxd", ADMIN_NAME, ["agency_admin"])
        roles = ["one_stop_officer", "processing_officer", "department_head", "agency_leader"]
        return operator, admin, self._open(admin, "xuly", OFFICER_NAME, roles)

    def email(self, who: str) -> str:
        return f"{who}.{self.suffix}@laichau.gov.vn"

    def _open(self, by: dict[str, str], who: str, name: str, roles: list[str]) -> dict[str, str]:
        username = f"e2e.pii.{who}{self.suffix}"
        body = {
            "username": username,
            "agency_id": AGENCY,
            "full_name": name,
            "position": "Chuyên viên",
            "email": self.email(who),
            "roles": roles,
        }
        created = httpx.post(
            self.stack.url("identity") + "/api/v1/officers", json=body, headers=by, timeout=30
        )
        assert created.status_code == 201, created.text
        listed = eventually(
            lambda: next(iter(mails_to(self.stack, self.email(who))), None), what=f"{name}'s credentials mail"
        )
        mail = httpx.get(self.stack.url("sandbox") + f"/mail/{listed['id']}", timeout=10).json()
        found = re.search(r"Mật khẩu tạm thời: (\S+)", mail["text"])
        assert found, mail
        return self._first_login(username, found.group(1))

    def _first_login(self, username: str, temporary: str) -> dict[str, str]:
        changed = httpx.post(
            self.stack.url("identity") + "/api/v1/auth/password",
            json={"username": username, "current_password": temporary, "new_password": PASSWORD},
            timeout=30,
        )
        assert changed.status_code == 200, changed.text
        return bearer(changed.json())


@dataclass
class Journey:
    stack: Stack
    officer: dict[str, str]
    citizen: dict[str, str]

    def __post_init__(self) -> None:
        self.intake = httpx.Client(base_url=self.stack.url("intake"), timeout=30)
        self.workflow = httpx.Client(base_url=self.stack.url("workflow"), timeout=30)
        self.payments = httpx.Client(base_url=self.stack.url("payments"), timeout=30)

    def submit(self) -> str:
        # The driving licence procedure's e-form and its two components: the form, his ID card's scan.
        eform = {"ho_ten": NAME, "so_gplx": LICENCE, "hang": "B"}
        form = {
            "procedure_code": PROCEDURE,
            "applicant_name": NAME,
            "email": EMAIL,
            "phone": PHONE,
            "eform": eform,
        }

        def submitted() -> httpx.Response | None:
            response = self.intake.post(
                "/api/v1/dossiers",
                data={"dossier": json.dumps(form, ensure_ascii=False)},
                files=[
                    ("files", (FORM, PDF + b"%to-khai", "application/pdf")),
                    ("files", (SCAN, PDF + b"%cccd", "application/pdf")),
                ],
                headers=self.citizen,
            )
            return response if response.status_code == 201 else None

        code: str = eventually(submitted, what="intake knows the procedure").json()["code"]
        eventually(
            lambda: self.workflow.get(f"/api/v1/dossiers/{code}").status_code == 200, what="in workflow"
        )
        return code

    def act(self, code: str, action: str, **body: Any) -> dict[str, Any]:
        response = self.workflow.post(
            f"/api/v1/dossiers/{code}/actions/{action}", json=body or None, headers=self.officer
        )
        assert response.status_code == 200, f"{action}: {response.text}"
        state: dict[str, Any] = response.json()
        return state

    def forward_until(self, code: str, status: int) -> dict[str, Any]:
        state: dict[str, Any] = self.workflow.get(f"/api/v1/dossiers/{code}", headers=self.officer).json()
        for _ in range(8):
            if state["status"] == status:
                return state
            state = self.act(code, "forward")
        assert state["status"] == status, state
        return state

    def supplement(self, code: str) -> None:
        def uploaded() -> bool:
            response = self.intake.post(
                f"/api/v1/dossiers/{code}/supplements",
                files=[("files", (SUPPLEMENT, PDF + b"%khai-sinh", "application/pdf"))],
                headers=self.citizen,
            )
            return response.status_code == 201

        eventually(uploaded, what="intake accepts the supplement (status 5 known)")

        def received_again() -> bool:
            response = self.workflow.post(
                f"/api/v1/dossiers/{code}/actions/resubmit", json=None, headers=self.officer
            )
            return response.status_code == 200

        eventually(received_again, what="the officer receives the supplement")

    def pay(self, code: str) -> None:
        (request,) = eventually(
            lambda: self.payments.get(
                "/api/v1/payments", params={"dossier_code": code}, headers=self.citizen
            ).json(),
            what="payment request",
        )
        started = self.payments.post(f"/api/v1/payments/{request['payment_id']}/start", headers=self.citizen)
        assert started.status_code == 200, started.text
        bank = httpx.get(started.json()["pay_url"], params={"outcome": "success"}, timeout=30)
        verdict = httpx.get(bank.headers["location"], timeout=30).json()["verdict"]
        assert verdict in ("paid", "already_paid"), verdict
        eventually(
            lambda: self.workflow.get(f"/api/v1/dossiers/{code}").json()["status"] != 6,
            what="the dossier moved on after the payment",
        )


def whole_feed(stack: Stack) -> list[dict[str, Any]]:
    events, cursor = [], "0"
    while True:
        page = httpx.get(
            stack.url("event-log") + "/api/v1/events",
            params={"after": cursor, "limit": 500},
            headers=DEV_KEY,
            timeout=30,
        )
        assert page.status_code == 200, page.text
        body = page.json()
        events += body["events"]
        cursor = body["next"]
        if not body["has_more"]:
            return events


def test_no_personal_data_of_a_whole_dossier_life_reaches_integrators(stack: Stack, tap: Tap) -> None:
    staff = Officers(stack)
    operator, admin, officer = staff.set_up()
    citizen = vneid_headers(stack, ACCOUNT)
    subject = httpx.get(stack.url("identity") + "/api/v1/citizen/me", headers=citizen, timeout=30).json()[
        "id"
    ]
    journey = Journey(stack, officer, citizen)
    configure(journey.payments, operator)

    code = journey.submit()
    journey.act(code, "accept")
    journey.forward_until(code, 4)
    asked = journey.act(code, "request_supplement", reason=NOTE, items=[f"Giấy khai sinh của {NAME}"])
    journey.supplement(code)
    journey.forward_until(code, 6)
    journey.pay(code)
    journey.forward_until(code, 9)
    journey.act(code, "return_result", delivery_method="counter")

    # The personal data really went in: the officer sees the note, the citizen their files.
    assert NOTE in json.dumps(asked, ensure_ascii=False)
    files = journey.intake.get(f"/api/v1/dossiers/{code}", headers=citizen).json()["files"]
    assert {FORM, SCAN, SUPPLEMENT} <= {f["name"] for f in files}

    eventually(
        lambda: any(
            key == DOSSIER_RESULT_RETURNED.routing_key and code.encode() in body
            for key, body, _ in tap.messages
        ),
        timeout=60,
        what="the returned result on dvc.events",
    )
    assert not tap.failed, tap.failed
    published = list(tap.messages)
    keys = {key for key, _, _ in published}
    # The life was on dvc.events (so the scan below is not of nothing), and nothing internal.
    assert {
        "dossier.submitted.v1",
        "dossier.supplement_requested.v1",
        "dossier.resubmitted.v1",
        "dossier.status_changed.v1",
        "payment.completed.v1",
        "dossier.result_returned.v1",
    } <= keys, keys
    assert all(BY_TYPE[f"vn.dvc.{key}"].public for key in keys), keys
    assert not [key for key in keys if key.startswith("officer.")], "officer accounts are internal"

    feed = whole_feed(stack)
    assert {e["subject"] for e in feed} >= {code}
    texts = {
        "dvc.events": [
            json.dumps({"key": k, "body": json.loads(b), "headers": h}, ensure_ascii=False)
            for k, b, h in published
        ],
        "the feed": [json.dumps(e, ensure_ascii=False) for e in feed],
    }
    personal = {
        "the applicant's name": NAME,
        "the applicant's ID number": ACCOUNT,
        "the applicant's phone": PHONE,
        "the applicant's e-mail": EMAIL,
        "the applicant's driving licence number": LICENCE,
        "the form's file name": FORM,
        "the scan's file name": SCAN,
        "the supplement's file name": SUPPLEMENT,
        "the citizen's identity subject": subject,
        "the administrator's name": ADMIN_NAME,
        "the officer's name": OFFICER_NAME,
        "the administrator's e-mail": staff.email("qtxd"),
        "the officer's e-mail": staff.email("xuly"),
        "the administrator's id": _jwt_subject(admin),
        "the officer's id": _jwt_subject(officer),
    }
    leaks = [
        f"{where}: {what} in {text[:300]}"
        for where, found in texts.items()
        for text in found
        for what, value in personal.items()
        if fold(value) in fold(text)
    ]
    assert not leaks, "\n".join(leaks[:20])
