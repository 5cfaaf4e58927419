"""The national calendar CCHC ships: the `holidays` package plus the announced swaps it lacks, and no
invented day off on a real date (issue 15, item 6)."""

from datetime import date, datetime

import pytest

from cchc.core.calendar import VN_TZ, WorkingCalendar
from cchc.core.models import CalendarOverride
from cchc.core.national_days import ANNOUNCED, DAY_OFF, WORKING_DAY

pytestmark = pytest.mark.django_db

DUE = "/api/v1/calendar/due"


def _due(client, received_at: str, hours: int) -> str:
    response = client.get(DUE, {"received_at": received_at, "hours": str(hours)})
    assert response.status_code == 200, response.content
    return response.json()["due_at"]


def test_tet_2026_gives_the_national_due_moment_on_a_demo_installation(demo, client):
    """domain.md §4 and legal-details.md §3 [S] (Thông báo 9441/TB-BNV): civil servants are off from
    Saturday 14/02 to Sunday 22/02/2026; Friday 13/02 and Monday 23/02 are working days. The demo data
    used to declare both off "by a provincial announcement": Thursday 12/02 16:00 + 16 working hours
    was then Wednesday 25/02; on the national calendar it is Monday 23/02 16:00 (1 h + 8 h + 7 h)."""
    assert not CalendarOverride.objects.exists()
    assert _due(client, "2026-02-12T16:00:00+07:00", 16) == "2026-02-23T16:00:00+07:00"


def test_the_new_year_2026_swap_is_shipped(demo, client):
    """Công văn 12729/VPCP-KGVX, 25/12/2025 (legal-details.md §3 [S]): Friday 02/01/2026 off, Saturday
    10/01/2026 worked instead — the `holidays` package knows neither."""
    package = WorkingCalendar()
    assert package.is_working_day(date(2026, 1, 2)) and not package.is_working_day(date(2026, 1, 10))
    # Wednesday 31/12/2025 16:00 + 16 h: 1 h, then Thursday 01/01 and Friday 02/01 off, weekend, 8 h on
    # Monday 05/01 and 7 h on Tuesday 06/01.
    assert _due(client, "2025-12-31T16:00:00+07:00", 16) == "2026-01-06T16:00:00+07:00"
    # Friday 09/01 16:00 + 8 h: 1 h, then 7 h on the make-up Saturday.
    assert _due(client, "2026-01-09T16:00:00+07:00", 8) == "2026-01-10T16:00:00+07:00"


def test_the_package_knows_the_rest_of_2026():
    """legal-details.md §3 [S]: what needs no override — Hùng Kings' Day compensated on Monday 27/04,
    31/08 off against Saturday 22/08, Quốc khánh 01–02/09, the new Ngày Văn hóa Việt Nam on 24/11."""
    calendar = WorkingCalendar()
    for day in (date(2026, 2, 16), date(2026, 2, 20), date(2026, 4, 27), date(2026, 8, 31), date(2026, 9, 1)):
        assert not calendar.is_working_day(day), day
    assert calendar.holiday_name(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert calendar.is_working_day(date(2026, 8, 22))  # the make-up Saturday
    assert calendar.is_working_day(date(2026, 2, 13)) and calendar.is_working_day(date(2026, 2, 23))


def test_every_shipped_day_is_a_real_announcement_the_package_lacks():
    calendar = WorkingCalendar()
    assert ANNOUNCED
    for item in ANNOUNCED:
        assert "VPCP" in item.source or "BNV" in item.source, item
        # Each changes the package's answer: an entry that repeats it is not needed.
        assert calendar.is_working_day(item.day) == (item.kind == DAY_OFF), item
        assert item.kind in (DAY_OFF, WORKING_DAY)


def test_a_provincial_override_wins_over_a_shipped_day(demo):
    from cchc.core.selectors import working_calendar
    from cchc.core.services import calendar_override_set

    calendar_override_set(day=date(2026, 1, 2), kind="working_day", reason="Tỉnh cho làm việc (thử)")
    friday = datetime(2026, 1, 2, 8, 0, tzinfo=VN_TZ)
    assert working_calendar().add_working_hours(friday, 1) == datetime(2026, 1, 2, 9, 0, tzinfo=VN_TZ)
