"""The citizen's side of the portal as a person uses it: sign in with VNeID on VNeID's own page (a
citizen, an organisation) and land in "Hồ sơ của tôi" with a portal session (no tokens in the
browser); follow a dossier there: its national statuses, the appointment and how it was counted,
what the agency asks now, the slips to download."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect
from portal_browser import Accounts, act, citizen_token, officer_token, slip_forms, submit_as

from dvc_devkit.devstack import Stack
from e2e_support import eventually

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


SUPPLEMENT = "Bổ sung bản vẽ mặt bằng móng có chữ ký của chủ đầu tư."


def test_my_dossier_shows_its_statuses_appointment_what_is_asked_and_its_slips(
    stack: Stack, page: Page, accounts: Accounts, checked: Check
) -> None:
    citizen = citizen_token(stack, "011200004567")  # Lò Văn Sướng
    code = submit_as(stack, citizen, "Lò Văn Sướng")
    vneid_sign_in(stack, page, "011200004567")
    row = page.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ")
    expect(row).to_contain_text("Mới đăng ký")
    expect(row).to_contain_text("Chưa tiếp nhận")

    officer = accounts.officer(
        "cb.motcua-cd", "Lò Thị Hoa", "Công chức Bộ phận Một cửa", ["one_stop_officer"]
    )
    token = officer_token(stack, officer)
    act(stack, token, code, "accept", {"expected_status": 1})
    act(stack, token, code, "request_supplement", {"expected_status": 2, "reason": SUPPLEMENT})
    eventually(lambda: {"01", "02"} <= slip_forms(stack, token, code), what="Mẫu 01 and 02 issued")

    page.reload()
    row = page.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Yêu cầu bổ sung")
    expect(row).to_contain_text("Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ")
    checked(page, "31-cong-dan-danh-sach-ho-so")
    row.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {code}", level=1)).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Tình trạng: Yêu cầu bổ sung")
    asked = page.get_by_role("region", name="Việc bạn cần làm: Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ")
    expect(asked).to_contain_text(SUPPLEMENT)
    timeline = page.get_by_role("region", name="Quá trình giải quyết").get_by_role("listitem")
    expect(timeline).to_have_count(3)
    for i, status in enumerate(("Mới đăng ký", "Được tiếp nhận", "Yêu cầu bổ sung")):
        expect(timeline.nth(i)).to_contain_text(status)
    appointment = page.get_by_role("region", name="Ngày hẹn trả và cách tính")
    expect(appointment).to_contain_text("ngày làm việc")
    expect(main).to_contain_text("Ngày hẹn trả kết quả")
    for form in ("01", "02"):
        link = page.get_by_role("link", name=f"Mẫu {form}")
        expect(link).to_be_visible()
        pdf = page.request.get(stack.url("portal") + str(link.get_attribute("href")))
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")
    checked(page, "32-cong-dan-ho-so")


def test_somebody_elses_dossier_is_not_found(stack: Stack, page: Page) -> None:
    code = submit_as(stack, citizen_token(stack, "012345678901"), "Nguyễn Văn An")
    vneid_sign_in(stack, page, "011300009876")  # Giàng Thị Mỷ
    opened = page.goto(stack.url("portal") + f"/cong-dan/ho-so/{code}")
    assert opened is not None and opened.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy hồ sơ")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Nguyễn Văn An")
    slip = page.request.get(stack.url("portal") + f"/cong-dan/ho-so/{code}/tep/1")
    assert slip.status == 404
