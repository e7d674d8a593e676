"""Browser tests of the portal: the real stack as processes (portal, identity, workflow, intake, the
sandbox) with its own databases, RabbitMQ vhost and ports; Debian's Chromium driven by Playwright;
axe-core (npm, pinned in services/portal/tests/package-lock.json) run on every page; a screenshot of
every page at a desktop and a phone size under test-output/screenshots/."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from dvc_common.db import drop_database
from dvc_devkit.devstack import Stack, StackConfig, env_prefix, reserve_port_offset
from dvc_devkit.testing.infra import rabbitmq_vhost, run_id

sys.path.insert(0, str(Path(__file__).parent))  # portal_browser, the helpers these tests share
from portal_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    NODE_PACKAGES,
    SERVICES,
    Accounts,
    Officer,
    SignIn,
    check_page,
)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is needed: apt-get install -y chromium fonts-dejavu-core")
    suffix = f"_browser_{run_id()}"
    with rabbitmq_vhost("dvc-browser") as vhost:
        config = StackConfig(
            database_suffix=suffix,
            vhost=vhost.name,
            port_offset=reserve_port_offset(SERVICES, what="browser-test stack"),
            var_dir=tmp_path_factory.mktemp("var"),
            services=SERVICES,
            extra_env={
                **{env_prefix(s) + "DB_POOL_SIZE": "3" for s in SERVICES},
                # Access tokens that live exactly the portal's renewal margin: every page renews its
                # session's tokens, so the refresh path (single-use refresh tokens) runs all the time.
                "DVC_IDENTITY_ACCESS_TOKEN_SECONDS": "30",
            },
        )
        running = Stack(config)
        try:
            running.up()
            yield running
        finally:
            running.down()
            for service in SERVICES:
                asyncio.run(drop_database(config.database_url(service)))


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core as pinned in package-lock.json (installed with `npm ci` when missing)."""
    script = NODE_PACKAGES / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core (services/portal/tests/package.json)")
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=NODE_PACKAGES, check=True
        )
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    # Per module, not per session: while Playwright's sync API is open it owns the main thread's
    # event loop, and the tests that run after these (asyncio.run in e2e helpers) need it back.
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp: axe-core is injected as an inline script, which the portal's Content-Security-Policy
    # (script-src 'self') rightly refuses; the pages themselves run under their policy.
    context = browser.new_context(
        viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", bypass_csp=True
    )
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="session")
def checked(axe_source: str) -> Callable[[Page, str], None]:
    return lambda page, name: check_page(page, axe_source, name)


@pytest.fixture(scope="session")
def accounts(stack: Stack) -> Iterator[Accounts]:
    made = Accounts(stack)
    try:
        yield made
    finally:
        made.identity.close()


@pytest.fixture(scope="session")
def sign_in(stack: Stack) -> SignIn:
    def go(page: Page, officer: Officer) -> None:
        page.goto(stack.url("portal") + "/can-bo/dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(officer.username)
        page.get_by_label("Mật khẩu", exact=True).fill(officer.password)
        page.get_by_role("button", name="Đăng nhập").click()

    return go
