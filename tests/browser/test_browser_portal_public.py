"""The public side of the portal as a visitor uses it: find a procedure by its name typed without
diacritics, read the procedure, look a dossier up by its code (on a phone too)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect
from portal_browser import PHONE

from dvc_devkit.devstack import Stack
from e2e_support import eventually, submit

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
    submitted = submit(stack, email="tra.cuu@example.vn")
    assert submitted.status_code == 201, submitted.text
    code = submitted.json()["code"]
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
    code = submit(stack, email="qr@example.vn").json()["code"]
    eventually(lambda: _known(stack, code), what="the dossier in intake's look-up")
    page.set_viewport_size(PHONE)
    page.goto(stack.url("portal") + f"/tra-cuu/{code}")
    expect(page.locator("main")).to_contain_text("Tình trạng: Mới đăng ký")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    checked(page, "06-tra-cuu-qr")


def test_an_unknown_code_is_explained(stack: Stack, page: Page) -> None:
    response = page.goto(stack.url("portal") + "/tra-cuu/000.00.14.H56-991231-9999")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy")


def _known(stack: Stack, code: str) -> bool:
    import httpx

    return httpx.get(stack.url("intake") + f"/api/v1/lookup/{code}", timeout=10).status_code == 200
