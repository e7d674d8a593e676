"""What the clock's end-to-end tests share: the people who act (signed in again after every jump),
the operator's clock, a dossier as officers and the citizen see it, the portal's work-queue page."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx

from dvc_common.pdf.inspection import plain_text
from dvc_devkit.devstack import Stack
from e2e_support import DRIVING_LICENCE_EFORM, PASSPORT_COPY, PDF, eventually, mailed_password, mails_to

__all__ = ["AGENCY", "PDF", "Dossier", "People", "portal_queue", "row_of", "sent_at", "vn"]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "Lai-Chau-2027-dong-ho!"
PROCEDURE = "1.004946.000.00.00.H56"  # Cấp giấy phép lái xe quốc tế: 5 ngày làm việc, toàn trình
AGENCY = "000.00.14.H56"  # Sở Xây dựng
CITIZEN = "011300009876"  # a VNeID account of the sandbox


def vn(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def _bearer(tokens: dict[str, Any]) -> dict[str, str]:
    assert "access_token" in tokens, tokens
    return {"Authorization": f"Bearer {tokens['access_token']}"}


class People:
    """The provincial operator, the one-stop officer (Lò Văn Tâm) and the leader (Nguyễn Văn Bình) of
    Sở Xây dựng, and the citizen. Moving the clock ends every session whose tokens expire in the jump,
    as it would on a real system: `sign_in()` signs everyone in again on the new time."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        suffix = uuid.uuid4().hex[:6]
        self.usernames = {
            "operator": f"e2e.dh.vp{suffix}",
            "admin": f"e2e.dh.qt{suffix}",
            "one_stop": f"e2e.dh.mc{suffix}",
            "leader": f"e2e.dh.ld{suffix}",
        }
        temporary = subprocess.run(
            [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", self.usernames["operator"]],
            env=stack.env, check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        with self.identity() as client:
            changed = client.post(
                "/api/v1/auth/password",
                json={
                    "username": self.usernames["operator"],
                    "current_password": temporary,
                    "new_password": PASSWORD,
                },
            )
            operator = _bearer(changed.json())
            admin = self._officer(client, operator, "admin", "Quản trị Sở Xây dựng", ["agency_admin"])
            self._officer(client, admin, "one_stop", "Lò Văn Tâm", ["one_stop_officer"])
            self._officer(
                client,
                admin,
                "leader",
                "Nguyễn Văn Bình",
                ["processing_officer", "department_head", "agency_leader"],
            )
        self.sign_in()

    def identity(self) -> httpx.Client:
        return httpx.Client(base_url=self.stack.url("identity"), timeout=30)

    def _officer(
        self, client: httpx.Client, by: dict[str, str], who: str, name: str, roles: list[str]
    ) -> dict[str, str]:
        created = client.post(
            "/api/v1/officers",
            headers=by,
            json={
                "username": self.usernames[who],
                "agency_id": AGENCY,
                "full_name": name,
                "position": "Công chức",
                "roles": roles,
                "email": f"{self.usernames[who]}@laichau.gov.vn",
            },
        )
        assert created.status_code == 201, created.text
        changed = client.post(
            "/api/v1/auth/password",
            json={
                "username": self.usernames[who],
                "current_password": mailed_password(self.stack, f"{self.usernames[who]}@laichau.gov.vn"),
                "new_password": PASSWORD,
            },
        )
        return _bearer(changed.json())

    def officer(self, who: str) -> dict[str, str]:
        with self.identity() as client:
            signed = client.post(
                "/api/v1/auth/login", json={"username": self.usernames[who], "password": PASSWORD}
            )
        assert signed.status_code == 200, signed.text
        return _bearer(signed.json())

    def sign_in(self) -> None:
        self.one_stop = self.officer("one_stop")
        self.leader = self.officer("leader")
        with self.identity() as client:
            start = client.get("/api/v1/citizen/login")
            params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
            back = httpx.post(
                start.headers["location"].split("?")[0],
                data=params | {"account": CITIZEN, "decision": "allow"},
                timeout=30,
            )
            done = client.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
        assert done.status_code == 200, done.text
        self.citizen = _bearer(done.json())

    def set_clock(self, at: datetime, *, frozen: bool = True) -> dict[str, Any]:
        """The operator sets the clock; returns once every process of the stack runs on it."""
        with self.identity() as client:
            moved = client.post(
                "/api/v1/clock",
                json={"set_to": at.isoformat(), "frozen": frozen},
                headers=self.officer("operator"),
            )
        assert moved.status_code == 200, moved.text
        view: dict[str, Any] = moved.json()
        self.follow(view["version"])
        return view

    def follow(self, version: int) -> None:
        """Wait until every process of the stack runs on clock setting `version`; sign in again."""
        processes = ["sandbox", *self.stack.config.services]

        def followed() -> bool:
            versions = [
                httpx.get(self.stack.url(p) + "/healthz", timeout=10).json()["clock"]["version"]
                for p in processes
            ]
            return all(v >= version for v in versions)

        eventually(followed, timeout=10, what="every process on the new clock")
        self.sign_in()

    def dvc_clock(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`dvc clock ...` as the provincial operator runs it in a shell."""
        token = self.officer("operator")["Authorization"].removeprefix("Bearer ")
        env = self.stack.env | {"DVC_TOKEN": token, "DVC_IDENTITY_URL": self.stack.url("identity")}
        return subprocess.run(
            [str(Path(sys.executable).parent / "dvc"), "clock", *args],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip


class Dossier:
    """One dossier the citizen submits online, seen through the APIs officers and the citizen use."""

    def __init__(self, stack: Stack, people: People) -> None:
        self.stack, self.people = stack, people
        self.email = f"dh.{uuid.uuid4().hex[:8]}@example.vn"
        self.intake = httpx.Client(base_url=stack.url("intake"), timeout=30)
        self.workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
        form = {
            "procedure_code": PROCEDURE,
            "applicant_name": "Giàng Thị Mỷ",
            "email": self.email,
            "eform": DRIVING_LICENCE_EFORM,
        }

        def submitted() -> httpx.Response | None:
            response = self.intake.post(
                "/api/v1/dossiers",
                data={"dossier": json.dumps(form, ensure_ascii=False)},
                files=[("files", ("to-khai.pdf", PDF, "application/pdf")), ("files", PASSPORT_COPY)],
                headers=people.citizen,
            )
            return response if response.status_code == 201 else None

        self.code: str = eventually(submitted, what="intake knows the procedure").json()["code"]
        eventually(lambda: self.lifecycle() is not None, what="the dossier in workflow")

    def lifecycle(self) -> dict[str, Any] | None:
        response = self.workflow.get(f"/api/v1/dossiers/{self.code}", headers=self.people.citizen)
        return response.json() if response.status_code == 200 else None

    def act(self, action: str, who: dict[str, str], **body: Any) -> httpx.Response:
        return self.workflow.post(f"/api/v1/dossiers/{self.code}/actions/{action}", json=body, headers=who)

    def queue_item(self) -> dict[str, Any]:
        """The dossier's row in the agency's work queue, as the one-stop officer sees it."""
        page = self.workflow.get(
            "/api/v1/work-queue", params={"scope": "agency", "limit": 200}, headers=self.people.one_stop
        )
        assert page.status_code == 200, page.text
        (item,) = [i for i in page.json()["items"] if i["code"] == self.code]
        found: dict[str, Any] = item
        return found

    def mails(self, words: str) -> list[dict[str, Any]]:
        return [m for m in mails_to(self.stack, self.email) if words in m["subject"]]

    def mail(self, words: str) -> dict[str, Any]:
        """The one mail whose subject has `words` (waiting for it), with its body and headers."""
        found = eventually(lambda: self.mails(words), what=f"mail «{words}» to {self.email}")
        assert len(found) == 1, [m["subject"] for m in found]
        full: dict[str, Any] = httpx.get(
            self.stack.url("sandbox") + f"/mail/{found[0]['id']}", timeout=10
        ).json()
        return full

    def slip_text(self, form: str, nth: int = 1) -> str:
        """The text of the nth slip of `form`, downloaded by the citizen."""

        def listed() -> dict[str, Any] | None:
            slips = self.intake.get(f"/api/v1/dossiers/{self.code}/slips", headers=self.people.citizen).json()
            found = [s for s in slips if s["form"] == form]
            return found[nth - 1] if len(found) >= nth else None

        slip = eventually(listed, what=f"Mẫu {form} #{nth} of {self.code}")
        got = self.intake.get(slip["url"], headers=self.people.citizen, follow_redirects=True)
        assert got.status_code == 200 and got.content.startswith(b"%PDF-")
        return plain_text(got.content)


def sent_at(mail: dict[str, Any]) -> datetime:
    """When notify sent the mail (its Date header, the system clock)."""
    date = next(value for name, value in mail["headers"] if name.lower() == "date")
    return parsedate_to_datetime(date)


def portal_queue(stack: Stack, people: People) -> str:
    """The portal's work-queue page of the agency, as the one-stop officer opens it in a browser."""
    with httpx.Client(base_url=stack.url("portal"), timeout=30, follow_redirects=True) as browser:
        form = browser.get("/can-bo/dang-nhap").text
        csrf = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed = browser.post(
            "/can-bo/dang-nhap",
            data={
                "csrf_token": csrf,
                "next": "/can-bo/ho-so?scope=agency",
                "username": people.usernames["one_stop"],
                "password": PASSWORD,
            },
        )
        assert signed.status_code == 200 and "Hồ sơ cần xử lý" in signed.text, signed.text[:500]
        return signed.text


def row_of(page: str, code: str) -> str:
    """The queue table's row of `code` (its cells' text)."""
    start = page.index(f'<a href="/can-bo/ho-so/{code}">')
    return page[start : page.index("</tr>", start)]
