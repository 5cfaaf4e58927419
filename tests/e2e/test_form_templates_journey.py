"""Issue 14 item 2 in the browser: the procedure page links its form templates as files, and a citizen
fills the application on the dossier form (an e-form) instead of printing one; CCHC renders it."""

import io
import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from .journey import fetch, pdf_text, small_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE = "1.000010"  # Đổi giấy phép lái xe: its application has an online version
LICENCE = "790123456789"


def test_the_citizen_downloads_the_templates_and_fills_the_application_online(page: Page, site, login, tmp_path):
    page.goto(f"{site}/thu-tuc/{PROCEDURE}/")
    docx_link = page.get_by_role("link", name=re.compile(r"\.docx$")).first
    pdf_link = page.get_by_role("link", name=re.compile(r"\.pdf$")).first
    docx = fetch(page, docx_link)
    assert "wordprocessingml" in docx.headers["content-type"]
    assert "ĐƠN ĐỀ NGHỊ" in "\n".join(p.text for p in Document(io.BytesIO(docx.body())).paragraphs).upper()
    blank = fetch(page, pdf_link)
    assert blank.headers["content-type"] == "application/pdf" and blank.body().startswith(b"%PDF")

    login(page, "congdan")
    page.goto(f"{site}/thu-tuc/{PROCEDURE}/nop-ho-so/")
    form = page.locator("fieldset.eform").first
    expect(form).to_be_visible()
    form.get_by_label("Ngày sinh").fill("07/03/1990")
    form.get_by_label("Số giấy phép lái xe").fill(LICENCE)
    form.get_by_label("Hạng giấy phép lái xe").select_option("B")
    form.get_by_label("Ngày cấp giấy phép").fill("15/01/2016")
    form.get_by_label("Nơi cấp giấy phép").fill("Sở Giao thông vận tải tỉnh Bình Sơn")
    form.get_by_label("Lý do đề nghị đổi").select_option(index=1)
    page.get_by_label("Số định danh cá nhân").fill("001090001234")
    page.get_by_label("Địa chỉ", exact=True).fill("12 Lê Lợi, phường Trung Tâm")
    section = page.locator("section", has=page.get_by_role("heading", name="Giấy tờ trong hồ sơ"))
    inputs = section.locator("input[type=file]")
    for number in range(1, inputs.count()):  # the first is the application, filled above
        inputs.nth(number).set_input_files(small_pdf(tmp_path / f"giay-to-{number}.pdf"))
    page.get_by_role("button", name="Tiếp tục: kiểm tra hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra hồ sơ trước khi nộp")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Hồ sơ "))

    documents = page.locator("section", has=page.get_by_role("heading", name="Giấy tờ đã nộp"))
    expect(documents).to_contain_text("Đơn đề nghị đổi giấy phép lái xe")

    # The rendered application is kept in the citizen's data store, ready for the next dossier.
    page.goto(f"{site}/kho-du-lieu/")
    application = page.get_by_role("link", name=re.compile("^Đơn đề nghị đổi giấy phép lái xe")).first
    assert LICENCE in pdf_text(fetch(page, application).body())
