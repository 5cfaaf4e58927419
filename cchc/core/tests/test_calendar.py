"""Tests for cchc.core.calendar (pure Python, no database).

Concrete cases pin the domain rules; hypothesis properties check the algebra
(associativity, round trips, idempotence) and compare the fast table-driven
implementation against a deliberately naive reference implementation.
"""

from __future__ import annotations

import math
import random
import threading
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.calendar import (
    DEFAULT_OFFICE_HOURS,
    MINUTES_PER_WORKING_DAY,
    VN_TZ,
    WorkingCalendar,
)

# No example database: the test run must not write files into the repository.
FAST = settings(max_examples=150, deadline=None, database=None)
SLOW = settings(max_examples=40, deadline=None, database=None)

CAL = WorkingCalendar()


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


# ---------------------------------------------------------------------------
# Reference implementation: walks interval by interval, day by day. Slow but
# obviously faithful to the rules; only the day classification is shared.
# ---------------------------------------------------------------------------


def _minute_intervals(cal: WorkingCalendar) -> list[tuple[int, int]]:
    return [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in cal.office_hours]


def reference_add(cal: WorkingCalendar, moment: datetime, minutes: int) -> datetime:
    local = moment.astimezone(cal.tz).replace(second=0, microsecond=0)
    intervals = _minute_intervals(cal)
    day, pos = local.date(), local.hour * 60 + local.minute
    # Position: inside an interval (end inclusive) of a working day, else the
    # next opening.
    while True:
        if cal.is_working_day(day):
            if any(s <= pos <= e for s, e in intervals):
                break
            later = [s for s, _ in intervals if s > pos]
            if later:
                pos = later[0]
                break
        day, pos = day + timedelta(days=1), -1
    remaining = minutes
    while remaining:
        current = [(s, e) for s, e in intervals if s <= pos < e]
        if not current:  # at a closing time: continue from the next opening
            later = [s for s, _ in intervals if s > pos]
            if later:
                pos = later[0]
            else:
                day += timedelta(days=1)
                while not cal.is_working_day(day):
                    day += timedelta(days=1)
                pos = intervals[0][0]
            continue
        step = min(remaining, current[0][1] - pos)
        pos += step
        remaining -= step
    return datetime.combine(day, time(pos // 60, pos % 60), tzinfo=cal.tz)


def reference_between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    if end < start:
        return -reference_between(cal, end, start)
    a = start.astimezone(cal.tz).replace(second=0, microsecond=0)
    b = end.astimezone(cal.tz).replace(second=0, microsecond=0)
    total = 0
    day = a.date()
    while day <= b.date():
        if cal.is_working_day(day):
            lo = a.hour * 60 + a.minute if day == a.date() else 0
            hi = b.hour * 60 + b.minute if day == b.date() else 24 * 60
            for s, e in _minute_intervals(cal):
                total += max(0, min(e, hi) - max(s, lo))
        day += timedelta(days=1)
    return total


def in_office_hours(cal: WorkingCalendar, moment: datetime) -> bool:
    """start <= time <= end for some interval, on a working day, in cal.tz."""
    local_time = moment.timetz().replace(tzinfo=None)
    return (
        moment.tzinfo is cal.tz
        and cal.is_working_day(moment.date())
        and any(s <= local_time <= e for s, e in cal.office_hours)
    )


# Strategies ---------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2027, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([VN_TZ, UTC, timezone(timedelta(hours=-5))]),
)
# Concentrate some examples on boundaries (openings, closings, the lunch break).
boundary_moments = st.builds(
    lambda d, hm, s: vn(d.year, d.month, d.day, hm[0], hm[1], s),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    st.sampled_from(
        [(6, 59), (7, 0), (7, 1), (11, 29), (11, 30), (11, 31), (12, 0), (13, 29)]
        + [(13, 30), (13, 31), (16, 59), (17, 0), (17, 1), (23, 59), (0, 0)]
    ),
    st.sampled_from([0, 0, 30, 59]),
)
any_moment = st.one_of(moments, boundary_moments)
working_minutes = st.one_of(
    st.integers(min_value=0, max_value=960),
    st.integers(min_value=0, max_value=120 * 60),
    st.sampled_from([0, 1, 270, 479, 480, 481, 2400]),
)


@st.composite
def office_hours(draw: st.DrawFn) -> tuple[tuple[time, time], ...]:
    points = sorted(draw(st.lists(st.integers(0, 23 * 60 + 59), min_size=2, max_size=6, unique=True)))
    if len(points) % 2:
        points = points[:-1]
    as_time = [time(p // 60, p % 60) for p in points]
    return tuple(zip(as_time[::2], as_time[1::2], strict=True))


# ---------------------------------------------------------------------------
# Constants and configuration
# ---------------------------------------------------------------------------


def test_default_office_hours_make_an_eight_hour_working_day():
    assert (
        (time(7, 0), time(11, 30)),
        (time(13, 30), time(17, 0)),
    ) == DEFAULT_OFFICE_HOURS
    assert MINUTES_PER_WORKING_DAY == 480
    assert CAL.minutes_per_day == MINUTES_PER_WORKING_DAY
    assert vn(2025, 1, 1).utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    "bad",
    [
        (),
        ((time(13, 0), time(17, 0)), (time(7, 0), time(11, 0))),  # unsorted
        ((time(7, 0), time(12, 0)), (time(11, 0), time(17, 0))),  # overlapping
        ((time(7, 0), time(7, 0)),),  # empty interval
        ((time(17, 0), time(7, 0)),),  # reversed
        ((time(7, 0), time(11, 30, 15)),),  # not on a whole minute
        ((time(7, 0, tzinfo=VN_TZ), time(11, 0)),),  # aware time
        (("07:00", "11:30"),),  # not datetime.time
        ((time(7, 0), time(11, 0), time(12, 0)),),  # not a pair
        None,
    ],
)
def test_invalid_office_hours_are_rejected(bad):
    with pytest.raises(ValueError):
        WorkingCalendar(office_hours=bad)


def test_touching_office_hour_intervals_are_accepted():
    cal = WorkingCalendar(office_hours=((time(8, 0), time(12, 0)), (time(12, 0), time(16, 0))))
    assert cal.add_working_hours(vn(2025, 5, 5, 8, 0), 4) == vn(2025, 5, 5, 12, 0)
    assert cal.add_working_hours(vn(2025, 5, 5, 8, 0), 5) == vn(2025, 5, 5, 13, 0)


def test_constructor_is_keyword_only():
    with pytest.raises(TypeError):
        WorkingCalendar(DEFAULT_OFFICE_HOURS)  # type: ignore[misc]


def test_extra_dates_must_be_dates_not_datetimes():
    with pytest.raises(TypeError):
        WorkingCalendar(extra_days_off=[vn(2025, 5, 5)])


# ---------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------


def test_weekdays_work_and_weekends_do_not():
    assert CAL.is_working_day(date(2025, 5, 5))  # Monday
    assert CAL.is_working_day(date(2025, 5, 9))  # Friday
    assert not CAL.is_working_day(date(2025, 5, 10))  # Saturday
    assert not CAL.is_working_day(date(2025, 5, 11))  # Sunday


def test_tet_2026_is_a_public_holiday_week():
    for day in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, day))
    assert CAL.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert CAL.is_working_day(date(2026, 2, 23))


def test_declared_make_up_saturday_is_a_working_day():
    assert date(2025, 4, 26).weekday() == 5
    assert CAL.is_working_day(date(2025, 4, 26))
    assert CAL.holiday_name(date(2025, 4, 26)) is None
    # ... in exchange for Friday 2 May 2025.
    assert not CAL.is_working_day(date(2025, 5, 2))


def test_cross_year_make_up_saturday_is_a_working_day():
    # 2019-01-05 was worked in exchange for Monday 2018-12-31.
    assert CAL.is_working_day(date(2019, 1, 5))
    assert not CAL.is_working_day(date(2018, 12, 31))


def test_national_day_2025_is_two_days_off():
    assert not CAL.is_working_day(date(2025, 9, 1))
    assert not CAL.is_working_day(date(2025, 9, 2))
    assert CAL.holiday_name(date(2025, 9, 2)) == "Quốc khánh"


def test_holiday_name_is_none_on_ordinary_days():
    assert CAL.holiday_name(date(2025, 5, 6)) is None


def test_extra_day_off_is_not_a_working_day():
    cal = WorkingCalendar(extra_days_off=[date(2025, 5, 12)])
    assert not cal.is_working_day(date(2025, 5, 12))
    assert CAL.is_working_day(date(2025, 5, 12))


def test_extra_working_saturday_is_a_working_day():
    cal = WorkingCalendar(extra_working_days=[date(2025, 5, 10)])
    assert cal.is_working_day(date(2025, 5, 10))


def test_extra_day_off_wins_over_every_other_rule():
    cal = WorkingCalendar(
        extra_days_off=[date(2025, 5, 10), date(2025, 4, 26)],
        extra_working_days=[date(2025, 5, 10)],
    )
    assert not cal.is_working_day(date(2025, 5, 10))  # also an extra working day
    assert not cal.is_working_day(date(2025, 4, 26))  # statutory make-up Saturday


def test_extra_working_day_wins_over_a_public_holiday():
    cal = WorkingCalendar(extra_working_days=[date(2025, 9, 2)])
    assert cal.is_working_day(date(2025, 9, 2))
    assert cal.holiday_name(date(2025, 9, 2)) == "Quốc khánh"


def test_next_working_day_skips_weekends_and_tet():
    assert CAL.next_working_day(date(2026, 2, 12)) == date(2026, 2, 13)
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert CAL.next_working_day(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert CAL.next_working_day(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert CAL.next_working_day(date(2026, 2, 15)) == date(2026, 2, 23)


def test_next_working_day_rejects_zero():
    with pytest.raises(ValueError):
        CAL.next_working_day(date(2026, 2, 13), 0)


def test_working_days_between_counts_days_after_first_up_to_second():
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert CAL.working_days_between(date(2026, 2, 23), date(2026, 2, 13)) == -1
    assert CAL.working_days_between(date(2025, 5, 5), date(2025, 5, 5)) == 0
    assert CAL.working_days_between(date(2025, 5, 4), date(2025, 5, 9)) == 5


def test_day_methods_reject_datetimes():
    with pytest.raises(TypeError):
        CAL.is_working_day(vn(2025, 5, 5))


def test_dates_outside_the_holiday_data_are_rejected():
    with pytest.raises(ValueError):
        CAL.is_working_day(date(2101, 1, 3))
    with pytest.raises(ValueError):
        CAL.add_working_hours(vn(2100, 12, 30, 8), 80)


def test_years_far_apart_load_on_demand():
    cal = WorkingCalendar()
    assert not cal.is_working_day(date(2000, 1, 1))
    assert not cal.is_working_day(date(2099, 9, 2))
    assert not cal.is_working_day(date(2050, 1, 3))  # New Year (observed)
    assert cal.is_working_day(date(2050, 1, 4))
    assert cal.working_days_between(date(2000, 1, 1), date(2099, 12, 31)) > 24_000


def test_concurrent_lazy_loading_gives_the_same_answers():
    rng = random.Random(7)
    cases = [
        (vn(rng.randint(2001, 2098), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23)), rng.randint(0, 9000))
        for _ in range(400)
    ]
    expected = [WorkingCalendar().add_working_minutes(t, m) for t, m in cases]
    shared = WorkingCalendar()
    results: dict[int, list[datetime]] = {}

    def work(worker: int) -> None:
        order = list(range(len(cases)))
        random.Random(worker).shuffle(order)
        out = [None] * len(cases)
        for j in order:
            out[j] = shared.add_working_minutes(*cases[j])
        results[worker] = out

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[w] == expected for w in range(6))


# ---------------------------------------------------------------------------
# Counting start
# ---------------------------------------------------------------------------


def test_receipt_during_office_hours_counts_from_receipt():
    assert CAL.counting_start(vn(2025, 5, 5, 9, 15, 42)) == vn(2025, 5, 5, 9, 15, 42)
    assert CAL.counting_start(vn(2025, 5, 5, 7, 0)) == vn(2025, 5, 5, 7, 0)


def test_receipt_on_saturday_counts_from_monday_opening():
    assert CAL.counting_start(vn(2025, 5, 10, 9, 0)) == vn(2025, 5, 12, 7, 0)


def test_receipt_during_lunch_break_counts_from_afternoon_opening():
    assert CAL.counting_start(vn(2025, 5, 5, 11, 45)) == vn(2025, 5, 5, 13, 30)
    assert CAL.counting_start(vn(2025, 5, 5, 11, 30)) == vn(2025, 5, 5, 13, 30)


def test_receipt_after_closing_counts_from_next_opening():
    assert CAL.counting_start(vn(2025, 5, 5, 17, 0)) == vn(2025, 5, 6, 7, 0)
    assert CAL.counting_start(vn(2025, 5, 5, 20, 0)) == vn(2025, 5, 6, 7, 0)


def test_receipt_before_opening_counts_from_same_day_opening():
    assert CAL.counting_start(vn(2025, 5, 5, 6, 59, 59)) == vn(2025, 5, 5, 7, 0)


def test_receipt_moment_is_converted_to_vietnam_time():
    result = CAL.counting_start(datetime(2025, 5, 5, 2, 0, tzinfo=UTC))  # 09:00 in Hanoi
    assert result == vn(2025, 5, 5, 9, 0)
    assert result.tzinfo is VN_TZ


# ---------------------------------------------------------------------------
# Due moments
# ---------------------------------------------------------------------------


def test_friday_afternoon_plus_one_day_is_monday_afternoon():
    assert CAL.add_working_hours(vn(2025, 5, 9, 16, 0), 8) == vn(2025, 5, 12, 16, 0)


def test_time_running_out_at_closing_gives_closing_time():
    assert CAL.add_working_hours(vn(2025, 5, 5, 7, 0), 8) == vn(2025, 5, 5, 17, 0)
    assert CAL.add_working_hours(vn(2025, 5, 5, 7, 0), 4.5) == vn(2025, 5, 5, 11, 30)
    assert CAL.add_working_hours(vn(2025, 5, 5, 7, 0), 16) == vn(2025, 5, 6, 17, 0)


def test_time_continues_after_lunch_break():
    assert CAL.add_working_hours(vn(2025, 5, 5, 11, 0), 1) == vn(2025, 5, 5, 14, 0)
    assert CAL.add_working_hours(vn(2025, 5, 5, 11, 30), 1) == vn(2025, 5, 5, 14, 30)


def test_receipt_on_saturday_counts_from_monday_when_adding():
    assert CAL.add_working_hours(vn(2025, 5, 10, 9, 0), 8) == vn(2025, 5, 12, 17, 0)
    assert CAL.add_working_hours(vn(2025, 5, 10, 9, 0), 1) == vn(2025, 5, 12, 8, 0)


def test_receipt_at_closing_time_counts_from_next_opening_when_adding():
    assert CAL.add_working_hours(vn(2025, 5, 5, 17, 0), 1) == vn(2025, 5, 6, 8, 0)
    assert CAL.add_working_hours(vn(2025, 5, 5, 18, 30), 8) == vn(2025, 5, 6, 17, 0)


def test_adding_zero_returns_the_position():
    assert CAL.add_working_hours(vn(2025, 5, 5, 17, 0), 0) == vn(2025, 5, 5, 17, 0)
    assert CAL.add_working_hours(vn(2025, 5, 5, 11, 30), 0) == vn(2025, 5, 5, 11, 30)
    assert CAL.add_working_hours(vn(2025, 5, 5, 12, 0), 0) == vn(2025, 5, 5, 13, 30)
    assert CAL.add_working_hours(vn(2025, 5, 10, 12, 0), 0) == vn(2025, 5, 12, 7, 0)


def test_seconds_are_truncated_to_the_minute():
    assert CAL.add_working_hours(vn(2025, 5, 5, 9, 15, 59, 999), 1) == vn(2025, 5, 5, 10, 15)
    assert CAL.add_working_minutes(vn(2025, 5, 5, 9, 15, 30), 0) == vn(2025, 5, 5, 9, 15)


def test_five_working_days_skip_tet_2026():
    # Thursday 12 Feb 08:00: 7 h that day, 8 h Friday 13, Tết 16-20, then
    # 23, 24, 25 and one hour on Thursday 26 Feb.
    assert CAL.add_working_hours(vn(2026, 2, 12, 8, 0), 5 * 8) == vn(2026, 2, 26, 8, 0)
    assert CAL.add_working_hours(vn(2026, 2, 13, 7, 0), 5 * 8) == vn(2026, 2, 26, 17, 0)


def test_make_up_saturday_2025_04_26_counts_as_working_time():
    assert CAL.add_working_hours(vn(2025, 4, 25, 16, 0), 8) == vn(2025, 4, 26, 16, 0)


def test_national_day_2025_is_skipped():
    # Friday 29 Aug 16:00; 1-2 Sep are holidays.
    assert CAL.add_working_hours(vn(2025, 8, 29, 16, 0), 8) == vn(2025, 9, 3, 16, 0)


def test_extra_day_off_is_skipped():
    cal = WorkingCalendar(extra_days_off=[date(2025, 5, 12)])
    assert cal.add_working_hours(vn(2025, 5, 9, 16, 0), 8) == vn(2025, 5, 13, 16, 0)


def test_extra_working_saturday_counts():
    cal = WorkingCalendar(extra_working_days=[date(2025, 5, 10)])
    assert cal.add_working_hours(vn(2025, 5, 9, 16, 0), 8) == vn(2025, 5, 10, 16, 0)


def test_custom_office_hours_are_used():
    cal = WorkingCalendar(office_hours=((time(8, 0), time(12, 0)), (time(13, 0), time(17, 0))))
    assert cal.add_working_hours(vn(2025, 5, 5, 8, 0), 4) == vn(2025, 5, 5, 12, 0)
    assert cal.add_working_hours(vn(2025, 5, 5, 8, 0), 5) == vn(2025, 5, 5, 14, 0)
    assert cal.add_working_hours(vn(2025, 5, 5, 7, 0), 8) == vn(2025, 5, 5, 17, 0)
    assert cal.counting_start(vn(2025, 5, 5, 12, 30)) == vn(2025, 5, 5, 13, 0)
    assert cal.counting_start(vn(2025, 5, 5, 17, 30)) == vn(2025, 5, 6, 8, 0)
    assert cal.working_hours_between(vn(2025, 5, 5, 0, 0), vn(2025, 5, 6, 0, 0)) == 8


def test_fractional_and_decimal_hours_become_whole_minutes():
    start = vn(2025, 5, 5, 7, 0)
    assert CAL.add_working_hours(start, Decimal("1.25")) == vn(2025, 5, 5, 8, 15)
    assert CAL.add_working_hours(start, 1 / 3) == vn(2025, 5, 5, 7, 20)
    assert CAL.add_working_minutes(start, 90) == vn(2025, 5, 5, 8, 30)


def test_long_durations_cross_many_years():
    start = vn(2025, 5, 5, 7, 0)
    due = CAL.add_working_hours(start, 8 * 2000)
    assert CAL.working_hours_between(start, due) == 8 * 2000
    assert due == datetime.combine(CAL.next_working_day(date(2025, 5, 4), 2000), time(17), VN_TZ)


def test_results_are_in_the_calendar_timezone():
    due = CAL.add_working_hours(datetime(2025, 5, 5, 0, 0, tzinfo=UTC), 1)  # 07:00 Hanoi
    assert due == vn(2025, 5, 5, 8, 0)
    assert due.tzinfo is VN_TZ


@pytest.mark.parametrize("hours", [-1, -0.5, Decimal(-2), math.nan, math.inf])
def test_negative_or_non_finite_hours_are_rejected(hours):
    with pytest.raises(ValueError):
        CAL.add_working_hours(vn(2025, 5, 5, 7, 0), hours)


def test_negative_minutes_are_rejected():
    with pytest.raises(ValueError):
        CAL.add_working_minutes(vn(2025, 5, 5, 7, 0), -1)


def test_non_integral_minutes_are_rejected():
    with pytest.raises(TypeError):
        CAL.add_working_minutes(vn(2025, 5, 5, 7, 0), 1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda m: CAL.add_working_hours(m, 1),
        lambda m: CAL.add_working_minutes(m, 0),
        lambda m: CAL.counting_start(m),
        lambda m: CAL.working_hours_between(m, m),
        lambda m: CAL.working_minutes_between(vn(2025, 5, 5), m),
    ],
)
def test_naive_datetimes_are_rejected(call):
    with pytest.raises(ValueError):
        call(datetime(2025, 5, 5, 9, 0))


def test_dates_are_rejected_where_moments_are_expected():
    with pytest.raises(TypeError):
        CAL.add_working_hours(date(2025, 5, 5), 1)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Working time between two moments
# ---------------------------------------------------------------------------


def test_working_hours_between_counts_only_office_hours():
    assert CAL.working_hours_between(vn(2025, 5, 5, 7, 0), vn(2025, 5, 5, 17, 0)) == 8
    assert CAL.working_hours_between(vn(2025, 5, 5, 11, 0), vn(2025, 5, 5, 14, 0)) == 1
    assert CAL.working_hours_between(vn(2025, 5, 9, 16, 0), vn(2025, 5, 12, 8, 0)) == 2
    assert CAL.working_hours_between(vn(2025, 5, 10, 8, 0), vn(2025, 5, 11, 16, 0)) == 0


def test_working_hours_between_is_negative_when_reversed():
    assert CAL.working_minutes_between(vn(2025, 5, 5, 17, 0), vn(2025, 5, 5, 7, 0)) == -480


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@FAST
@given(any_moment, working_minutes, working_minutes)
def test_adding_twice_equals_adding_the_sum(t, a, b):
    assert CAL.add_working_minutes(CAL.add_working_minutes(t, a), b) == (CAL.add_working_minutes(t, a + b))


@FAST
@given(any_moment, st.integers(min_value=0, max_value=120), st.integers(0, 120))
def test_adding_hours_twice_equals_adding_the_sum(t, a, b):
    assert CAL.add_working_hours(CAL.add_working_hours(t, a), b) == CAL.add_working_hours(t, a + b)


@FAST
@given(any_moment, working_minutes)
def test_due_moment_is_always_inside_office_hours_on_a_working_day(t, minutes):
    due = CAL.add_working_minutes(t, minutes)
    assert in_office_hours(CAL, due)
    assert due >= t.replace(second=0, microsecond=0)


@FAST
@given(any_moment, st.integers(min_value=0, max_value=120))
def test_working_hours_between_receipt_and_due_moment_is_the_time_limit(t, hours):
    assert CAL.working_hours_between(t, CAL.add_working_hours(t, hours)) == hours


@FAST
@given(any_moment, working_minutes)
def test_working_minutes_between_inverts_adding_minutes(t, minutes):
    assert CAL.working_minutes_between(t, CAL.add_working_minutes(t, minutes)) == minutes


@FAST
@given(any_moment)
def test_counting_start_is_idempotent_and_never_earlier(t):
    start = CAL.counting_start(t)
    assert start >= t
    assert CAL.counting_start(start) == start
    assert start.tzinfo is VN_TZ
    local_time = start.timetz().replace(tzinfo=None)
    assert CAL.is_working_day(start.date())
    assert any(s <= local_time < e for s, e in CAL.office_hours)


@FAST
@given(any_moment, any_moment)
def test_working_minutes_between_is_antisymmetric(a, b):
    assert CAL.working_minutes_between(a, b) == -CAL.working_minutes_between(b, a)


@SLOW
@given(any_moment, working_minutes)
def test_add_matches_the_reference_walk(t, minutes):
    assert CAL.add_working_minutes(t, minutes) == reference_add(CAL, t, minutes)


@SLOW
@given(any_moment, st.integers(min_value=0, max_value=20 * 24 * 60))
def test_between_matches_the_reference_walk(t, offset):
    end = t + timedelta(minutes=offset)
    assert CAL.working_minutes_between(t, end) == reference_between(CAL, t, end)
    assert CAL.working_minutes_between(end, t) == reference_between(CAL, end, t)


@SLOW
@given(office_hours(), any_moment, working_minutes, working_minutes)
def test_custom_office_hours_match_the_reference_walk(hours, t, a, b):
    cal = WorkingCalendar(office_hours=hours)
    due = cal.add_working_minutes(t, a)
    assert due == reference_add(cal, t, a)
    assert in_office_hours(cal, due)
    assert cal.add_working_minutes(due, b) == cal.add_working_minutes(t, a + b)
    assert cal.working_minutes_between(t, due) == a
