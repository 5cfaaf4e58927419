"""Steps the dossier journeys share: small real files, submitting online, the back office's actions.

Each step is what a person does in the browser and what they should see; the journeys in
``test_*_journey.py`` string them together.
"""

import io
import re
import struct
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import APIResponse, Locator, Page, expect
from pypdf import PdfReader

from cchc.core.text import fold

AGENCY_CODE = "000.00.12.H99"
CODE = re.compile(rf"{re.escape(AGENCY_CODE)}-\d{{6}}-\d{{4}}")
VN = ZoneInfo("Asia/Ho_Chi_Minh")
SUBMITTED = "Đã nộp trực tuyến, chờ tiếp nhận"


# ---------------------------------------------------------------- files


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


def pdf_text(body: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)


def fetch(page: Page, link: Locator) -> APIResponse:
    """GET a link's target with the page's cookies (a PDF the browser would show or save instead)."""
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok, response.status
    return response


def today_codes() -> set[str]:
    """yymmdd of today in Vietnam (and of a minute ago, should the journey cross midnight)."""
    now = datetime.now(VN)
    return {f"{now:%y%m%d}", f"{now - timedelta(minutes=1):%y%m%d}"}


# ---------------------------------------------------------------- the applicant


def submit_online(
    page: Page,
    site: str,
    tmp_path: Path,
    *,
    procedure: str,
    kind: str,
    applicant: dict[str, str],
    return_method: str,
    uploads: int,
    agency: tuple[str, str] | None = None,
    return_point: str = "",
) -> str:
    """From the procedure's page, fill in the online form, upload one file per component, check the
    review page and submit; returns the dossier's code. `agency` (name, code): where several
    agencies offer the procedure, the applicant finds that one by its name typed without accents
    and chooses it; the code is then that agency's. `return_point`: the name of another one-stop point
    of the province where the result is to be collected at the counter."""
    page.goto(f"{site}/thu-tuc/{procedure}/")
    code_pattern = CODE
    if agency is not None:
        name, agency_code = agency
        page.get_by_label("Tìm xã, phường, cơ quan (gõ có dấu hoặc không dấu)").fill(fold(name))
        page.get_by_role("button", name="Tìm", exact=True).click()
        page.locator("ul.agency-list").get_by_role("link", name=name, exact=True).click()
        expect(page.locator(".agency-choice")).to_contain_text(f"Đang xem thủ tục tại {name}")
        code_pattern = re.compile(rf"{re.escape(agency_code)}-\d{{6}}-\d{{4}}")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")

    page.get_by_role("radio", name=kind, exact=True).check()
    for label, value in applicant.items():
        page.get_by_label(label, exact=True).fill(value)

    section = page.locator("section", has=page.get_by_role("heading", name="Giấy tờ trong hồ sơ"))
    inputs = section.locator("input[type=file]")
    expect(inputs).to_have_count(uploads)
    names = []
    for number in range(1, uploads + 1):
        field = inputs.nth(number - 1)
        label = section.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
        assert label.startswith(f"{number}. "), label
        if label.startswith(f"{number}. Ảnh"):
            file = small_png(tmp_path / f"anh-chan-dung-{number}.png")
        else:
            file = small_pdf(tmp_path / f"giay-to-{number}.pdf")
        page.get_by_label(label, exact=True).set_input_files(file)
        names.append(file.name)

    page.get_by_role("group", name="Nhận kết quả").get_by_role("radio", name=return_method, exact=True).check()
    if return_point:
        page.get_by_label("Nơi nhận kết quả trực tiếp").select_option(label=return_point)
    page.get_by_role("button", name="Tiếp tục: kiểm tra hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra hồ sơ trước khi nộp")
    documents = page.locator("section", has=page.get_by_role("heading", name="Giấy tờ", exact=True))
    for name in names:
        expect(documents.get_by_role("cell", name=name, exact=True)).to_be_visible()
    people = page.locator("section", has=page.get_by_role("heading", name="Người nộp hồ sơ"))
    expect(people).to_contain_text(kind)
    expect(people).to_contain_text(return_method)
    if return_point:
        expect(people).to_contain_text(return_point)
    for value in applicant.values():
        expect(people).to_contain_text(value)
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(rf"^Hồ sơ {code_pattern.pattern}$"))
    code = heading.inner_text().removeprefix("Hồ sơ ").strip()
    assert code.split("-")[1] in today_codes(), code
    expect(page.locator(".messages")).to_contain_text(f"Mã hồ sơ của bạn là {code}")
    expect(page.locator(".badge-status")).to_have_text(SUBMITTED)
    return code


def open_my_dossier(page: Page, code: str, *, status: str) -> None:
    """Through "Hồ sơ của tôi", open the dossier ``code``, listed (and shown) with ``status``."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=code, exact=True))
    expect(row).to_contain_text(status)
    row.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    expect(page.locator(".badge-status")).to_have_text(status)


# ---------------------------------------------------------------- the back office


def action_form(page: Page, action: str) -> Locator:
    return page.get_by_role("form", name=action, exact=True)


def act(page: Page, action: str, *, comment: str = "") -> None:
    """Take an action from the back-office dossier page and check the officer is told it was done."""
    form = action_form(page, action)
    expect(form).to_be_visible()
    if comment:
        form.get_by_label(re.compile("^Ý kiến")).fill(comment)
    form.get_by_role("button", name=action, exact=True).click()
    # The process's own next steps follow in the same click ("Tiếp nhận hồ sơ, Chuyển bước tiếp theo.").
    expect(page.locator(".messages")).to_contain_text(f"Đã thực hiện: {action}")


def office_status(page: Page) -> Locator:
    facts = page.locator("dl.facts").first
    return facts.locator("dt", has_text="Trạng thái").locator("xpath=following-sibling::dd[1]")


def open_from_desk(page: Page, site: str, code: str, tab: str) -> None:
    """From the staff desk's tab ``tab``, open the dossier ``code``."""
    page.goto(f"{site}/can-bo/ho-so/")
    page.get_by_role("navigation", name="Danh sách hồ sơ").get_by_role("link", name=re.compile(f"^{tab}")).click()
    expect(page.get_by_role("heading", level=2, name=tab)).to_be_visible()
    page.get_by_role("table").get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")


def officer_receives_and_forwards(page: Page, site: str, code: str) -> None:
    """One click: received, and handed to the processing unit as the process's first step says."""
    open_from_desk(page, site, code, "Chờ tiếp nhận")
    expect(office_status(page)).to_have_text(SUBMITTED)
    act(page, "Tiếp nhận hồ sơ")
    expect(page.locator(".messages")).to_contain_text("Chuyển bước tiếp theo")
    expect(office_status(page)).to_have_text("Đang giải quyết")
    expect(page.locator("dl.facts").first).to_contain_text("Hẹn trả kết quả")


def specialist_forwards(page: Page, site: str, code: str, *, comment: str) -> None:
    open_from_desk(page, site, code, "Việc của tôi")
    expect(office_status(page)).to_have_text("Đang giải quyết")
    act(page, "Chuyển bước tiếp theo", comment=comment)


def unit_head_forwards(page: Page, site: str, code: str, *, specialist_comment: str) -> None:
    open_from_desk(page, site, code, "Việc của tôi")
    expect(page.get_by_role("region", name="Lịch sử xử lý")).to_contain_text(specialist_comment)
    act(page, "Chuyển bước tiếp theo")


SIGN = "Ký số kết quả điện tử"


def leader_approves(page: Page, site: str, code: str, *, status: str = "Đã phê duyệt") -> None:
    """The leader approves; an electronic result is signed in the same click (and, to be returned
    online, goes back to the applicant at once: `status` "Đã trả kết quả")."""
    open_from_desk(page, site, code, "Việc của tôi")
    act(page, "Phê duyệt")
    expect(office_status(page)).to_have_text(status)
    panel = page.get_by_role("region", name="Kết quả điện tử")
    expect(panel).to_contain_text("Đã ký số bởi")
    expect(page.get_by_role("form", name=SIGN, exact=True)).to_have_count(0)


def officer_returns_result(page: Page, site: str, code: str, *, method: str) -> None:
    """The one-stop officer takes the result back and returns it (``method``: the return method's value)."""
    open_from_desk(page, site, code, "Việc của tôi")
    act(page, "Chuyển kết quả về Một cửa")
    expect(office_status(page)).to_have_text("Đã có kết quả, chờ trả")
    form = action_form(page, "Trả kết quả")
    expect(form.get_by_label("Hình thức trả kết quả")).to_have_value(method)
    act(page, "Trả kết quả")
    expect(office_status(page)).to_have_text("Đã trả kết quả")
