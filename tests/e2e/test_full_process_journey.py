"""A full-process online service, end to end, each person in their own browser.

congdan applies online to exchange a driving licence (1.000010: the fee, 115.000 đ online, is
due at submission; the result is an electronic licence), pays in the VNPAY simulator, and the
dossier goes through reception, the specialist, the unit head and the leader, whose approval signs
the result and returns it online; congdan downloads the signed PDF, checks it
on the public verification page (by its address and by uploading it) and rates the service.
"""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from .journey import (
    SUBMITTED,
    fetch,
    leader_approves,
    officer_receives_and_forwards,
    open_my_dossier,
    pdf_text,
    specialist_forwards,
    submit_online,
    unit_head_forwards,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE_CODE = "1.000010"  # Đổi giấy phép lái xe: five components, fee before reception, electronic result
FEE = "115.000 đ"  # the online price (135.000 đ at the counter)
VERIFY_PATH = re.compile(r"/ket-qua/xac-minh/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/")
SCREENSHOT = Path("/tmp/e2e-verification.png")

APPLICANT = {
    "Họ và tên (hoặc tên tổ chức, doanh nghiệp)": "Nguyễn Văn An",
    "Số định danh cá nhân": "034095001234",
    "Số điện thoại": "0912000001",
    "Thư điện tử": "congdan@example.vn",
    "Địa chỉ": "Số 12 đường Lê Lợi, phường Đông Thành, thành phố Bình Sơn",
}
MASKED_NAME = "N***** V** A*"
SPECIALIST_COMMENT = "Đã đối chiếu dữ liệu giấy phép lái xe, hồ sơ hợp lệ; đề nghị cấp đổi."
RATING_COMMENT = "Nộp và nhận kết quả trực tuyến, không phải đi lại. Cảm ơn cán bộ."


@pytest.fixture
def full_site(site: str, live_simulators: str, settings, signing: Path) -> str:
    """The live site with its own signing certificate, the gateway simulator on, and verification
    addresses (printed in the signed PDF) pointing at the live server."""
    settings.VNPAY_PAY_URL = ""
    settings.VNPAY_API_URL = ""
    settings.CCHC_PUBLIC_URL = site
    return site


# ---------------------------------------------------------------- the citizen pays


def fee_panel(page: Page):
    return page.get_by_role("region", name="Phí, lệ phí")


def citizen_pays_in_simulator(page: Page, code: str) -> None:
    panel = fee_panel(page)
    expect(panel).to_contain_text(FEE)
    expect(panel).to_contain_text("Chưa nộp")
    panel.get_by_role("button", name="Nộp phí trực tuyến (VNPAY)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng thanh toán giả lập (VNPAY)")
    order = page.get_by_role("region", name="Thông tin đơn hàng")
    expect(order).to_contain_text(FEE)
    expect(order).to_contain_text(code)
    order.get_by_role("button", name="Thanh toán", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả thanh toán")
    expect(page.get_by_role("status")).to_contain_text("Thanh toán thành công.")
    expect(page.locator("dl.facts")).to_contain_text(code)
    expect(page.locator("dl.facts")).to_contain_text(FEE)
    page.get_by_role("link", name="Xem hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    expect(page.locator(".badge-status")).to_have_text(SUBMITTED)
    panel = fee_panel(page)
    expect(panel).to_contain_text(re.compile(r"Đã nộp lúc \d{2}:\d{2} ngày \d{2}/\d{2}/\d{4} \(trực tuyến\)"))
    expect(panel.get_by_role("button", name="Nộp phí trực tuyến (VNPAY)")).to_have_count(0)
    receipt = fetch(page, panel.get_by_role("link", name="Biên lai thu phí, lệ phí (PDF)"))
    assert receipt.headers["content-type"] == "application/pdf"
    text = pdf_text(receipt.body())
    assert code in text, text[:500]


# ---------------------------------------------------------------- the leader signs


# ---------------------------------------------------------------- the citizen gets the result


def citizen_downloads_signed_result(page: Page, site: str, code: str) -> tuple[bytes, str]:
    """The signed PDF from the dossier's page, and the verification address printed in it."""
    open_my_dossier(page, code, status="Đã trả kết quả")
    panel = page.get_by_role("region", name="Kết quả điện tử")
    link = panel.get_by_role("link", name="Tải kết quả điện tử (đã ký số)")
    assert link.get_attribute("href") == f"/ho-so/{code}/ket-qua.pdf"
    response = fetch(page, link)
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    body = response.body()

    reader = PdfReader(io.BytesIO(body))
    acroform = reader.trailer["/Root"]["/AcroForm"]
    assert int(acroform["/SigFlags"]) & 1, acroform
    signatures = [f for f in (reader.get_fields() or {}).values() if f.get("/FT") == "/Sig" and f.get("/V")]
    assert signatures, reader.get_fields()
    text = pdf_text(body)
    assert code in text, text[:800]
    # The address under the QR code may wrap across lines in the extracted text.
    match = VERIFY_PATH.search("".join(text.split()))
    assert match, text[-800:]
    return body, site + match.group(0)


def verdict_is_valid(page: Page) -> None:
    verdict = page.get_by_role("status")
    expect(verdict.get_by_role("heading", level=2)).to_have_text("Văn bản hợp lệ")
    expect(verdict.locator("dt", has_text="Chữ ký số").locator("xpath=following-sibling::dd[1]")).to_have_text("Hợp lệ")
    matches = verdict.locator("dt", has_text="Trùng khớp bản lưu").locator("xpath=following-sibling::dd[1]")
    expect(matches).to_have_text("Có")


def anyone_verifies(page: Page, url: str, code: str, signed: bytes) -> None:
    """Whoever holds the document opens the address of its QR code, then uploads the file itself."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác minh kết quả giải quyết thủ tục hành chính điện tử")
    verdict_is_valid(page)
    facts = page.get_by_role("region", name="Thông tin kết quả lưu tại cơ quan")
    expect(facts).to_contain_text(code)
    expect(facts).to_contain_text(MASKED_NAME)
    expect(facts).not_to_contain_text(APPLICANT["Họ và tên (hoặc tên tổ chức, doanh nghiệp)"])
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    check = page.get_by_role("region", name="Kiểm tra một bản kết quả bạn đang giữ")
    check.get_by_label("Tệp kết quả (PDF)").set_input_files(
        {"name": f"ket-qua-{code}.pdf", "mimeType": "application/pdf", "buffer": signed}
    )
    check.get_by_role("button", name="Kiểm tra tệp").click()
    verdict_is_valid(page)
    expect(page.get_by_role("status")).to_contain_text(f"Tệp đã kiểm tra: ket-qua-{code}.pdf")


def citizen_rates(page: Page, site: str, code: str) -> None:
    page.goto(f"{site}/ho-so/{code}/")
    prompt = page.get_by_role("region", name="Đánh giá mức độ hài lòng")
    prompt.get_by_role("link", name="Đánh giá mức độ hài lòng").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đánh giá mức độ hài lòng")
    expect(page.locator("main")).to_contain_text(code)
    factors = page.get_by_role("group")
    expect(factors).to_have_count(5)
    for index in range(5):
        factors.nth(index).get_by_role("radio", name="5 – Rất hài lòng").check()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill(RATING_COMMENT)
    page.get_by_role("button", name="Gửi đánh giá").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã đánh giá hồ sơ này")
    expect(page.locator(".messages")).to_contain_text("Cảm ơn bạn đã đánh giá.")
    expect(page.locator("ul.score-list li")).to_have_count(5)
    for item in page.locator("ul.score-list li").all_inner_texts():
        assert item.endswith(": 5 – Rất hài lòng"), item
    expect(page.locator("main")).to_contain_text(RATING_COMMENT)

    page.get_by_role("link", name="Về trang hồ sơ").click()
    prompt = page.get_by_role("region", name="Đánh giá mức độ hài lòng")
    expect(prompt).to_contain_text("Bạn đã đánh giá lúc")
    expect(prompt.get_by_role("link", name="Đánh giá mức độ hài lòng")).to_have_count(0)


# ---------------------------------------------------------------- the journey


def test_citizen_pays_online_and_gets_a_signed_result_anyone_can_verify(
    person, context_factory, full_site: str, tmp_path: Path
):
    site = full_site
    citizen = person("congdan")
    code = submit_online(
        citizen,
        site,
        tmp_path,
        procedure=PROCEDURE_CODE,
        kind="Cá nhân",
        applicant=APPLICANT,
        return_method="Trực tuyến",
        uploads=5,
    )
    citizen_pays_in_simulator(citizen, code)

    officer = person("motcua")
    officer_receives_and_forwards(officer, site, code)
    specialist_forwards(person("chuyenvien"), site, code, comment=SPECIALIST_COMMENT)
    unit_head_forwards(person("truongphong"), site, code, specialist_comment=SPECIALIST_COMMENT)
    leader = person("lanhdao")
    # One click: approved, signed, and (returned online) back to the applicant at once.
    leader_approves(leader, site, code, status="Đã trả kết quả")

    signed, url = citizen_downloads_signed_result(citizen, site, code)
    # Anyone holding the file, signed in or not: a fresh browser.
    anyone_verifies(context_factory().new_page(), url, code, signed)
    citizen_rates(citizen, site, code)
