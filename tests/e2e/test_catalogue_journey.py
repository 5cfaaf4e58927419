"""A citizen on a phone looks up a procedure: home → search → result card → procedure page."""

import re

import pytest
from playwright.sync_api import Page, expect

from cchc.demo.loader import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE_CODE = "1.000010"
PROCEDURE_NAME = "Đổi giấy phép lái xe"
PHRASE = re.compile("giấy phép lái xe", re.IGNORECASE)
RESULT_COUNT = re.compile(r"Tìm thấy (\d+) thủ tục")
DUE = re.compile(r"^\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}$")


@pytest.fixture
def site(live_server):
    """The live server's URL, with the demo catalogue (a transactional test may have flushed it)."""
    load_demo()
    return live_server.url


def search_from_home(page: Page, site: str, words: str) -> int:
    """Type ``words`` in the home page's search box, submit, and return the announced result count."""
    page.goto(f"{site}/")
    page.get_by_label("Tìm thủ tục hành chính").fill(words)
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q="))
    count = page.locator("p.result-count")
    expect(count).to_contain_text(RESULT_COUNT)
    expect(count).to_contain_text(f"“{words}”")
    return int(RESULT_COUNT.search(count.inner_text()).group(1))


def check_driving_licence_results(page: Page) -> None:
    titles = page.locator("li.card a.card-title")
    expect(titles.first).to_contain_text(PHRASE)
    matching = [t for t in titles.all_inner_texts() if PHRASE.search(t)]
    assert len(matching) >= 3, f"expected ≥3 driving-licence procedures, got {matching}"


def open_procedure_and_check(page: Page) -> None:
    card = page.locator("li.card").filter(has=page.locator(f"a.card-title[href$='/thu-tuc/{PROCEDURE_CODE}/']"))
    expect(card).to_have_count(1)
    card.locator("a.card-title").click()

    expect(page).to_have_url(re.compile(rf"/thu-tuc/{re.escape(PROCEDURE_CODE)}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROCEDURE_NAME)

    appointment = page.locator("aside.appointment")
    expect(appointment).to_contain_text("Hẹn trả kết quả")
    expect(appointment.locator("strong.due")).to_have_text(DUE)

    components = page.locator("section", has=page.get_by_role("heading", name="Thành phần hồ sơ"))
    expect(components.get_by_role("table")).to_be_visible()
    expect(components.locator("tbody tr").first).to_be_visible()

    steps = page.locator("section", has=page.get_by_role("heading", name="Quy trình giải quyết nội bộ"))
    expect(steps.locator("ol.steps > li").first).to_be_visible()


def test_search_without_diacritics_then_open_procedure(page: Page, site: str):
    count = search_from_home(page, site, "giay phep lai xe")
    assert count >= 3
    check_driving_licence_results(page)
    open_procedure_and_check(page)


def test_upper_case_with_diacritics_finds_the_same_procedures(page: Page, site: str):
    plain = search_from_home(page, site, "giay phep lai xe")
    plain_titles = page.locator("li.card a.card-title").all_inner_texts()

    accented = search_from_home(page, site, "GIẤY PHÉP LÁI XE")
    assert accented == plain
    assert page.locator("li.card a.card-title").all_inner_texts() == plain_titles


def test_journey_works_without_javascript(context_factory, site: str):
    page = context_factory(java_script_enabled=False).new_page()
    count = search_from_home(page, site, "giay phep lai xe")
    assert count >= 3
    check_driving_licence_results(page)
    open_procedure_and_check(page)
