"""The reform officer works on the PAR Index from a phone.

cchc opens the PAR Index page of the current demo year (2026), reads the projected total and the
gap to 80, opens the criterion with the most points still to win among the unscored ones from
"Điểm bị mất ở đâu", attaches a PDF as evidence, enters a self-score, and back on the index the
projected total has grown by exactly that score and the gap has shrunk by it.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cchc.accounts.models import Agency
from cchc.demo.loader import DEMO_AGENCY_CODE
from cchc.reform.demo import load_demo_reform

from .journey import small_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = 2026
CRITERION = "1.5"  # "Sáng kiến, mô hình mới …": 2 points, not self-assessed yet in the demo
SCORE = "1,5"
GAP = re.compile(r"^còn thiếu (\d+(?:,\d+)?) điểm để đạt 80$")


def vn_number(text: str) -> Decimal:
    return Decimal(text.strip().replace(".", "").replace(",", "."))


@pytest.fixture
def reform_site(site):
    load_demo_reform(Agency.objects.get(code=DEMO_AGENCY_CODE))
    return site


def read_index(page: Page) -> tuple[Decimal, Decimal]:
    """The projected total and the gap to 80 as the page shows them."""
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Chỉ số cải cách hành chính năm {YEAR}")
    total = page.get_by_test_id("projected-total")
    expect(total).to_have_text(re.compile(r"^\d+(,\d+)?$"))
    expect(page.locator(".par-total")).to_contain_text("/100")
    gap = page.get_by_test_id("gap")
    expect(gap).to_have_text(GAP)
    return vn_number(total.inner_text()), vn_number(GAP.match(gap.inner_text()).group(1))


def test_reform_officer_adds_evidence_and_a_self_score_and_the_total_grows(reform_site: str, person, tmp_path: Path):
    page = person("cchc")
    page.goto(f"{reform_site}/cai-cach/chi-so-par/")
    total_before, gap_before = read_index(page)
    assert total_before + gap_before == 80
    expect(page.locator(".sample-note")).to_contain_text("Bộ tiêu chí mẫu")

    lost = page.get_by_role("region", name="Điểm bị mất ở đâu")
    item = lost.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=re.compile(rf"^{re.escape(CRITERION)}\. "))
    )
    expect(item).to_contain_text("còn 2/2 điểm")
    expect(item).to_contain_text("chưa chấm")
    item.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^{re.escape(CRITERION)}\. Sáng kiến"))
    expect(page.get_by_test_id("self-score")).to_have_text("Chưa chấm")

    evidence = page.get_by_role("form", name="Thêm tài liệu kiểm chứng")
    evidence.get_by_label("Tên tài liệu kiểm chứng").fill("Quyết định công nhận mô hình “Một cửa không chờ”")
    evidence.get_by_label(re.compile(r"^Tệp")).set_input_files(small_pdf(tmp_path / "quyet-dinh-cong-nhan.pdf"))
    evidence.get_by_role("button", name="Thêm tài liệu").click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm tài liệu kiểm chứng.")
    listed = page.get_by_role("region", name="Tài liệu kiểm chứng").locator(".evidence-list")
    expect(listed).to_contain_text("Quyết định công nhận mô hình “Một cửa không chờ”")
    expect(listed).to_contain_text("quyet-dinh-cong-nhan.pdf")

    scoring = page.get_by_role("form", name="Chấm điểm và ghi chú")
    scoring.get_by_label("Điểm tự đánh giá", exact=True).fill("5")
    scoring.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".field-error")).to_contain_text("Điểm tự đánh giá phải từ 0 đến 2.")
    expect(page.get_by_test_id("self-score")).to_have_text("Chưa chấm")

    scoring = page.get_by_role("form", name="Chấm điểm và ghi chú")
    scoring.get_by_label("Điểm tự đánh giá", exact=True).fill(SCORE)
    scoring.get_by_label("Ghi chú, giải trình").fill("Mô hình được Giám đốc Sở công nhận tháng 11.")
    scoring.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"Đã lưu tiêu chí {CRITERION}.")
    expect(page.get_by_test_id("self-score")).to_have_text(SCORE)

    page.get_by_role("navigation", name="Vị trí").get_by_role(
        "link", name=f"Chỉ số cải cách hành chính năm {YEAR}"
    ).click()
    total_after, gap_after = read_index(page)
    assert total_after == total_before + vn_number(SCORE)
    assert gap_after == gap_before - vn_number(SCORE)
    row = page.locator(
        "table.par-table tr", has=page.get_by_role("link", name=re.compile(rf"^{re.escape(CRITERION)}\. "))
    )
    expect(row).to_contain_text("1 tài liệu kiểm chứng")
