"""The public quality page: month by month, per unit and per procedure, with no personal data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cchc.reports.selectors import months_ending, quality_by_month

from .conftest import NOW

pytestmark = pytest.mark.django_db

URL = "/cong-khai/chat-luong-phuc-vu/"
FEBRUARY = {"co-quan": "000.00.12.H99", "nam": "2025", "thang": "2"}


def _unit_row(table, name):
    return next(row for row in table["units"] if row["name"] == name)


def test_six_months_end_with_the_chosen_one():
    assert months_ending(2025, 2) == [(2024, 9), (2024, 10), (2024, 11), (2024, 12), (2025, 1), (2025, 2)]


def test_the_monthly_figures_follow_the_index_definitions(february):
    table = quality_by_month(agency=february.unit.agency, year=2025, month=2, now=NOW)
    assert [m["label"] for m in table["months"]][-2:] == ["01/2025", "02/2025"]
    row = _unit_row(table, "Phòng Thử nghiệm báo cáo")
    january, february_ = row["months"][-2:]
    # February: 5 on time of 10 counted (as progress.on_time); 8 of 13 received online; ratings of D4 and
    # D8: four factors fully satisfied, the officer half → (4 × 100 + 50) ÷ 5.
    assert (february_["on_time"], february_["online"], february_["satisfaction"]) == (50.0, 61.5, 90.0)
    # January: D8 was received (online) but nothing finished or was late yet.
    assert (january["on_time"], january["online"], january["satisfaction"]) == (None, 100.0, None)
    procedures = {p["code"]: p["months"][-1] for p in table["procedures"]}
    assert procedures["9.000004"]["on_time"] == 0.0
    assert procedures["9.000002"]["on_time"] == 100.0


def test_the_page_is_public_and_shows_the_figures(february, client):
    response = client.get(URL, FEBRUARY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phòng Thử nghiệm báo cáo" in html
    assert "02/2025" in html
    for figure in ("50,0%", "61,5%", "90,0%"):
        assert figure in html


def test_the_page_shows_no_names_of_people(february, client):
    html = client.get(URL, FEBRUARY).content.decode()
    for name in ("Người nộp", "Người phản ánh", "BC-D1", "motcua", "Nguyễn", "Lãnh đạo"):
        assert name not in html


def test_the_figures_are_cached_for_ten_minutes(february, client):
    client.get(URL, FEBRUARY)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, FEBRUARY)
    assert again.status_code == 200
    assert not [q for q in queries.captured_queries if "dossiers_dossier" in q["sql"]]


def test_a_month_in_the_future_falls_back_to_the_current_one(demo, client):
    response = client.get(URL, {"nam": str(timezone.localdate().year + 1), "thang": "1"})
    assert response.status_code == 200
    assert "Tháng, năm không hợp lệ" in response.content.decode()
