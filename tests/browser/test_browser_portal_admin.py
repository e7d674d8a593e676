"""The agency administrator and the provincial operator at work: create an officer with a department
and roles, lock and unlock the account; publish an internal-process version, whose refusal names its
reasons (workflow's) before a corrected version is published."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Page, expect
from portal_browser import PASSWORD, Accounts, Officer, SignIn

from dvc_devkit.devstack import Stack

Check = Callable[[Page, str], None]
BUILDING_PERMIT = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"  # 15 ngày làm việc, with fees


def test_an_agency_admin_creates_an_officer_then_locks_and_unlocks_the_account(
    stack: Stack, page: Page, accounts: Accounts, sign_in: SignIn, checked: Check
) -> None:
    sign_in(page, Officer("cong.quantri-xd", PASSWORD, "Nguyễn Thị Quản"))
    page.get_by_role("link", name="Quản trị cán bộ").click()
    expect(page.get_by_role("heading", name="Quản trị tài khoản cán bộ", level=1)).to_be_visible()
    form = page.get_by_role("region", name="Tạo tài khoản cán bộ")
    form.get_by_label("Họ và tên").fill("Tao Văn Chiến")
    form.get_by_label("Tên đăng nhập").fill("cb.tao-chien")
    form.get_by_label("Chức vụ, vị trí việc làm").fill("Chuyên viên Phòng Quản lý xây dựng")
    form.get_by_label("Thư điện tử công vụ").fill("cb.tao-chien@laichau.gov.vn")
    departments = form.get_by_label("Phòng, ban").locator("option")
    department = departments.nth(1).text_content() if departments.count() > 1 else None
    if department:
        form.get_by_label("Phòng, ban").select_option(label=department)
    form.get_by_label("Chuyên viên xử lý").check()
    checked(page, "40-quan-tri-can-bo")
    form.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã tạo tài khoản cb.tao-chien (Tao Văn Chiến)")
    row = page.get_by_role("row").filter(has_text="cb.tao-chien")
    expect(row).to_contain_text("Chuyên viên xử lý")
    expect(row).to_contain_text("Đang hoạt động")
    if department:
        expect(row).to_contain_text(department.strip())

    row.get_by_label("Lý do khóa cb.tao-chien").select_option(label="Chuyển công tác")
    row.get_by_role("button", name="Khóa cb.tao-chien").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã khóa tài khoản Tao Văn Chiến (cb.tao-chien)")
    row = page.get_by_role("row").filter(has_text="cb.tao-chien")
    expect(row).to_contain_text("Đã khóa")
    checked(page, "41-quan-tri-can-bo-da-khoa")
    row.get_by_role("button", name="Mở khóa cb.tao-chien").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã mở khóa tài khoản Tao Văn Chiến")
    expect(page.get_by_role("row").filter(has_text="cb.tao-chien")).to_contain_text("Đang hoạt động")


def _steps(*, payment: bool) -> str:
    steps: list[dict[str, object]] = [
        {"id": "tn", "name": "Tiếp nhận", "role": "one_stop_officer",
         "budget": {"value": 4, "unit": "working_hours"}, "next": ["td"]},
        {"id": "td", "name": "Thẩm định", "role": "processing_officer",
         "budget": {"value": 10, "unit": "working_days"}, "next": ["tp" if payment else "tr"]},
    ]  # fmt: skip
    if payment:
        steps.append(
            {"id": "tp", "name": "Thu lệ phí", "role": "one_stop_officer", "kind": "payment", "next": ["tr"]}
        )
    steps.append({"id": "tr", "name": "Trả kết quả", "role": "one_stop_officer", "kind": "result"})
    return json.dumps({"steps": steps}, ensure_ascii=False, indent=2)


def test_the_operator_publishes_a_process_version_after_its_refusal_names_the_reasons(
    stack: Stack, page: Page, accounts: Accounts, sign_in: SignIn, checked: Check
) -> None:
    sign_in(page, Officer("cong.quantri", PASSWORD, "Quản trị hệ thống"))
    page.get_by_role("link", name="Quy trình nội bộ").click()
    page.get_by_label("Thủ tục").select_option(label=BUILDING_PERMIT)
    page.get_by_label("Cơ quan giải quyết").select_option(label="Sở Xây dựng tỉnh Lai Châu")
    page.get_by_role("button", name="Xem các phiên bản").click()
    expect(page.get_by_role("heading", name="Các phiên bản")).to_be_visible()

    page.get_by_label("Các bước").fill(_steps(payment=False))
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã lưu bản nháp phiên bản")
    page.get_by_role("button", name="Công bố phiên bản").first.click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Quy trình chưa hợp lệ")
    expect(refusal).to_contain_text(
        "Thực hiện nghĩa vụ tài chính"
    )  # workflow's reason: fees, no payment step
    checked(page, "42-quy-trinh-bi-tu-choi")

    page.get_by_label("Các bước").fill(_steps(payment=True))
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã lưu bản nháp phiên bản")
    page.get_by_role("row").filter(has_text="Thu lệ phí").get_by_role(
        "button", name="Công bố phiên bản"
    ).click()
    expect(page.get_by_role("status").first).to_contain_text("Đã công bố phiên bản")
    published = page.get_by_role("row").filter(has_text="Thu lệ phí")
    expect(published).to_contain_text("Đang áp dụng")
    checked(page, "43-quy-trinh-da-cong-bo")
