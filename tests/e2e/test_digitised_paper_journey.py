"""A paper digitised at the counter and reused by the applicant's next dossier, in a browser.

A transport business (doanhnghiep) applies online (2.002061); the one-stop officer receives it, opens
the first paper and asks for text recognition; the task worker's job (run here in-process; the OCR engine
answers with a fixed text, as cchc/digitisation's own tests do, so the journey does not wait on
Tesseract on a loaded machine) proposes the key fields, which the officer checks, dates and confirms into
the data store. When the business starts its next dossier, the form offers that paper, with the validity
the officer confirmed, and the review page lists it as reused.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cchc.digitisation import engine, services
from cchc.digitisation.models import Digitisation

from .journey import SUBMITTED, officer_receives_and_forwards, small_pdf, submit_online

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE_CODE = "2.002061"
APPLICANT = {
    "Họ và tên (hoặc tên tổ chức, doanh nghiệp)": "Công ty TNHH Vận tải Sơn Hà",
    "Mã số thuế": "0101234567",
    "Số điện thoại": "0912000003",
    "Thư điện tử": "doanhnghiep@example.vn",
    "Địa chỉ": "Số 45 đường Trần Phú, phường Đông Thành, thành phố Bình Sơn",
}
READ = "\n".join(("CĂN CƯỚC CÔNG DÂN", "Số: 001203004567", "Họ và tên: NGUYỄN VĂN AN", "Ngày sinh: 15/03/1990"))
REUSE = "… hoặc dùng giấy tờ đã có trong kho dữ liệu của bạn"


def test_an_officer_digitises_a_paper_and_the_next_dossier_reuses_it(person, site, monkeypatch, tmp_path: Path):
    monkeypatch.setattr(services, "ocr", lambda data: engine.OcrResult(pdf=b"%PDF-1.4\n%%EOF\n", text=READ))
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
    officer.goto(f"{site}/can-bo/ho-so/{code}/")
    officer.get_by_role("link", name="Số hóa", exact=True).first.click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Số hóa giấy tờ: ")
    paper = officer.get_by_role("heading", level=1).inner_text().split(": ", 1)[1]
    officer.get_by_role("button", name="Nhận dạng chữ (OCR)").click()
    expect(officer.locator(".messages")).to_contain_text("Đã xếp lịch nhận dạng chữ")
    expect(officer.locator("main")).to_contain_text("Đang chờ nhận dạng chữ")

    job = Digitisation.objects.get(document__dossier__code=code)
    assert services.digitisation_run(job_id=job.pk).state == Digitisation.State.PROPOSED  # the task worker

    officer.reload()
    expect(officer.locator("main")).to_contain_text("Chờ cán bộ xác nhận")
    expect(officer.get_by_label("Số định danh cá nhân")).to_have_value("001203004567")
    expect(officer.get_by_label("Họ và tên")).to_have_value("NGUYỄN VĂN AN")
    expect(officer.get_by_label("Ngày sinh")).to_have_value("15/03/1990")
    officer.get_by_label("Có giá trị đến ngày").fill("15/03/2035")
    officer.get_by_role("button", name="Xác nhận và đưa vào kho dữ liệu").click()
    expect(officer.locator(".messages")).to_contain_text("giấy tờ đã vào kho dữ liệu của người nộp")
    expect(officer.locator("main")).to_contain_text("Đã xác nhận, đưa vào kho dữ liệu")
    expect(officer.get_by_role("button", name="Xác nhận và đưa vào kho dữ liệu")).to_have_count(0)

    # The business's next dossier: the form offers the digitised paper, still valid, chosen already.
    business.goto(f"{site}/thu-tuc/{PROCEDURE_CODE}/")
    business.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(business.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    # (The papers the first dossier handed in are offered too: the digitised one carries its validity.)
    offer = business.get_by_role("group", name=REUSE).filter(has_text="còn hạn đến 15/03/2035")
    expect(offer).to_have_count(1)
    stored = offer.get_by_role("radio", name="còn hạn đến 15/03/2035")
    expect(stored).to_have_count(1)
    expect(stored).to_be_checked()

    business.get_by_role("radio", name="Tổ chức, doanh nghiệp", exact=True).check()
    for label, value in APPLICANT.items():
        business.get_by_label(label, exact=True).fill(value)
    section = business.locator("section", has=business.get_by_role("heading", name="Giấy tờ trong hồ sơ"))
    inputs = section.locator("input[type=file]")
    for number in (2, 3):
        field = inputs.nth(number - 1)
        label = section.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
        assert label.startswith(f"{number}. "), label
        field.set_input_files(small_pdf(tmp_path / f"lan-hai-{number}.pdf"))
    business.get_by_role("group", name="Nhận kết quả").get_by_role("radio", name="Tại Bộ phận Một cửa").check()
    business.get_by_role("button", name="Tiếp tục: kiểm tra hồ sơ").click()

    expect(business.get_by_role("heading", level=1)).to_have_text("Kiểm tra hồ sơ trước khi nộp")
    documents = business.locator("section", has=business.get_by_role("heading", name="Giấy tờ", exact=True))
    row = documents.get_by_role("row").filter(has_text=f"1. {paper}")
    expect(row).to_have_count(1)
    expect(row).not_to_contain_text("Chưa tải lên")
    business.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(business.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Hồ sơ "))
    expect(business.locator(".badge-status")).to_have_text(SUBMITTED)
