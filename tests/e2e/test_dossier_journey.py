"""An online dossier from submission to returned result, each person in their own browser.

congdan submits a driving-licence exchange online; the one-stop officer receives it and hands
it on; the specialist, the unit head and the leader take their steps; the officer returns the
result; congdan sees "Đã trả kết quả" and downloads the receipt, which carries the code.
"""

import io
import re
import struct
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from cchc.demo.loader import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE_CODE = "1.000010"
AGENCY_CODE = "000.00.12.H99"
CODE = re.compile(rf"{re.escape(AGENCY_CODE)}-\d{{6}}-\d{{4}}")
VN = ZoneInfo("Asia/Ho_Chi_Minh")
SCREENSHOT = Path("/tmp/e2e-citizen-detail.png")

APPLICANT = {
    "Họ và tên (hoặc tên tổ chức, doanh nghiệp)": "Nguyễn Văn An",
    "Số định danh cá nhân": "034095001234",
    "Số điện thoại": "0912000001",
    "Thư điện tử": "congdan@example.vn",
    "Địa chỉ": "Số 12 đường Lê Lợi, phường Đông Thành, thành phố Bình Sơn",
}
SPECIALIST_COMMENT = "Đã đối chiếu dữ liệu giấy phép lái xe, hồ sơ hợp lệ; đề nghị cấp đổi."


@pytest.fixture
def site(live_server):
    """The live server's URL, with the demo accounts and catalogue (a transactional test may have flushed them)."""
    load_demo()
    return live_server.url


@pytest.fixture
def person(context_factory, login):
    """``person(username)``: a page in that person's own browser context, signed in."""

    def open_as(username: str) -> Page:
        return login(context_factory().new_page(), username)

    return open_as


def small_pdf(path: Path) -> Path:
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def small_png(path: Path) -> Path:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path


def today_codes() -> set[str]:
    """yymmdd of today in Vietnam (and of a minute ago, should the journey cross midnight)."""
    now = datetime.now(VN)
    return {f"{now:%y%m%d}", f"{now - timedelta(minutes=1):%y%m%d}"}


def action_form(page: Page, action: str):
    return page.get_by_role("form", name=action, exact=True)


def act(page: Page, action: str, *, comment: str = "") -> None:
    """Take an action from the back-office dossier page and check the officer is told it was done."""
    form = action_form(page, action)
    expect(form).to_be_visible()
    if comment:
        form.get_by_label(re.compile("^Ý kiến")).fill(comment)
    form.get_by_role("button", name=action, exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"Đã thực hiện: {action}.")


def office_status(page: Page):
    facts = page.locator("dl.facts").first
    return facts.locator("dt", has_text="Trạng thái").locator("xpath=following-sibling::dd[1]")


def open_from_desk(page: Page, site: str, code: str, tab: str) -> None:
    """From the staff desk's tab ``tab``, open the dossier ``code``."""
    page.goto(f"{site}/can-bo/ho-so/")
    page.get_by_role("navigation", name="Danh sách hồ sơ").get_by_role("link", name=re.compile(f"^{tab}")).click()
    expect(page.get_by_role("heading", level=2, name=tab)).to_be_visible()
    page.get_by_role("table").get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")


# ---------------------------------------------------------------- the people


def citizen_submits(page: Page, site: str, tmp_path: Path) -> str:
    page.goto(f"{site}/thu-tuc/{PROCEDURE_CODE}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")

    page.get_by_role("radio", name="Cá nhân", exact=True).check()
    for label, value in APPLICANT.items():
        page.get_by_label(label, exact=True).fill(value)

    uploads = page.locator("section", has=page.get_by_role("heading", name="Giấy tờ trong hồ sơ"))
    labels = uploads.locator("label").all_inner_texts()
    assert len(labels) == 5, labels
    names = []
    for number, label in enumerate(labels, start=1):
        if label.startswith(f"{number}. Ảnh"):
            file = small_png(tmp_path / f"anh-chan-dung-{number}.png")
        else:
            file = small_pdf(tmp_path / f"giay-to-{number}.pdf")
        page.get_by_label(label, exact=True).set_input_files(file)
        names.append(file.name)
    assert any(n.endswith(".png") for n in names), labels

    page.get_by_role("group", name="Nhận kết quả").get_by_role("radio", name="Tại Bộ phận Một cửa").check()
    page.get_by_role("button", name="Tiếp tục: kiểm tra hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra hồ sơ trước khi nộp")
    documents = page.locator("section", has=page.get_by_role("heading", name="Giấy tờ", exact=True))
    for name in names:
        expect(documents.get_by_role("cell", name=name, exact=True)).to_be_visible()
    people = page.locator("section", has=page.get_by_role("heading", name="Người nộp hồ sơ"))
    expect(people).to_contain_text(APPLICANT["Số định danh cá nhân"])
    expect(people).to_contain_text("Tại Bộ phận Một cửa")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(rf"^Hồ sơ {CODE.pattern}$"))
    code = heading.inner_text().removeprefix("Hồ sơ ").strip()
    assert code.split("-")[1] in today_codes(), code
    expect(page.locator(".messages")).to_contain_text(f"Mã hồ sơ của bạn là {code}")
    expect(page.locator(".badge-status")).to_have_text("Đã nộp trực tuyến, chờ tiếp nhận")
    return code


def officer_receives_and_forwards(page: Page, site: str, code: str) -> None:
    open_from_desk(page, site, code, "Chờ tiếp nhận")
    expect(office_status(page)).to_have_text("Đã nộp trực tuyến, chờ tiếp nhận")
    act(page, "Tiếp nhận hồ sơ")
    expect(office_status(page)).to_have_text("Đã tiếp nhận")
    expect(page.locator("dl.facts").first).to_contain_text("Hẹn trả kết quả")
    act(page, "Chuyển bước tiếp theo")


def specialist_forwards(page: Page, site: str, code: str) -> None:
    open_from_desk(page, site, code, "Việc của tôi")
    expect(office_status(page)).to_have_text("Đang giải quyết")
    act(page, "Chuyển bước tiếp theo", comment=SPECIALIST_COMMENT)


def unit_head_forwards(page: Page, site: str, code: str) -> None:
    open_from_desk(page, site, code, "Việc của tôi")
    expect(page.get_by_role("region", name="Lịch sử xử lý")).to_contain_text(SPECIALIST_COMMENT)
    act(page, "Chuyển bước tiếp theo")


def leader_approves(page: Page, site: str, code: str) -> None:
    open_from_desk(page, site, code, "Việc của tôi")
    act(page, "Phê duyệt")
    expect(office_status(page)).to_have_text("Đã phê duyệt")


def officer_returns_result(page: Page, site: str, code: str) -> None:
    open_from_desk(page, site, code, "Việc của tôi")
    act(page, "Chuyển kết quả về Một cửa")
    expect(office_status(page)).to_have_text("Đã có kết quả, chờ trả")
    form = action_form(page, "Trả kết quả")
    expect(form.get_by_label("Hình thức trả kết quả")).to_have_value("counter")
    act(page, "Trả kết quả")
    expect(office_status(page)).to_have_text("Đã trả kết quả")


def citizen_sees_result_and_receipt(page: Page, code: str) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=code, exact=True))
    expect(row).to_contain_text("Đã trả kết quả")
    row.get_by_role("link", name=code, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    expect(page.locator(".badge-status")).to_have_text("Đã trả kết quả")
    expect(page.locator("dl.facts")).to_contain_text("Trả kết quả lúc")

    receipt = page.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    href = receipt.get_attribute("href")
    assert href == f"/ho-so/{code}/van-ban/receipt/", href
    # Served inline (the browser would show it, not download it): fetch it with the citizen's cookies.
    response = page.request.get(receipt.evaluate("a => a.href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(response.body())).pages)
    assert code in text, text[:500]


# ---------------------------------------------------------------- the journey


def test_online_dossier_goes_from_citizen_through_every_step_back_to_citizen(person, site: str, tmp_path: Path):
    citizen = person("congdan")
    code = citizen_submits(citizen, site, tmp_path)

    officer = person("motcua")
    officer_receives_and_forwards(officer, site, code)
    specialist_forwards(person("chuyenvien"), site, code)
    unit_head_forwards(person("truongphong"), site, code)
    leader_approves(person("lanhdao"), site, code)
    officer_returns_result(officer, site, code)

    citizen_sees_result_and_receipt(citizen, code)
    citizen.screenshot(path=str(SCREENSHOT), full_page=True)
