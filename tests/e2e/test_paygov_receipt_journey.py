"""Paying through PayGov and getting the electronic receipt, in a browser.

congdan applies online (1.000010, 115.000 đ due at submission), chooses PayGov on the dossier's
page, pays on the PayGov simulator's page (the simulator server, reached through a real INIT message;
it POSTs its result to the live site), comes back to the result page; the task worker's job (run here
in-process) issues the e-receipt through the simulator server's VNPT; congdan sees the receipt's
series, number and lookup code on the dossier and downloads the receipt PDF the provider renders.
"""

import re

import pytest
from playwright.sync_api import expect

from cchc.payments.models import Payment
from cchc.payments.services_receipts import receipt_issue

from .journey import fetch, pdf_text, submit_online

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

APPLICANT = {
    "Họ và tên (hoặc tên tổ chức, doanh nghiệp)": "Nguyễn Văn An",
    "Số định danh cá nhân": "034095001234",
    "Số điện thoại": "0912000001",
    "Thư điện tử": "congdan@example.vn",
    "Địa chỉ": "Số 12 đường Lê Lợi, phường Đông Thành, thành phố Bình Sơn",
}


@pytest.fixture
def paygov_site(site: str, live_simulators: str, settings) -> str:
    settings.PAYGOV_API_URL = ""
    settings.CCHC_RECEIPT_PROVIDER = "vnpt"
    settings.CCHC_RECEIPT_URL = ""
    settings.CCHC_PUBLIC_URL = site
    return site


def test_a_citizen_pays_through_paygov_and_downloads_the_e_receipt(paygov_site, person, tmp_path):
    citizen = person("congdan")
    code = submit_online(
        citizen,
        paygov_site,
        tmp_path,
        procedure="1.000010",
        kind="Cá nhân",
        applicant=APPLICANT,
        return_method="Trực tuyến",
        uploads=5,
    )
    panel = citizen.get_by_role("region", name="Phí, lệ phí")
    expect(panel.get_by_role("button", name="Nộp phí trực tuyến (VNPAY)")).to_be_visible()
    panel.get_by_role("button", name="Nộp phí trực tuyến (PayGov)").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("Nền tảng thanh toán PayGov giả lập")
    order = citizen.get_by_role("region", name="Thông tin giao dịch")
    expect(order).to_contain_text("115.000 đ")
    expect(order).to_contain_text(code)
    order.get_by_role("button", name="Thanh toán", exact=True).click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("Kết quả thanh toán")
    expect(citizen.get_by_role("status")).to_contain_text("Thanh toán thành công.")

    payment = Payment.objects.get(dossier__code=code, provider="paygov")
    assert receipt_issue(payment_id=payment.pk) == "issued"  # what the task worker does after the payment
    payment.refresh_from_db()

    citizen.get_by_role("link", name="Xem hồ sơ").click()
    panel = citizen.get_by_role("region", name="Phí, lệ phí")
    expect(panel).to_contain_text(re.compile(r"Đã nộp lúc .* \(trực tuyến\)"))
    expect(panel).to_contain_text(f"{payment.receipt_series} – {payment.receipt_number}")
    expect(panel).to_contain_text(payment.receipt_lookup_code)
    receipt = fetch(citizen, panel.get_by_role("link", name="Biên lai thu phí, lệ phí (PDF)"))
    assert receipt.headers["content-type"] == "application/pdf"
    text = pdf_text(receipt.body())
    assert f"So: {payment.receipt_number}" in text and payment.reference in text, text[:500]
