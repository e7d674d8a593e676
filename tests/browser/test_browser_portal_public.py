"""The public side of the portal as a visitor uses it: find a procedure by its name typed without
diacritics, read the procedure, look a dossier up by its code (on a phone too)."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect
from portal_browser import PHONE, Accounts, act, citizen_token, officer_token, slip_forms, submit_as

from dvc_common.pdf import qr_matrix
from dvc_common.pdf.inspection import drawn_qr_codes, plain_text
from dvc_devkit.devstack import Stack
from e2e_support import eventually

BUILDING_PERMIT = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
Check = Callable[[Page, str], None]


def test_a_visitor_finds_a_procedure_without_diacritics_and_reads_it(
    stack: Stack, page: Page, checked: Check
) -> None:
    page.goto(stack.url("portal") + "/")
    expect(page.get_by_role("heading", name="Tìm thủ tục hành chính")).to_be_visible()
    checked(page, "01-trang-chu")
    page.get_by_label("Tên thủ tục").fill("cap giay phep xay dung")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("heading", name="Kết quả: 1 thủ tục")).to_be_visible()
    expect(page.get_by_role("link", name=BUILDING_PERMIT)).to_be_visible()
    checked(page, "02-tim-thu-tuc")
    page.get_by_role("link", name=BUILDING_PERMIT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BUILDING_PERMIT)
    body = page.locator("main")
    for seen in (
        "Sở Xây dựng",
        "15 ngày làm việc",
        "Một phần",
        "75.000 đ",
        "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Bản vẽ thiết kế xây dựng",
        "Qua dịch vụ bưu chính công ích",
    ):
        expect(body).to_contain_text(seen)
    checked(page, "03-thu-tuc")


def test_a_search_that_finds_nothing_says_so(stack: Stack, page: Page) -> None:
    page.goto(stack.url("portal") + "/?q=khong+co+thu+tuc+nay")
    expect(page.get_by_role("heading", name="Kết quả: 0 thủ tục")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Không tìm thấy thủ tục phù hợp")


def test_the_public_look_up_shows_the_status_and_no_personal_data(
    stack: Stack, page: Page, checked: Check
) -> None:
    code = submit_as(stack, citizen_token(stack, "012345678901"), "Nguyễn Thị Bình")
    eventually(lambda: _known(stack, code), what="the dossier in intake's look-up")
    page.goto(stack.url("portal") + "/tra-cuu")
    checked(page, "04-tra-cuu")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    result = page.locator("main")
    expect(result).to_contain_text(f"Hồ sơ {code}")
    expect(result).to_contain_text("Mới đăng ký")
    expect(result).to_contain_text(BUILDING_PERMIT)
    expect(result).to_contain_text("Sở Xây dựng")
    expect(result).to_contain_text("Chưa tiếp nhận")
    expect(result).not_to_contain_text("Nguyễn Thị Bình")  # the applicant, never on a public page
    expect(result).not_to_contain_text("0912345678")
    checked(page, "05-ket-qua-tra-cuu")


def test_the_qr_address_opens_the_look_up_on_a_phone(stack: Stack, page: Page, checked: Check) -> None:
    code = submit_as(stack, citizen_token(stack, "012345678901"), "Nguyễn Thị Bình")
    eventually(lambda: _known(stack, code), what="the dossier in intake's look-up")
    page.set_viewport_size(PHONE)
    page.goto(stack.url("portal") + f"/tra-cuu/{code}")
    expect(page.locator("main")).to_contain_text("Tình trạng: Mới đăng ký")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    checked(page, "06-tra-cuu-qr")


def test_the_qr_printed_on_the_receipt_opens_the_portals_look_up_on_a_phone(
    stack: Stack, page: Page, accounts: Accounts, checked: Check
) -> None:
    """The address a phone opens is read off Mẫu 01 as rendered (the QR drawn on the page, and the
    address printed beside it): the portal's look-up page, the one public look-up people see."""
    code = submit_as(stack, citizen_token(stack, "012345678901"), "Vàng Thị Dung")
    officer = accounts.officer(
        "cb.motcua-qr", "Tòng Văn Minh", "Công chức Bộ phận Một cửa", ["one_stop_officer"]
    )
    token = officer_token(stack, officer)
    act(stack, token, code, "accept", {"expected_status": 1})
    eventually(lambda: "01" in slip_forms(stack, token, code), what="Mẫu 01 issued")
    headers = {"Authorization": f"Bearer {token}"}
    slips = httpx.get(stack.url("intake") + f"/api/v1/dossiers/{code}/slips", headers=headers, timeout=10)
    receipt = next(s for s in slips.json() if s["form"] == "01")
    pdf = httpx.get(stack.url("intake") + receipt["url"], headers=headers, timeout=30, follow_redirects=True)
    printed = re.search(r"Tra cứu tình trạng hồ sơ: (\S+)", plain_text(pdf.content))
    assert printed is not None, "Mẫu 01 prints the look-up address beside its QR"
    address = printed.group(1)
    assert drawn_qr_codes(pdf.content) == [qr_matrix(address, border=0)], "the QR encodes that address"
    assert address == stack.url("portal") + f"/tra-cuu/{code}"

    page.set_viewport_size(PHONE)
    page.goto(address)
    result = page.locator("main")
    expect(result).to_contain_text(f"Hồ sơ {code}")
    expect(result).to_contain_text("Tình trạng: Được tiếp nhận")
    expect(result).to_contain_text(BUILDING_PERMIT)
    expect(result).to_contain_text("Sở Xây dựng")
    expect(result).not_to_contain_text("Chưa tiếp nhận")
    expect(result).not_to_contain_text("Vàng Thị Dung")  # the applicant, never on a public page
    expect(result).not_to_contain_text("song@example.vn")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    checked(page, "07-tra-cuu-qr-mau-01")


def test_an_unknown_code_is_explained(stack: Stack, page: Page) -> None:
    response = page.goto(stack.url("portal") + "/tra-cuu/000.00.14.H56-991231-9999")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy")


def _known(stack: Stack, code: str) -> bool:
    import httpx

    return httpx.get(stack.url("intake") + f"/api/v1/lookup/{code}", timeout=10).status_code == 200
