"""An online dossier from submission to returned result, each person in their own browser.

A transport business (doanhnghiep) registers to run a fixed passenger route online (2.002061:
no fee, full-process online, five steps); the one-stop officer receives it and hands it on; the
specialist, the unit head and the leader take their steps; the officer returns the result; the
business sees "Đã trả kết quả" and downloads the receipt, which carries the code.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .journey import (
    fetch,
    leader_approves,
    officer_receives_and_forwards,
    officer_returns_result,
    open_my_dossier,
    pdf_text,
    specialist_forwards,
    submit_online,
    unit_head_forwards,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Đăng ký khai thác tuyến vận tải hành khách cố định bằng xe ô tô: for businesses and
# cooperatives, no fee, three components, process MOTCUA → QLVT specialist → QLVT head → BGD → MOTCUA.
PROCEDURE_CODE = "2.002061"
SCREENSHOT = Path("/tmp/e2e-citizen-detail.png")

APPLICANT = {
    "Họ và tên (hoặc tên tổ chức, doanh nghiệp)": "Công ty TNHH Vận tải Sơn Hà",
    "Mã số thuế": "0101234567",
    "Số điện thoại": "0912000003",
    "Thư điện tử": "doanhnghiep@example.vn",
    "Địa chỉ": "Số 45 đường Trần Phú, phường Đông Thành, thành phố Bình Sơn",
}
SPECIALIST_COMMENT = "Giờ xuất bến còn trống trên biểu đồ chạy xe; Sở đầu tuyến bên kia đã đồng ý. Đề nghị chấp thuận."


def business_sees_result_and_receipt(page: Page, code: str) -> None:
    open_my_dossier(page, code, status="Đã trả kết quả")
    expect(page.locator("dl.facts")).to_contain_text("Trả kết quả lúc")
    # No fee for this procedure: no payment box.
    expect(page.get_by_role("heading", name="Phí, lệ phí")).to_have_count(0)

    receipt = page.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    assert receipt.get_attribute("href") == f"/ho-so/{code}/van-ban/receipt/"
    # Served inline (the browser would show it, not download it): fetch it with the business's cookies.
    response = fetch(page, receipt)
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert code in text, text[:500]


def test_online_dossier_goes_from_business_through_every_step_back_to_business(
    person, site: str, signing, tmp_path: Path
):
    business = person("doanhnghiep")
    code = submit_online(
        business,
        site,
        tmp_path,
        procedure=PROCEDURE_CODE,
        kind="Tổ chức, doanh nghiệp",
        applicant=APPLICANT,
        return_method="Tại Bộ phận Một cửa",
        uploads=3,
    )

    officer = person("motcua")
    officer_receives_and_forwards(officer, site, code)
    specialist_forwards(person("chuyenvien"), site, code, comment=SPECIALIST_COMMENT)
    unit_head_forwards(person("truongphong"), site, code, specialist_comment=SPECIALIST_COMMENT)
    leader = person("lanhdao")
    leader_approves(leader, site, code)  # the result is electronic: signed in the same click
    officer_returns_result(officer, site, code, method="counter")

    business_sees_result_and_receipt(business, code)
    business.screenshot(path=str(SCREENSHOT), full_page=True)
