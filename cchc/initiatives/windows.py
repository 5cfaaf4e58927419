"""Before/after windows for measuring an initiative's effect. Pure: dates in, dates out.

The effect of an initiative started on day S is read on two windows of N whole months each:
before = [S − N months, S − 1 day] and after = [S, S + N months − 1 day], with
N = min(the configured window, whole months elapsed since S), so the after window is over
before today and both windows have the same length in months. N = 0 (started less than a
month ago, or not started yet) means there is nothing to compare yet.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month (31/01 + 1 → 28/02)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def months_elapsed(start: date, today: date) -> int:
    """Whole months from `start` to `today`: the largest k ≥ 0 with add_months(start, k) ≤ today."""
    if today < start:
        return 0
    months = (today.year - start.year) * 12 + today.month - start.month
    while months > 0 and add_months(start, months) > today:
        months -= 1
    return months


@dataclass(frozen=True)
class EffectWindows:
    months: int
    before_from: date
    before_to: date
    after_from: date
    after_to: date


def effect_windows(*, started_on: date, today: date, max_months: int) -> EffectWindows | None:
    """The two windows, or None when not even one whole month has passed since the start."""
    months = min(max_months, months_elapsed(started_on, today))
    if months < 1:
        return None
    return EffectWindows(
        months=months,
        before_from=add_months(started_on, -months),
        before_to=started_on - timedelta(days=1),
        after_from=started_on,
        after_to=add_months(started_on, months) - timedelta(days=1),
    )


def change_points(before: float | None, after: float | None) -> float | None:
    """After minus before, in percentage points; None unless both were measured."""
    if before is None or after is None:
        return None
    return round(after - before, 2)
