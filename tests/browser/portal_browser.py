"""What the browser tests share: the pinned browser, the accessibility check and screenshots of
every page, the officer accounts made through identity's API (fixtures are in conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, ViewportSize

from dvc_devkit.devstack import Stack

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
        """The new account's temporary password (to be changed at the first sign-in)."""
        created = self.identity.post(
            "/api/v1/officers",
            headers=by,
            json={
                "username": username,
                "agency_id": AGENCY,
                "full_name": full_name,
                "position": position,
                "roles": roles,
            },
        )
        assert created.status_code == 201, created.text
        return str(created.json()["temporary_password"])

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
