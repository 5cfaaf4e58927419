"""The monthly briefing per unit: on screen, as .xlsx and as PDF, with the right figures."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from unittest import mock

import pytest
from openpyxl import load_workbook

from cchc.plans import services
from cchc.plans.workflow import TaskStatus

from .conftest import YEAR, fields, unit, user

MARCH = "2026-03"


def fake_index(*, date_from, date_to, agency=None, unit=None, **kwargs):
    """On-time 91.5 % in March alone, 97.25 % from January; online dossiers: nothing measured."""
    on_time = 91.5 if date_from == date(YEAR, 3, 1) else 97.25
    return {
        "groups": [
            {
                "indicators": [
                    {"code": "progress.on_time", "value": on_time, "counted": True},
                    {"code": "online.dossiers", "value": None, "counted": False},
                ]
            }
        ]
    }


@pytest.fixture
def meeting(plan):
    officer = user("cchc")
    due = services.task_create(
        plan=plan, actor=officer, fields=fields(title="Đến hạn tháng Ba", deadline=date(YEAR, 3, 20))
    )
    late = services.task_create(
        plan=plan, actor=officer, fields=fields(title="Trễ từ tháng Hai", deadline=date(YEAR, 2, 10))
    )
    finished = services.task_create(
        plan=plan, actor=officer, fields=fields(title="Xong từ tháng Một", deadline=date(YEAR, 1, 20))
    )
    services.task_report_add(task=finished, actor=officer, percent=100, text="Đã hoàn thành")
    services.task_transition(task=finished, actor=officer, to_status=TaskStatus.DONE)
    services.task_create(
        plan=plan, actor=officer, fields=fields(title="Của phòng khác", unit=unit("KCHT"), deadline=date(YEAR, 3, 5))
    )
    commitment = services.commitment_draft(actor=officer, unit=unit("QLVT"), year=YEAR)
    services.commitment_target_add(
        commitment=commitment, actor=officer, label="Đúng hạn", indicator="progress.on_time", target=Decimal(98)
    )
    services.commitment_target_add(
        commitment=commitment, actor=officer, label="Trực tuyến", indicator="online.dossiers", target=Decimal(50)
    )
    manual = services.commitment_target_add(
        commitment=commitment, actor=officer, label="Ký số văn bản", target=Decimal(95)
    )
    services.commitment_target_record_actual(
        commitment=commitment, actor=officer, target_id=manual.pk, value=Decimal("96.5")
    )
    return {"due": due, "late": late}


@pytest.fixture(autouse=True)
def _figures():
    def from_scope(scope):
        return fake_index(date_from=scope.date_from, date_to=scope.date_to)

    with mock.patch("cchc.reports.snapshots.service_index_for", side_effect=from_scope):
        yield


def test_the_xlsx_has_the_targets_against_the_months_and_the_years_figures(meeting, client):
    client.force_login(user("lanhdao"))
    response = client.get("/cai-cach/giao-ban/", {"unit": "QLVT", "month": MARCH, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="giao-ban-cchc-qlvt-2026-03.xlsx"'
    book = load_workbook(BytesIO(response.content))
    targets = book["Chỉ tiêu"]
    assert [c.value for c in targets[4]][:7] == [
        "STT",
        "Chỉ tiêu",
        "So sánh",
        "Mục tiêu (%)",
        "Kết quả trong tháng (%)",
        "Lũy kế từ đầu năm (%)",
        "Đánh giá lũy kế",
    ]
    rows = [[c.value for c in row][:7] for row in targets.iter_rows(min_row=5)]
    assert rows == [
        [1, "Đúng hạn", "≥", 98, 91.5, 97.25, "Chưa đạt"],
        [2, "Trực tuyến", "≥", 50, None, None, "–"],
        [3, "Ký số văn bản", "≥", 95, None, 96.5, "Đạt"],
    ]
    due = [[c.value for c in row][:2] for row in book["Nhiệm vụ đến hạn trong tháng"].iter_rows(min_row=5)]
    assert due == [[meeting["due"].code, "Đến hạn tháng Ba"]]
    late = book["Nhiệm vụ trễ hạn"]
    # As of the end of March, the task due on 20/03 and still open is late too.
    assert [row[1].value for row in late.iter_rows(min_row=5)] == ["Trễ từ tháng Hai", "Đến hạn tháng Ba"]
    assert late.cell(row=5, column=4).value.date() == date(YEAR, 2, 10)


def test_the_page_and_the_pdf_show_the_same_briefing(meeting, client):
    client.force_login(user("truongphong"))
    page = client.get("/cai-cach/giao-ban/", {"month": MARCH})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đến hạn tháng Ba" in html and "Trễ từ tháng Hai" in html and "Của phòng khác" not in html
    assert "91,50%" in html and "97,25%" in html
    pdf = client.get("/cai-cach/giao-ban/", {"unit": "QLVT", "month": MARCH, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_unit_head_sees_only_their_units_briefing_and_specialists_none(meeting, client):
    client.force_login(user("truongphong"))
    assert client.get("/cai-cach/giao-ban/", {"unit": "KCHT", "month": MARCH}).status_code == 403
    assert client.get("/cai-cach/giao-ban/", {"unit": "KHONGCO", "month": MARCH}).status_code == 404
    client.force_login(user("chuyenvien"))
    assert client.get("/cai-cach/giao-ban/", {"unit": "QLVT", "month": MARCH}).status_code == 403


def test_a_bad_month_is_explained_not_a_crash(meeting, client):
    client.force_login(user("lanhdao"))
    response = client.get("/cai-cach/giao-ban/", {"unit": "QLVT", "month": "tháng ba", "format": "xlsx"})
    assert response.status_code == 400
    assert "Tháng không hợp lệ" in response.content.decode()
