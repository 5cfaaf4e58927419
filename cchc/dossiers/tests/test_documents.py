"""The statutory forms and the tracking book, read back from the PDF and the spreadsheet."""

import unicodedata
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, NotFound
from cchc.dossiers.documents import (
    date_line,
    render_form,
    tracking_book_pdf,
    tracking_book_rows,
    tracking_book_xlsx,
)
from cchc.dossiers.models import Dossier

from .helpers import act, frozen, submit

MONDAY = datetime(2026, 3, 2, 8, 30, tzinfo=VN_TZ)
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TIMES_COMPATIBLE = ("LiberationSerif", "Tinos", "TimesNewRoman")


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text in NFC with whitespace collapsed (line breaks fall anywhere)."""
    reader = PdfReader(BytesIO(pdf))
    return [" ".join(unicodedata.normalize("NFC", page.extract_text()).split()) for page in reader.pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def appointment(moment: datetime) -> str:
    local = timezone.localtime(moment, VN_TZ)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def received(at: datetime = MONDAY) -> Dossier:
    with frozen(at - timedelta(minutes=30)):
        dossier = submit()
    with frozen(at):
        return act(dossier, "motcua", "receive")


def test_receipt_prints_two_copies_with_the_dossier_and_its_appointment(demo):
    dossier = received()
    pages = pages_text(render_form(dossier=dossier, form="receipt"))
    assert len(pages) == 2
    assert "Liên 1: Lưu tại Bộ phận Một cửa" in pages[0]
    assert "Liên 2: Giao người nộp hồ sơ" in pages[1]
    for page in pages:
        assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page
        assert NATIONAL_TITLE in page and MOTTO in page
        assert "UBND TỈNH BÌNH SƠN" in page and "SỞ GIAO THÔNG VẬN TẢI TỈNH BÌNH SƠN" in page
        assert "Bình Sơn, ngày 02 tháng 3 năm 2026" in page
        assert "Mẫu số 01" in page and "Thông tư số 03/2025/TT-VPCP" in page
        assert dossier.code in page
        assert "Nguyễn Văn An" in page and "001203004567" in page and "0912345678" in page
        assert "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp" in page
        assert "Ảnh màu cỡ 3x4 cm" in page
        assert "5 ngày làm việc" in page
        assert "08:30 ngày 02/03/2026" in page
        assert appointment(dossier.due_at) in page
        assert "Phạm Thu Dung" in page  # the officer who received it signs
        assert "Vào Sổ theo dõi hồ sơ năm 2026, số thứ tự 1" in page


def test_forms_embed_a_times_compatible_serif_that_covers_vietnamese(demo):
    pdf = render_form(dossier=received(), form="receipt")
    fonts = PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    names = [str(font.get_object()["/BaseFont"]).replace("-", "") for font in fonts.values()]
    # A missing font shows up as DejaVu (or nothing) here: run bin/system-deps.
    assert names and all(any(ok in name for ok in TIMES_COMPATIBLE) for name in names), names


def test_no_receipt_before_reception(demo):
    dossier = submit()
    with pytest.raises(NotFound, match="chưa được tiếp nhận"):
        render_form(dossier=dossier, form="receipt")
    with pytest.raises(NotFound, match="chưa được tiếp nhận"):
        render_form(dossier=dossier, form="control_slip")


def test_supplement_request_prints_the_latest_request(demo):
    with frozen(MONDAY - timedelta(hours=1)):
        dossier = submit()
        with pytest.raises(NotFound, match="không có yêu cầu bổ sung"):
            render_form(dossier=dossier, form="supplement_request")
        dossier = act(dossier, "motcua", "request_supplement", comment="Thiếu đơn", items=["Đơn đề nghị có chữ ký"])
        dossier = act(dossier, "congdan", "supplement", comment="Đã bổ sung")
    with frozen(MONDAY):
        dossier = act(dossier, "motcua", "receive")
        dossier = act(dossier, "motcua", "forward")
    with frozen(MONDAY + timedelta(days=1)):
        dossier = act(
            dossier,
            "chuyenvien",
            "request_supplement",
            comment="Ảnh chụp không rõ mặt",
            items=["Ảnh màu cỡ 3x4 cm chụp lại rõ nét", "Giấy khám sức khỏe còn hiệu lực"],
        )
    text = text_of(render_form(dossier=dossier, form="supplement_request"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "Mẫu số 02" in text
    assert NATIONAL_TITLE in text and dossier.code in text and "Nguyễn Văn An" in text
    assert "Ảnh màu cỡ 3x4 cm chụp lại rõ nét" in text and "Giấy khám sức khỏe còn hiệu lực" in text
    assert "Lý do: Ảnh chụp không rõ mặt" in text
    assert "Hoàng Văn Em" in text  # the officer to contact, who signs
    assert "Đơn đề nghị có chữ ký" not in text  # the earlier request, already answered
    assert "Bình Sơn, ngày 03 tháng 3 năm 2026" in text
    assert appointment(dossier.due_at) in text


def test_refusal_states_the_reason(demo):
    with frozen(MONDAY):
        dossier = submit()
        dossier = act(dossier, "motcua", "refuse", comment="Thủ tục không thuộc thẩm quyền của Sở")
    text = text_of(render_form(dossier=dossier, form="refusal"))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 03" in text
    assert NATIONAL_TITLE in text and dossier.code in text and "Nguyễn Văn An" in text
    assert "Thủ tục không thuộc thẩm quyền của Sở" in text
    assert "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp" in text


def test_a_dossier_never_refused_has_no_refusal(demo):
    with pytest.raises(NotFound, match="không bị từ chối"):
        render_form(dossier=received(), form="refusal")


def test_apology_gives_the_reason_and_the_new_appointment(demo):
    dossier = received()
    with pytest.raises(NotFound, match="chưa có phiếu xin lỗi"):
        render_form(dossier=dossier, form="apology")
    old_due = dossier.due_at
    new_due = old_due + timedelta(days=3)
    with frozen(MONDAY + timedelta(hours=2)):
        dossier = act(
            dossier, "lanhdao", "apologize", comment="Dữ liệu giấy phép lái xe đang được xác minh", new_due_at=new_due
        )
    text = text_of(render_form(dossier=dossier, form="apology"))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text and "Mẫu số 04" in text
    assert NATIONAL_TITLE in text and dossier.code in text
    assert "Kính gửi: Nguyễn Văn An" in text
    assert "08:30 ngày 02/03/2026" in text  # received at
    assert appointment(old_due) in text and appointment(new_due) in text
    assert "Dữ liệu giấy phép lái xe đang được xác minh" in text
    assert "Vũ Đức Giang" in text


def test_stop_notice_gives_the_reason(demo):
    dossier = received()
    with pytest.raises(NotFound, match="không bị dừng xử lý"):
        render_form(dossier=dossier, form="stop_notice")
    with frozen(MONDAY + timedelta(hours=2)):
        dossier = act(dossier, "lanhdao", "stop", comment="Người nộp đề nghị dừng để bổ sung giấy tờ khác")
    text = text_of(render_form(dossier=dossier, form="stop_notice"))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 05" in text
    assert NATIONAL_TITLE in text and dossier.code in text and "Nguyễn Văn An" in text
    assert "Người nộp đề nghị dừng để bổ sung giấy tờ khác" in text
    assert appointment(dossier.due_at) in text


def test_control_slip_has_a_row_per_step_with_its_result(demo):
    dossier = received()
    with frozen(MONDAY + timedelta(hours=1)):
        dossier = act(dossier, "motcua", "forward", comment="Hồ sơ đầy đủ")
        dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
    with frozen(MONDAY + timedelta(days=1)):
        dossier = act(dossier, "chuyenvien", "forward", comment="Đủ điều kiện, đề nghị trình ký")
    text = text_of(render_form(dossier=dossier, form="control_slip"))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 06" in text
    assert NATIONAL_TITLE in text and dossier.code in text and "Nguyễn Văn An" in text
    assert "Phòng Quản lý vận tải, phương tiện và người lái" in text  # the lead unit
    assert "Tiếp nhận, kiểm tra hồ sơ và chuyển xử lý" in text
    assert "Thẩm định hồ sơ, đối chiếu dữ liệu giấy phép lái xe, dự thảo kết quả" in text
    # Reception handed over on the day its 4-hour budget ended; appraisal a day before its due day.
    assert text.count("Đúng hạn") == 1 and text.count("Trước hạn") == 1
    assert "Đang xử lý" in text  # the step still open
    assert "Đủ điều kiện, đề nghị trình ký" in text and "Hoàng Văn Em" in text
    assert appointment(dossier.due_at) in text


def test_a_2018_dossier_prints_the_forms_of_circular_01_2018(demo):
    dossier = received()
    Dossier.objects.filter(pk=dossier.pk).update(regime="2018")
    text = text_of(render_form(dossier=dossier, form="control_slip"))
    assert "Mẫu số 05" in text and "Thông tư số 01/2018/TT-VPCP" in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    with frozen(MONDAY + timedelta(hours=2)):
        act(dossier, "lanhdao", "apologize", comment="Chờ xác minh", new_due_at=dossier.due_at + timedelta(days=2))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text_of(render_form(dossier=dossier, form="apology"))
    with pytest.raises(NotFound, match="01/2018/TT-VPCP"):
        render_form(dossier=dossier, form="stop_notice")


def test_unknown_form_is_not_found(demo):
    with pytest.raises(NotFound):
        render_form(dossier=received(), form="tracking_book")


def test_date_line_writes_leading_zeros_as_decree_30_asks():
    assert date_line("Bình Sơn", date(2026, 2, 5)) == "Bình Sơn, ngày 05 tháng 02 năm 2026"
    assert date_line("Bình Sơn", date(2026, 3, 5)) == "Bình Sơn, ngày 05 tháng 3 năm 2026"
    assert date_line("Bình Sơn", datetime(2026, 11, 26, 20, 0, tzinfo=UTC)) == (
        "Bình Sơn, ngày 27 tháng 11 năm 2026"  # 03:00 on the 27th in Vietnam
    )


# ---------------------------------------------------------------- the tracking book


@pytest.fixture
def three_days(demo):
    """Dossiers received on Monday, Tuesday and Thursday of the same week."""
    return [received(MONDAY), received(MONDAY + timedelta(days=1)), received(MONDAY + timedelta(days=3))]


def test_tracking_book_spreadsheet_lists_the_dossiers_of_the_range(demo, three_days):
    monday, tuesday, thursday = three_days
    data = tracking_book_xlsx(agency=demo, date_from=date(2026, 3, 2), date_to=date(2026, 3, 3))
    sheet = load_workbook(BytesIO(data)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    titles = " ".join(str(row[0]) for row in cells[:4])
    assert "SỔ THEO DÕI HỒ SƠ" in titles and "Mẫu số 07" in titles
    assert "Từ ngày 02/03/2026 đến ngày 03/03/2026" in titles
    header_index = next(i for i, row in enumerate(cells) if row[1] == "Mã hồ sơ")
    header = cells[header_index]
    assert header[0] == "STT" and "Hẹn trả kết quả" in header and "Ký nhận" in header
    assert sheet.freeze_panes == f"A{header_index + 2}"
    body = cells[header_index + 1 :]
    assert [row[1] for row in body] == [monday.code, tuesday.code]
    assert thursday.code not in {row[1] for row in body}
    first = body[0]
    assert first[0] == 1 and first[2] == "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp"
    assert first[4] == "Nguyễn Văn An" and "0912345678" in first[5]
    assert first[6] == "Phòng Quản lý vận tải, phương tiện và người lái"
    assert first[7] == datetime(2026, 3, 2, 8, 30)  # Vietnam wall-clock time
    assert sheet.cell(row=header_index + 2, column=8).number_format == "dd/mm/yyyy hh:mm"
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


def test_tracking_book_numbers_continue_the_year(demo, three_days):
    rows = tracking_book_rows(agency=demo, date_from=date(2026, 3, 3), date_to=date(2026, 3, 6))
    assert [(row.number, row.code) for row in rows] == [(2, three_days[1].code), (3, three_days[2].code)]
    assert "số thứ tự 3" in text_of(render_form(dossier=three_days[2], form="receipt"))


def test_tracking_book_reads_in_a_fixed_number_of_queries(demo, three_days):
    with CaptureQueriesContext(connection) as few:
        tracking_book_rows(agency=demo, date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    with CaptureQueriesContext(connection) as more:
        rows = tracking_book_rows(agency=demo, date_from=date(2026, 3, 2), date_to=date(2026, 3, 6))
    assert len(rows) == 3
    assert len(more.captured_queries) == len(few.captured_queries) == 2


def test_tracking_book_pdf_renders_on_landscape_pages(demo, three_days):
    pdf = tracking_book_pdf(agency=demo, date_from=date(2026, 3, 2), date_to=date(2026, 3, 6))
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = text_of(pdf)
    assert "SỔ THEO DÕI HỒ SƠ" in text and NATIONAL_TITLE in text
    assert "Từ ngày 02/03/2026 đến ngày 06/03/2026" in text
    assert "Nguyễn Văn An" in text and "02/03/2026 08:30" in text


def test_tracking_book_refuses_a_reversed_range(demo):
    with pytest.raises(ApplicationError, match="Ngày bắt đầu"):
        tracking_book_rows(agency=demo, date_from=date(2026, 3, 6), date_to=date(2026, 3, 2))
