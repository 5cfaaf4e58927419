"""How many actions the everyday journeys take, on a phone (390×844), with their targets (issue 14).

An action is what a person does with the page: a click, a field typed, a file chosen, a box ticked, a
choice selected. Signing in is not counted (each person signs in once a day), nor is opening the
page a journey starts from (the procedure's page, the desk the staff land on after signing in).

- the citizen's first full-process dossier, fee paid online (target ≤ 15);
- a second dossier of the same procedure (≤ 5): prefilled from the profile, papers from the store;
- the officers' processing of the first one, reception to the result back with the citizen (≤ 12);
- a walk-in dossier of four documents taken at the counter with its fee (≤ 12).

The test fails when a journey needs more than its target and prints the counts. With
`CCHC_E2E_SCREENSHOTS=<folder>` it saves a phone-width screenshot after every action there.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from .journey import CODE, office_status, small_pdf, small_png

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE = "1.000010"  # Đổi giấy phép lái xe: five components, fee online at submission, electronic result
COUNTER_PROCEDURE = "1.002804"  # Cấp lại giấy phép lái xe bị mất: four components, 135.000 đ
TARGETS = {"citizen_first": 15, "citizen_second": 5, "officers": 12, "counter_intake": 12}


class Meter:
    """Counts a journey's actions and, when asked, takes a screenshot after each one."""

    def __init__(self, journey: str, shots: Path | None):
        self.journey = journey
        self.shots = shots
        self.count = 0

    def _done(self, page: Page, what: str) -> None:
        self.count += 1
        if self.shots is not None:
            page.wait_for_load_state()
            slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")[:40]
            page.screenshot(path=str(self.shots / f"{self.journey}-{self.count:02d}-{slug}.png"), full_page=True)

    def click(self, locator: Locator, what: str) -> None:
        locator.click()
        self._done(locator.page, what)

    def fill(self, locator: Locator, value: str, what: str) -> None:
        locator.fill(value)
        self._done(locator.page, what)

    def upload(self, locator: Locator, file: Path, what: str) -> None:
        locator.set_input_files(file)
        self._done(locator.page, what)

    def check(self, locator: Locator, what: str) -> None:
        locator.check()
        self._done(locator.page, what)


@pytest.fixture
def shots() -> Path | None:
    folder = os.environ.get("CCHC_E2E_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def measured_site(site: str, live_simulators: str, settings, signing: Path) -> str:
    settings.VNPAY_PAY_URL = ""
    settings.VNPAY_API_URL = ""
    settings.CCHC_PUBLIC_URL = site
    return site


def _accept_privacy_notice_if_asked(page: Page, meter: Meter) -> None:
    if "/du-lieu-ca-nhan/" in page.url or page.get_by_role("button", name="Đồng ý và tiếp tục").count():
        meter.check(page.get_by_role("checkbox"), "dong y xu ly du lieu")
        meter.click(page.get_by_role("button", name="Đồng ý và tiếp tục"), "dong y va tiep tuc")


def _pay_online(page: Page, meter: Meter) -> None:
    meter.click(page.get_by_role("button", name="Nộp phí trực tuyến (VNPAY)"), "nop phi")
    meter.click(page.get_by_role("button", name="Thanh toán", exact=True), "thanh toan")
    expect(page.get_by_role("status")).to_contain_text("Thanh toán thành công.")


def _submit_and_read_code(page: Page, meter: Meter) -> str:
    meter.click(page.get_by_role("button", name="Tiếp tục: kiểm tra hồ sơ"), "tiep tuc kiem tra")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra hồ sơ trước khi nộp")
    meter.click(page.get_by_role("button", name="Nộp hồ sơ", exact=True), "nop ho so")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(rf"^Hồ sơ {CODE.pattern}$"))
    return heading.inner_text().removeprefix("Hồ sơ ").strip()


def citizen_first_dossier(page: Page, site: str, tmp_path: Path, meter: Meter) -> str:
    page.goto(f"{site}/thu-tuc/{PROCEDURE}/")
    meter.click(page.get_by_role("link", name="Nộp hồ sơ trực tuyến"), "nop truc tuyen")
    _accept_privacy_notice_if_asked(page, meter)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    # Name, phone and e-mail come from the account; the return method defaults to online.
    expect(page.get_by_label("Họ và tên (hoặc tên tổ chức, doanh nghiệp)")).to_have_value("Nguyễn Văn An")
    meter.fill(page.get_by_label("Số định danh cá nhân", exact=True), "034095001234", "so dinh danh")
    meter.fill(page.get_by_label("Địa chỉ", exact=True), "Số 12 đường Lê Lợi, phường Đông Thành", "dia chi")
    inputs = page.locator("input[type=file]")
    expect(inputs).to_have_count(5)
    for number in range(5):
        field = inputs.nth(number)
        label = page.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
        is_photo = label.split(". ", 1)[-1].startswith("Ảnh")
        file = small_png(tmp_path / f"anh-{number}.png") if is_photo else small_pdf(tmp_path / f"giay-{number}.pdf")
        meter.upload(field, file, f"tep {number + 1}")
    code = _submit_and_read_code(page, meter)
    _pay_online(page, meter)
    return code


def citizen_second_dossier(page: Page, site: str, meter: Meter) -> str:
    page.goto(f"{site}/thu-tuc/{PROCEDURE}/")
    meter.click(page.get_by_role("link", name="Nộp hồ sơ trực tuyến"), "nop truc tuyen")
    # Everything from the first: the profile's data, and per component the paper stored with it.
    expect(page.get_by_label("Số định danh cá nhân", exact=True)).to_have_value("034095001234")
    expect(page.locator("input.paper-choice:checked, .paper-choice input:checked")).to_have_count(5)
    code = _submit_and_read_code(page, meter)
    _pay_online(page, meter)
    return code


def _open_from_desk(page: Page, code: str, meter: Meter) -> None:
    """The desk the officer landed on lists the work first: the dossier is one click away."""
    meter.click(page.get_by_role("table").get_by_role("link", name=code, exact=True), f"mo {code[-4:]}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")


def _act(page: Page, action: str, meter: Meter) -> None:
    form = page.get_by_role("form", name=action, exact=True)
    meter.click(form.get_by_role("button", name=action, exact=True), action)
    expect(page.locator(".messages")).to_contain_text(f"Đã thực hiện: {action}")


def officers_process(person, code: str, meter: Meter) -> None:
    officer = person("motcua")
    _open_from_desk(officer, code, meter)
    _act(officer, "Tiếp nhận hồ sơ", meter)  # and on to the processing unit
    for username, action in (("chuyenvien", "Chuyển bước tiếp theo"), ("truongphong", "Chuyển bước tiếp theo")):
        page = person(username)
        _open_from_desk(page, code, meter)
        _act(page, action, meter)
    leader = person("lanhdao")
    _open_from_desk(leader, code, meter)
    _act(leader, "Phê duyệt", meter)  # signs, and the online result goes back to the citizen
    expect(office_status(leader)).to_have_text("Đã trả kết quả")


def counter_intake(page: Page, meter: Meter) -> None:
    meter.click(page.get_by_role("link", name="Tiếp nhận hồ sơ trực tiếp tại quầy").first, "tiep nhan tai quay")
    meter.fill(page.get_by_label("Tìm thủ tục (tên hoặc mã)"), "cấp lại giấy phép lái xe bị mất", "tim thu tuc")
    meter.click(page.get_by_role("button", name="Chọn", exact=True), "chon thu tuc")
    expect(page.locator("#ho-so")).to_contain_text(COUNTER_PROCEDURE)
    meter.fill(page.get_by_label(re.compile(r"^Họ và tên \(hoặc tên tổ chức\)")), "Lê Thị Hoa", "ho ten")
    meter.fill(page.get_by_label("Số định danh cá nhân (12 số)"), "001199012345", "so dinh danh")
    meter.fill(page.get_by_label(re.compile(r"^Điện thoại")), "0987000111", "dien thoai")
    papers = page.get_by_role("checkbox", name="Đã nhận bản giấy")
    expect(papers).to_have_count(4)
    for number in range(4):
        meter.check(papers.nth(number), f"ban giay {number + 1}")
    meter.check(page.get_by_role("checkbox", name=re.compile("^Đã thu phí, lệ phí")), "da thu phi")
    meter.click(page.get_by_role("button", name="Tiếp nhận", exact=True), "tiep nhan")
    expect(page.get_by_role("heading", name="Đã tiếp nhận hồ sơ")).to_be_visible()
    expect(page.locator(".appointment")).to_contain_text("Đã thu phí, lệ phí: 135.000 đ")


def test_everyday_journeys_stay_within_their_action_targets(
    person, measured_site: str, tmp_path: Path, shots: Path | None, capsys
):
    site = measured_site
    counts = {}
    citizen = person("congdan")
    first = Meter("citizen_first", shots)
    code = citizen_first_dossier(citizen, site, tmp_path, first)
    counts["citizen_first"] = first.count

    second = Meter("citizen_second", shots)
    citizen_second_dossier(citizen, site, second)
    counts["citizen_second"] = second.count

    officers = Meter("officers", shots)
    officers_process(person, code, officers)
    counts["officers"] = officers.count

    counter = Meter("counter_intake", shots)
    counter_intake(person("motcua"), counter)
    counts["counter_intake"] = counter.count

    with capsys.disabled():
        print("\nactions per journey (target):", ", ".join(f"{k} {v} (≤ {TARGETS[k]})" for k, v in counts.items()))
    over = {k: v for k, v in counts.items() if v > TARGETS[k]}
    assert not over, f"over target: {over}; all counts: {counts}"
