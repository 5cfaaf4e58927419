from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cchc.initiatives.windows import add_months, change_points, effect_windows, months_elapsed

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_month_arithmetic_crosses_year_ends_and_clamps_short_months():
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert add_months(date(2025, 1, 31), -2) == date(2024, 11, 30)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 3, 1), -3) == date(2024, 12, 1)


def test_windows_of_an_initiative_started_on_the_first_of_march():
    windows = effect_windows(started_on=date(2025, 3, 1), today=date(2025, 7, 10), max_months=3)

    assert windows.months == 3
    assert (windows.before_from, windows.before_to) == (date(2024, 12, 1), date(2025, 2, 28))
    assert (windows.after_from, windows.after_to) == (date(2025, 3, 1), date(2025, 5, 31))


def test_no_windows_before_a_whole_month_has_passed():
    assert effect_windows(started_on=date(2025, 3, 1), today=date(2025, 3, 31), max_months=3) is None
    assert effect_windows(started_on=date(2025, 3, 1), today=date(2025, 2, 1), max_months=3) is None
    assert effect_windows(started_on=date(2025, 3, 1), today=date(2025, 4, 1), max_months=3).months == 1


@given(day=days, months=st.integers(min_value=-240, max_value=240))
def test_adding_months_moves_the_calendar_month_exactly(day, months):
    moved = add_months(day, months)

    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or moved.day < day.day and (moved + timedelta(days=1)).day == 1


@given(start=days, gap=st.integers(min_value=0, max_value=2000), max_months=st.integers(min_value=1, max_value=12))
def test_windows_touch_without_overlapping_and_end_before_today(start, gap, max_months):
    today = start + timedelta(days=gap)

    windows = effect_windows(started_on=start, today=today, max_months=max_months)

    if windows is None:
        assert add_months(start, 1) > today
        return
    assert 1 <= windows.months <= max_months
    assert windows.before_from <= windows.before_to < windows.after_from <= windows.after_to
    assert windows.before_to + timedelta(days=1) == windows.after_from == start
    assert windows.after_to < today
    assert windows.before_from == add_months(start, -windows.months)
    assert windows.after_to + timedelta(days=1) == add_months(start, windows.months)


@given(start=days, gap=st.integers(min_value=0, max_value=4000))
def test_months_elapsed_is_the_largest_whole_number_of_months_not_past_today(start, gap):
    today = start + timedelta(days=gap)

    elapsed = months_elapsed(start, today)

    assert add_months(start, elapsed) <= today < add_months(start, elapsed + 1)


@given(
    before=st.none() | st.floats(min_value=0, max_value=100),
    after=st.none() | st.floats(min_value=0, max_value=100),
)
def test_change_is_measured_only_when_both_sides_are(before, after):
    change = change_points(before, after)

    if before is None or after is None:
        assert change is None
    else:
        assert abs(change - (after - before)) < 0.01
