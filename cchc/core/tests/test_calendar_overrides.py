from datetime import date, datetime

import pytest

from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError
from cchc.core.models import CalendarOverride
from cchc.core.selectors import working_calendar
from cchc.core.services import calendar_override_delete, calendar_override_set

pytestmark = pytest.mark.django_db


def test_declared_day_off_moves_the_due_moment():
    friday_afternoon = datetime(2027, 3, 5, 16, 0, tzinfo=VN_TZ)
    before = working_calendar().add_working_hours(friday_afternoon, 8)
    assert before == datetime(2027, 3, 8, 16, 0, tzinfo=VN_TZ)

    calendar_override_set(day=date(2027, 3, 8), kind="day_off", reason="Nghỉ bù theo thông báo của tỉnh")

    assert working_calendar().add_working_hours(friday_afternoon, 8) == datetime(2027, 3, 9, 16, 0, tzinfo=VN_TZ)


def test_declared_working_saturday_counts():
    friday_afternoon = datetime(2027, 3, 5, 16, 0, tzinfo=VN_TZ)
    calendar_override_set(day=date(2027, 3, 6), kind="working_day", reason="Làm bù")
    assert working_calendar().add_working_hours(friday_afternoon, 8) == datetime(2027, 3, 6, 16, 0, tzinfo=VN_TZ)
    calendar_override_delete(day=date(2027, 3, 6))
    assert working_calendar().add_working_hours(friday_afternoon, 8) == datetime(2027, 3, 8, 16, 0, tzinfo=VN_TZ)


def test_setting_the_same_override_twice_keeps_one_row():
    calendar_override_set(day=date(2027, 5, 3), kind="day_off", reason="Nghỉ bù")
    calendar_override_set(day=date(2027, 5, 3), kind="day_off", reason="Nghỉ bù")
    assert CalendarOverride.objects.filter(date=date(2027, 5, 3)).count() == 1


def test_override_without_reason_is_refused_and_nothing_saved():
    with pytest.raises(ApplicationError, match="lý do"):
        calendar_override_set(day=date(2027, 5, 4), kind="day_off", reason="  ")
    assert not CalendarOverride.objects.filter(date=date(2027, 5, 4)).exists()
