"""The portal's sessions as a person meets them: a form posted from elsewhere is refused, an officer
whose account is locked meanwhile is signed out at the next page, and the VNeID sign-in starts on
VNeID's page with its state bound to this browser (a forged return is refused)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect
from portal_browser import Accounts, SignIn

from dvc_devkit.devstack import Stack

Check = Callable[[Page, str], None]


def test_a_form_without_the_session_token_is_refused(stack: Stack, page: Page) -> None:
    page.goto(stack.url("portal") + "/can-bo/dang-nhap")  # the browser has a session and its token
    forged = page.request.post(
        stack.url("portal") + "/can-bo/dang-nhap",
        form={"username": "cb.ai-do", "password": "Bat-ky-2026!", "csrf_token": "doan-bua"},
        max_redirects=0,
    )
    assert forged.status == 403
    assert "Biểu mẫu không còn hợp lệ" in forged.text()


def test_an_officer_locked_meanwhile_is_signed_out_at_the_next_page(
    stack: Stack, page: Page, accounts: Accounts, sign_in: SignIn
) -> None:
    officer = accounts.officer("cb.bi-khoa", "Sùng A Lử", "Chuyên viên", ["processing_officer"])
    sign_in(page, officer)
    expect(page.get_by_role("heading", name="Hồ sơ cần xử lý")).to_be_visible()
    listed = accounts.identity.get("/api/v1/officers", headers=accounts.admin, params={"limit": 200}).json()
    officer_id = next(o["id"] for o in listed if o["username"] == officer.username)
    locked = accounts.identity.post(f"/api/v1/officers/{officer_id}/lock", headers=accounts.admin, json={})
    assert locked.status_code == 200, locked.text
    page.goto(stack.url("portal") + "/can-bo/tai-khoan")
    expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ, công chức")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Phiên đăng nhập đã hết hạn hoặc không còn hiệu lực")


def test_vneid_sign_in_starts_at_vneid_with_the_state_kept_by_the_portal(
    stack: Stack, page: Page, checked: Check
) -> None:
    page.goto(stack.url("portal") + "/")
    page.get_by_role("link", name="Đăng nhập VNeID").click()
    expect(
        page.get_by_role("heading", name="Đăng nhập bằng tài khoản định danh điện tử VNeID")
    ).to_be_visible()
    query = parse_qs(urlsplit(page.url).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"][0]
    forged = page.goto(stack.url("portal") + "/cong-dan/vneid/ket-qua?code=abc&state=khong-phai-cua-ban")
    assert forged is not None and forged.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Phiên đăng nhập không khớp với trình duyệt này")
    checked(page, "20-vneid-khong-hop-le")
