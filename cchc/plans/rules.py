"""Pure rules of plans and commitments: deadlines, reminders, targets. No database, no web."""

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

LATE = "late"

GTE = "gte"
LTE = "lte"


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def deadline_in_year(deadline: date, year: int) -> bool:
    first, last = year_bounds(year)
    return first <= deadline <= last


def is_late(*, deadline: date | None, is_open: bool, today: date) -> bool:
    """Still to be delivered and the deadline (a whole day) is behind us."""
    return is_open and deadline is not None and deadline < today


def reminder_key(days: int) -> str:
    return f"before_{days}"


def normalised_days(days: Iterable[int]) -> tuple[int, ...]:
    """The configured lead times: positive, distinct, largest first."""
    return tuple(sorted({int(d) for d in days if int(d) >= 0}, reverse=True))


def reminder_due(*, deadline: date, today: date, days: Iterable[int], sent: Iterable[str]) -> str | None:
    """The one reminder to send today for an open task, if any.

    Before the deadline: the tightest lead time already reached (with 7 and 1 days, a task due
    in 3 days gets "before_7", in 1 day "before_1"); a looser one is never sent after a tighter
    one. After the deadline: "late". Each reminder is sent at most once (`sent`).
    """
    sent = set(sent)
    left = (deadline - today).days
    if left < 0:
        return None if LATE in sent else LATE
    reached = [d for d in normalised_days(days) if left <= d]
    if not reached:
        return None
    key = reminder_key(min(reached))
    return None if key in sent else key


def target_met(*, value: Decimal | float | None, comparison: str, target: Decimal | float) -> bool | None:
    """Whether a measured `value` meets the target (None when nothing was measured)."""
    if value is None:
        return None
    value, target = Decimal(str(value)), Decimal(str(target))
    if comparison == LTE:
        return value <= target
    return value >= target


@dataclass(frozen=True)
class Lost:
    """Points lost on a criterion at the appraisal."""

    max_points: Decimal
    appraised: Decimal

    @property
    def points(self) -> Decimal:
        return max(Decimal(0), self.max_points - self.appraised)


def points_lost(*, max_points: Decimal, appraised: Decimal | None) -> Decimal | None:
    if appraised is None:
        return None
    return Lost(max_points=Decimal(max_points), appraised=Decimal(appraised)).points


def parse_month(text: str) -> tuple[int, int] | None:
    """`2026-03` or `03/2026` → (2026, 3); anything else → None."""
    text = (text or "").strip()
    try:
        if "-" in text:
            year, month = (int(part) for part in text.split("-", 1))
        elif "/" in text:
            month, year = (int(part) for part in text.split("/", 1))
        else:
            return None
    except ValueError:
        return None
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month
