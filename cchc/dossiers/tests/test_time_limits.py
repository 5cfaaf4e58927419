"""Time limits in calendar days and apology appointments inside office hours (issue 15, item 4)."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.calendar import VN_TZ, WorkingCalendar
from cchc.core.errors import ApplicationError
from cchc.dossiers.models import Apology, Dossier
from cchc.procedures.rules import CALENDAR_DAYS, budget_errors, due_moment
from cchc.procedures.services import procedure_publish
from cchc.procedures.tests.factories import make_spec

from .helpers import act, frozen, submit

pytestmark = pytest.mark.django_db

CALENDAR = WorkingCalendar()


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


# ---------------------------------------------------------------- calendar days


def test_a_limit_in_calendar_days_counts_every_day_and_ends_at_closing_time():
    """Civil Code 2015 Arts. 147(2), 148(1) (thuvienphapluat.vn's reading, [S]; applying it to
    procedures is unconfirmed): the receipt day is not counted and the limit ends at the end of its
    last day — for an office, 17:00. Received Monday 02/03/2026 10:00, 10 days: Thursday 12/03 17:00."""
    assert CALENDAR.add_calendar_days(vn(2026, 3, 2, 10), 10) == vn(2026, 3, 12, 17)
    # Weekends inside the limit count: 5 days from Wednesday 04/03 end on Monday 09/03.
    assert CALENDAR.add_calendar_days(vn(2026, 3, 4, 8), 5) == vn(2026, 3, 9, 17)


def test_a_calendar_day_limit_ending_on_a_day_off_moves_to_the_next_working_day():
    """Civil Code 2015 Art. 148(5) [S]: a last day that is a weekend day or a public holiday ends the
    limit at the end of the next working day. 15 days from Monday 02/02/2026 would end on Tuesday
    17/02 (Tết): the limit ends on Monday 23/02 at 17:00. 5 days from Monday 02/03 end Saturday 07/03:
    Monday 09/03."""
    assert CALENDAR.add_calendar_days(vn(2026, 2, 2, 9), 15) == vn(2026, 2, 23, 17)
    assert CALENDAR.add_calendar_days(vn(2026, 3, 2, 9), 5) == vn(2026, 3, 9, 17)


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 1)).map(
        lambda m: m.replace(tzinfo=VN_TZ)
    ),
    days=st.integers(1, 60),
)
def test_a_calendar_day_due_moment_is_inside_office_hours_and_never_early(start, days):
    due = CALENDAR.add_calendar_days(start, days)
    assert CALENDAR.within_office_hours(due)
    assert due.date() >= start.date() + timedelta(days=days)
    # Not later than needed: every day between the nominal last day and the due day is a day off.
    nominal = start.date() + timedelta(days=days)
    day = nominal
    while day < due.date():
        assert not CALENDAR.is_working_day(day)
        day += timedelta(days=1)


def test_the_steps_of_a_calendar_day_limit_plan_at_most_a_working_day_per_day():
    spec = make_spec(time_limit_value=2, time_limit_unit=CALENDAR_DAYS)  # steps: 16 hours
    assert budget_errors(spec) == []
    assert budget_errors(make_spec(time_limit_value=1, time_limit_unit=CALENDAR_DAYS)) != []


def test_a_dossier_of_a_calendar_day_procedure_gets_its_appointment_from_the_calendar(demo):
    """issue 15 item 4: a procedure stating "10 ngày" (not "ngày làm việc") is `calendar_days`; its
    dossier received Friday 27/02/2026 at 16:00 is due on Monday 09/03 17:00 (Sunday 08/03 is the
    10th day, a day off)."""
    procedure_publish(
        agency=demo,
        spec=make_spec(time_limit_value=10, time_limit_unit=CALENDAR_DAYS, fees=()),
        effective_from=vn(2026, 1, 1),
    )
    with frozen(vn(2026, 2, 27, 16)):
        dossier = act(submit(code="2.999001"), "motcua", "receive")
    assert dossier.due_at == dossier.deadline_at == vn(2026, 3, 9, 17)
    assert due_moment(CALENDAR, vn(2026, 2, 27, 16), value=10, unit=CALENDAR_DAYS) == dossier.due_at


def test_the_public_api_shows_a_calendar_day_limit_without_working_hours(demo, client):
    procedure_publish(agency=demo, spec=make_spec(time_limit_value=10, time_limit_unit=CALENDAR_DAYS), actor=None)
    body = client.get("/api/v1/procedures/2.999001").json()
    assert body["time_limit"] == {"value": 10, "unit": "calendar_days"}
    assert body["time_limit_hours"] is None


# ---------------------------------------------------------------- apology appointments


def _received_dossier():
    """Received Monday 09/03/2026 08:00 (5 working days: due Monday 16/03 08:00)."""
    with frozen(vn(2026, 3, 9, 8)):
        return act(submit(), "motcua", "receive")


@pytest.mark.parametrize(
    "new_due",
    [
        vn(2026, 3, 18, 18, 0),  # after closing
        vn(2026, 3, 18, 12, 0),  # lunch break
        vn(2026, 3, 21, 9, 0),  # Saturday
        vn(2026, 4, 30, 9, 0),  # a public holiday
    ],
)
def test_an_apology_appointment_outside_office_hours_is_refused_and_nothing_changes(demo, new_due):
    """issue 15 item 4; domain.md §4: a due moment never falls outside office hours — nor does the new
    appointment of an apology (form 04)."""
    dossier = _received_dossier()
    with frozen(vn(2026, 3, 10, 9)), pytest.raises(ApplicationError, match="trong giờ làm việc") as refused:
        act(dossier, "lanhdao", "apologize", comment="Chờ xác minh", new_due_at=new_due)
    assert refused.value.code == "new_due_outside_office_hours"
    assert not Apology.objects.filter(dossier=dossier).exists()
    assert Dossier.objects.get(pk=dossier.pk).due_at == dossier.due_at


def test_an_apology_appointment_at_closing_time_is_accepted(demo):
    dossier = _received_dossier()
    with frozen(vn(2026, 3, 10, 9)):
        dossier = act(dossier, "lanhdao", "apologize", comment="Chờ xác minh", new_due_at=vn(2026, 3, 18, 17))
    assert dossier.due_at == vn(2026, 3, 18, 17) and dossier.deadline_at == vn(2026, 3, 16, 8)
    assert date(2026, 3, 18) == dossier.apology.new_due_at.astimezone(VN_TZ).date()
