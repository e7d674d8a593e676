"""The citizen's side of the portal as a person uses it: sign in with VNeID on VNeID's own page (a
citizen, an organisation) and land in "Hồ sơ của tôi" with a portal session (no tokens in the
browser)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from dvc_devkit.devstack import Stack

Check = Callable[[Page, str], None]


def vneid_sign_in(stack: Stack, page: Page, account: str) -> None:
    """Through the portal's link and VNeID's sign-in form (the sandbox's), as a person clicks it."""
    page.goto(stack.url("portal") + "/")
    page.get_by_role("link", name="Đăng nhập VNeID").click()
    expect(
        page.get_by_role("heading", name="Đăng nhập bằng tài khoản định danh điện tử VNeID")
    ).to_be_visible()
    page.get_by_label("Tài khoản thử nghiệm").select_option(account)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_citizen_signs_in_with_vneid_and_lands_in_my_dossiers(
    stack: Stack, page: Page, checked: Check
) -> None:
    vneid_sign_in(stack, page, "012345678902")
    expect(page.get_by_role("heading", name="Hồ sơ của tôi", level=1)).to_be_visible()
    assert page.url == stack.url("portal") + "/cong-dan/ho-so"
    expect(page.get_by_role("link", name="Hồ sơ của tôi (Trần Thị Bình)")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    cookies = page.context.cookies()
    assert all("eyJ" not in c["value"] for c in cookies), "a token reached the browser"
    checked(page, "30-cong-dan-ho-so-cua-toi")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập VNeID")).to_be_visible()
    page.goto(stack.url("portal") + "/cong-dan/ho-so")
    expect(page.get_by_role("link", name="Hồ sơ của tôi (Trần Thị Bình)")).to_have_count(0)


def test_an_organisation_signs_in_with_vneid(stack: Stack, page: Page) -> None:
    vneid_sign_in(stack, page, "6200067890")
    expect(page.get_by_role("heading", name="Hồ sơ của tôi", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_contain_text("Hợp tác xã Chè Tân Uyên")


def test_cancelling_at_vneid_is_explained(stack: Stack, page: Page) -> None:
    page.goto(stack.url("portal") + "/")
    page.get_by_role("link", name="Đăng nhập VNeID").click()
    page.get_by_role("button", name="Hủy").click()
    expect(page.get_by_role("alert")).to_contain_text("VNeID không xác nhận đăng nhập")
