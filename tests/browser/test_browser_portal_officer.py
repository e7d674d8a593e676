"""An officer's day in the portal: the first sign-in with its password change, wrong passwords and the
temporary lock as identity words them, the account page, the work queue, a dossier received with
its Mẫu 01, a late click explained (409), a supplement requested, and signing out."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect
from portal_browser import DESKTOP, PASSWORD, Accounts, SignIn, citizen_token, submit_as

from dvc_devkit.devstack import Stack
from e2e_support import PDF, db_scalar, eventually

Check = Callable[[Page, str], None]


def test_first_sign_in_changes_the_password_then_my_account_and_sign_out(
    stack: Stack, page: Page, accounts: Accounts, checked: Check
) -> None:
    officer, temporary = accounts.new_officer(
        "cb.lan", "Lò Thị Lan", "Công chức Bộ phận Một cửa", ["one_stop_officer"]
    )
    page.goto(stack.url("portal") + "/can-bo/ho-so")
    expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ, công chức")).to_be_visible()
    checked(page, "10-dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu", exact=True).fill(temporary)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Đổi mật khẩu")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("lần đăng nhập đầu tiên")
    checked(page, "11-doi-mat-khau-lan-dau")
    _new_password(page, temporary, "matkhau")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Mật khẩu mới chưa đạt yêu cầu")
    expect(alert).to_contain_text("ít nhất ba trong bốn loại")
    checked(page, "12-mat-khau-yeu")
    _new_password(page, temporary, officer.password)
    expect(page.get_by_role("heading", name="Hồ sơ cần xử lý")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("Đã đổi mật khẩu.")
    cookie = next(c for c in page.context.cookies() if c["name"] == "dvc-phien")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.get_by_role("link", name="Lò Thị Lan").click()
    account = page.locator("main")
    for seen in ("Lò Thị Lan", "cb.lan", "Công chức Bộ phận Một cửa", "Sở Xây dựng", "Chưa được cấp quyền"):
        expect(account).to_contain_text(seen)
    checked(page, "13-tai-khoan")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("status")).to_contain_text("Bạn đã đăng xuất.")
    page.goto(stack.url("portal") + "/can-bo/tai-khoan")
    expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ, công chức")).to_be_visible()


def _new_password(page: Page, current: str, new: str) -> None:
    page.get_by_label("Mật khẩu hiện tại").fill(current)
    page.get_by_label("Mật khẩu mới", exact=True).fill(new)
    page.get_by_label("Nhập lại mật khẩu mới").fill(new)
    page.get_by_role("button", name="Đổi mật khẩu").click()


def test_wrong_passwords_then_the_temporary_lock_as_identity_says_it(
    stack: Stack, page: Page, accounts: Accounts, sign_in: SignIn, checked: Check
) -> None:
    """Identity answers a temporary lock like a wrong password (no oracle of which accounts exist
    or are locked); the page says so, and that repeated failures lock the account for a while."""
    officer = accounts.officer("cb.khoa", "Quàng Văn Khoa", "Chuyên viên", ["processing_officer"])
    wrong = type(officer)(officer.username, "Sai-mat-khau-2026!", officer.full_name)
    sign_in(page, wrong)
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    for _ in range(4):
        sign_in(page, wrong)
    checked(page, "14-tai-khoan-tam-khoa")
    sign_in(page, officer)  # the right password while locked: still refused, with the same words
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(alert).to_contain_text("tài khoản tạm khóa trong ít phút")
    expect(page.get_by_role("heading", name="Hồ sơ cần xử lý")).to_have_count(0)


def test_an_officer_receives_a_dossier_a_late_click_is_explained_and_a_supplement_is_asked(
    stack: Stack, browser: Browser, page: Page, accounts: Accounts, sign_in: SignIn, checked: Check
) -> None:
    officer = accounts.officer("cb.motcua", "Lò Văn Tâm", "Công chức Bộ phận Một cửa", ["one_stop_officer"])
    code = submit_as(stack, citizen_token(stack, "012345678901"), "Nguyễn Thị Bình")
    sign_in(page, officer)
    page.get_by_role("link", name="Của cơ quan").click()
    row = page.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ")
    expect(row).to_contain_text("Mới đăng ký")
    expect(row).to_contain_text("Trong hạn")
    expect(row).to_contain_text("còn")
    checked(page, "15-ho-so-can-xu-ly")
    row.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Tình trạng: Mới đăng ký")
    expect(main).to_contain_text("don-de-nghi.pdf")
    expect(main).to_contain_text("Trực tuyến")
    checked(page, "16-ho-so-moi")
    stale = page.context.new_page()  # a second tab, opened before the dossier moves on
    stale.goto(page.url)

    _open_action(page, "Tiếp nhận hồ sơ")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã thực hiện «Tiếp nhận hồ sơ»")
    expect(main).to_contain_text("Tình trạng: Được tiếp nhận")
    expect(main).not_to_contain_text("Chưa tiếp nhận")

    _open_action(stale, "Yêu cầu bổ sung hồ sơ")
    stale.get_by_label("Nội dung yêu cầu bổ sung").fill("Bổ sung bản vẽ mặt bằng có chữ ký của chủ đầu tư.")
    stale.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(stale.get_by_role("alert")).to_contain_text("Hồ sơ đã được người khác xử lý trước")
    expect(stale.locator("main")).to_contain_text("Tình trạng: Được tiếp nhận")  # refreshed
    checked(stale, "17-thao-tac-muon-409")
    stale.close()

    token = _token(stack, officer.username)
    eventually(lambda: _slip(stack, code, token, "01"), what="Mẫu 01 issued by intake")
    page.reload()
    slip = page.get_by_role("link", name="Mẫu 01")
    expect(slip).to_be_visible()
    pdf = page.request.get(stack.url("portal") + str(slip.get_attribute("href")))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    document = page.request.get(stack.url("portal") + f"/can-bo/ho-so/{code}/tep/1")
    assert document.status == 200 and document.body() == PDF
    assert document.headers["content-security-policy"] == "sandbox"
    checked(page, "18-ho-so-da-tiep-nhan")

    _open_action(page, "Yêu cầu bổ sung hồ sơ")
    page.get_by_label("Nội dung yêu cầu bổ sung").fill("Bổ sung bản vẽ mặt bằng có chữ ký của chủ đầu tư.")
    page.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã thực hiện «Yêu cầu bổ sung hồ sơ»")
    expect(main).to_contain_text("Tình trạng: Yêu cầu bổ sung")
    expect(main).to_contain_text("Bổ sung bản vẽ mặt bằng có chữ ký của chủ đầu tư.")  # in the history
    page.set_viewport_size(DESKTOP)


def test_every_page_renews_the_session_tokens_without_the_officer_noticing(
    stack: Stack, page: Page, accounts: Accounts, sign_in: SignIn
) -> None:
    """Identity's access tokens here live as long as the portal's renewal margin: each page spends the
    single-use refresh token once (a second use would revoke the whole session at identity)."""
    officer = accounts.officer("cb.lam-moi", "Giàng A Páo", "Chuyên viên", ["processing_officer"])
    sign_in(page, officer)
    expect(page.get_by_role("heading", name="Hồ sơ cần xử lý")).to_be_visible()
    seen = {_refresh_token(stack)}
    for _ in range(3):
        page.goto(stack.url("portal") + "/can-bo/tai-khoan")
        expect(page.locator("main")).to_contain_text("Giàng A Páo")
        seen.add(_refresh_token(stack))
    assert len(seen) == 4  # renewed at every page, and the session still works


def _open_action(page: Page, name: str) -> None:
    page.locator("details.action > summary").filter(has_text=re.compile(f"^{name}$")).click()


def _refresh_token(stack: Stack) -> Any:
    """The refresh token the portal keeps for the session (read in a thread: Playwright's sync API
    owns this thread's event loop)."""
    sql = "SELECT refresh_token FROM portal_session WHERE display_name = $1"
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(db_scalar, stack, "portal", sql, "Giàng A Páo").result()


def _in_workflow(stack: Stack, code: str) -> bool:
    return httpx.get(stack.url("workflow") + f"/api/v1/dossiers/{code}", timeout=10).status_code == 200


def _token(stack: Stack, username: str) -> str:
    answer = httpx.post(
        stack.url("identity") + "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def _slip(stack: Stack, code: str, token: str, form: str) -> bool:
    slips = httpx.get(
        stack.url("intake") + f"/api/v1/dossiers/{code}/slips",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    return any(s["form"] == form for s in slips)
