"""What the browser tests share: the pinned browser, the accessibility check and screenshots of
every page, the officer accounts made through identity's API (fixtures are in conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.sync_api import Page, ViewportSize

from dvc_devkit.devstack import Stack
from e2e_support import PDF, db_scalar, eventually

REPO = Path(__file__).resolve().parents[2]
NODE_PACKAGES = REPO / "services" / "portal" / "tests"
SCREENSHOTS = REPO / "test-output" / "screenshots"
SERVICES = ("portal", "identity", "workflow", "intake")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
PASSWORD = "Muong-Lay-2026-mot-cua!"
AGENCY = "000.00.14.H56"  # Sở Xây dựng


SERIOUS = ("serious", "critical")


def check_page(page: Page, axe_source: str, name: str) -> None:
    """What every page must pass: axe-core without serious or critical violations, `lang="vi"`;
    then screenshots at desktop and phone size (the page is reloaded at each size)."""
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.add_script_tag(content=axe_source)
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    bad = [v for v in result["violations"] if v["impact"] in SERIOUS]
    assert not bad, f"{name}: " + json.dumps(
        [{"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"][:3]]} for v in bad],
        ensure_ascii=False,
        indent=1,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / ".gitignore").write_text("*\n")  # test output, never committed
    size = page.viewport_size or DESKTOP
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(size)


@dataclass(frozen=True)
class Officer:
    username: str
    password: str
    full_name: str


class Accounts:
    """Officer accounts made the way an operator and an agency administrator make them (identity's API)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.identity = httpx.Client(base_url=stack.url("identity"), timeout=30)
        temporary = subprocess.run(
            [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", "cong.quantri"],
            env=stack.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        operator = self._change("cong.quantri", temporary)
        admin_password = self.create(
            operator, "cong.quantri-xd", "Nguyễn Thị Quản", "Quản trị tài khoản", ["agency_admin"]
        )
        self._change("cong.quantri-xd", admin_password)

    @property
    def admin(self) -> dict[str, str]:
        """The agency administrator's headers, with a token of now (they live 30 s in this stack)."""
        tokens = self.identity.post(
            "/api/v1/auth/login", json={"username": "cong.quantri-xd", "password": PASSWORD}
        )
        assert tokens.status_code == 200, tokens.text
        return {"Authorization": f"Bearer {tokens.json()['access_token']}"}

    def _change(self, username: str, temporary: str) -> dict[str, str]:
        tokens = self.identity.post(
            "/api/v1/auth/password",
            json={"username": username, "current_password": temporary, "new_password": PASSWORD},
        )
        assert tokens.status_code == 200, tokens.text
        return {"Authorization": f"Bearer {tokens.json()['access_token']}"}

    def create(
        self, by: dict[str, str], username: str, full_name: str, position: str, roles: list[str]
    ) -> str:
        """The new account's temporary password (to be changed at the first sign-in): the one
        identity issued to the holder's own address, or answered by an identity that still hands it
        to the administrator."""
        email = f"{username}@laichau.gov.vn"
        created = self.identity.post(
            "/api/v1/officers",
            headers=by,
            json={
                "username": username,
                "agency_id": AGENCY,
                "full_name": full_name,
                "position": position,
                "roles": roles,
                "email": email,
            },
        )
        assert created.status_code == 201, created.text
        password = eventually(
            lambda: self._issued_password(email), timeout=60, what=f"the password issued to {email}"
        )
        return str(password)

    def _issued_password(self, email: str) -> str | None:
        """The temporary password in identity's officer.credentials_issued.v1 for that address (the
        event notify mails to the holder; read from identity's outbox, so these tests do not
        depend on the mail template). Read in a thread: Playwright's sync API owns this loop."""
        sql = (
            "SELECT body->'data'->>'temporary_password' FROM outbox_message"
            " WHERE routing_key = 'officer.credentials_issued.v1' AND body->'data'->>'email' = $1"
            " ORDER BY id DESC LIMIT 1"
        )
        with ThreadPoolExecutor(1) as pool:
            found = pool.submit(db_scalar, self.stack, "identity", sql, email).result()
        return str(found) if found else None

    def officer(self, username: str, full_name: str, position: str, roles: list[str]) -> Officer:
        """An officer who has already set their own password."""
        self._change(username, self.create(self.admin, username, full_name, position, roles))
        return Officer(username, PASSWORD, full_name)

    def new_officer(
        self, username: str, full_name: str, position: str, roles: list[str]
    ) -> tuple[Officer, str]:
        """An officer who has never signed in, and their temporary password."""
        return Officer(username, PASSWORD, full_name), self.create(
            self.admin, username, full_name, position, roles
        )


SignIn = Callable[[Page, Officer], None]


def citizen_token(stack: Stack, account: str) -> str:
    """A VNeID sign-in through identity's API (not the browser), for the person's own API calls."""
    with httpx.Client(base_url=stack.url("identity"), timeout=30) as identity:
        start = identity.get("/api/v1/citizen/login")
        params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
        back = httpx.post(
            start.headers["location"].split("?")[0],
            data=params | {"account": account, "decision": "allow"},
            timeout=30,
        )
        done = identity.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
    assert done.status_code == 200, done.text
    return str(done.json()["access_token"])


def officer_token(stack: Stack, officer: Officer) -> str:
    answer = httpx.post(
        stack.url("identity") + "/api/v1/auth/login",
        json={"username": officer.username, "password": officer.password},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


BUILDING_PERMIT = "1.003560.000.00.00.H56"  # Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ


def submit_as(stack: Stack, token: str, name: str) -> str:
    """A building-permit dossier submitted online with its three components by the citizen whose
    token it is (online submission needs VNeID), once workflow has opened it."""
    form = {
        "procedure_code": BUILDING_PERMIT,
        "applicant_name": name,
        "email": "song@example.vn",
        "phone": "0912345678",
    }
    submitted = httpx.post(
        stack.url("intake") + "/api/v1/dossiers",
        data={"dossier": json.dumps(form, ensure_ascii=False)},
        # The building permit's three components, file n being component n.
        files=[
            ("files", (file_name, PDF, "application/pdf"))
            for file_name in ("don-de-nghi.pdf", "quyen-su-dung-dat.pdf", "ban-ve.pdf")
        ],
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert submitted.status_code == 201, submitted.text
    code = str(submitted.json()["code"])
    eventually(
        lambda: httpx.get(stack.url("workflow") + f"/api/v1/dossiers/{code}", timeout=10).status_code == 200,
        what="the dossier opened in workflow",
    )
    return code


def act(stack: Stack, token: str, code: str, action: str, body: dict[str, object]) -> None:
    done = httpx.post(
        stack.url("workflow") + f"/api/v1/dossiers/{code}/actions/{action}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert done.status_code == 200, done.text


def slip_forms(stack: Stack, token: str, code: str) -> set[str]:
    slips = httpx.get(
        stack.url("intake") + f"/api/v1/dossiers/{code}/slips",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    return {s["form"] for s in slips}
