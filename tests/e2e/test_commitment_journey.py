"""A unit's commitment reaches its signed PDF in the browser.

The demo plan leaves the QLVT commitment signed by its head and waiting for the leadership. The
leader opens it from the commitments list, reads the targets against the live figures, countersigns,
and downloads a PDF whose PAdES signature is valid; the unit head then finds it signed too, with no
signing button left.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from cchc.accounts.models import Agency
from cchc.demo.loader import DEMO_AGENCY_CODE
from cchc.plans.demo import load_demo_plans
from cchc.reform.demo import load_demo_reform
from cchc.results.verification import verify_pdf
from conftest import SIGNING_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UNIT = "Phòng Quản lý vận tải, phương tiện và người lái"


@pytest.fixture
def plans_site(site, settings, tmp_path, agency_p12):
    # The demo countersigns only when a certificate exists: load it without one, then sign with ours.
    settings.CCHC_SIGNING_P12_PATH = str(tmp_path / "none.p12")
    agency = Agency.objects.get(code=DEMO_AGENCY_CODE)
    load_demo_reform(agency)
    load_demo_plans(agency)
    settings.CCHC_SIGNING_P12_PATH = str(agency_p12)
    settings.CCHC_SIGNING_P12_PASSWORD = SIGNING_PASSWORD
    return site


def test_the_leader_countersigns_a_commitment_and_downloads_the_signed_pdf(plans_site, person):
    page = person("lanhdao")
    page.goto(f"{plans_site}/cai-cach/cam-ket/")
    row = page.locator("tr", has=page.get_by_role("link", name=UNIT))
    expect(row).to_contain_text("Trưởng đơn vị đã ký")
    row.get_by_role("link", name=UNIT).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"năm \d{{4}}: {UNIT}$"))
    expect(page.locator("table").first).to_contain_text("Hồ sơ giải quyết trước hạn, đúng hạn")
    page.get_by_role("button", name="Ký duyệt cam kết").click()
    expect(page.locator(".messages")).to_contain_text("Đã ký duyệt; bản cam kết đã được ký số và lưu.")
    expect(page.get_by_role("button", name="Ký duyệt cam kết")).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản cam kết đã ký số (PDF)").click()
    data = open(download.value.path(), "rb").read()  # noqa: PTH123, SIM115
    # pyHanko validates with asyncio.run(), which cannot run inside Playwright's event loop thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(verify_pdf, data).result()
    assert report.valid, report.reason

    head = person("truongphong")
    head.goto(f"{plans_site}/cai-cach/cam-ket/")
    head.get_by_role("link", name=UNIT).click()
    expect(head.get_by_role("link", name="Tải bản cam kết đã ký số (PDF)")).to_be_visible()
    expect(head.get_by_role("button", name="Ký cam kết")).to_have_count(0)
