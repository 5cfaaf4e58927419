"""The service index (Decision 766/QĐ-TTg, domain.md §7) as pure arithmetic: rates, points, groups.

No database here: `selectors` counts, this module scores. Every indicator is a rate
numerator ÷ denominator over a period [from, to] (Vietnam dates, both days included) and a scope
(agency, lead unit, field, procedure, receiving officer). The definitions, which `selectors`
implements in SQL:

Transparency
  transparency.published  procedures whose version in force is published and complete (at least
      one component, an internal process whose step hours add up to the time limit, a legal
      basis and a result name) ÷ published procedures. Catalogue indicator: the period does not
      matter, the officer scope does not apply.
  transparency.portal_sync  not measured: no connector to the national portal exists yet; reported
      with its reason and left out of the total.
Progress
  Counted dossiers: received, neither refused, withdrawn nor stopped, and either finished (result
  ready: `finished_at`) in the period, or still open at the end of the period (or now, if earlier)
  and already past their deadline — the national method counts those as late; open dossiers
  still within their time are not counted yet. A dossier waiting for supplementation since before
  its deadline has its clock stopped and is not late. The deadline is the appointment moved by the
  supplementation pauses; an apology's new appointment does not excuse a delay (the old
  appointment stays the deadline), because the apology is what a late office owes, not an
  extension.
  progress.on_time  finished in the period at or before the deadline with at most one
      supplementation request during processing (a second one makes the dossier late, whatever
      the dates) ÷ counted dossiers. A dossier received in one month and finished the next counts
      in the month it finished.
  progress.average_time  procedures whose average processing time stays within their time limit ÷
      procedures with a dossier finished in the period. A dossier's processing time is the
      working time from the start of counting to the result, minus the working time spent waiting
      for supplementation, in working days of the agency's calendar (weekends, holidays and Tết
      do not count); each procedure's time limit is averaged over its finished dossiers'
      versions.
Online services
  online.procedures  published procedures offered online (level 3 or 4) ÷ published procedures;
      full points from 80 %.
  online.used  procedures offered online that received at least one online dossier in the period
      ÷ procedures offered online.
  online.dossiers  dossiers received in the period that were submitted online ÷ dossiers received
      in the period; full points from 50 %.
Online payment
  payment.procedures  fee-bearing published procedures (a fee or charge above zero) offered
      online, which is where this system takes payment online ÷ fee-bearing published
      procedures; full points from 80 %.
  payment.dossiers  dossiers with a fee paid (paid_at) in the period and paid online ÷ dossiers with
      a fee paid in the period.
Digitisation
  digitisation.electronic_result  dossiers finished in the period with a signed electronic result
      ÷ dossiers finished in the period (all of them, so that keeping results on paper does not
      shrink the denominator).
  digitisation.digitised  dossiers received in the period whose every component is digitised
      (and that have at least one) ÷ dossiers received in the period; full points from 80 %.
  digitisation.reused  dossiers received in the period with at least one component reused from
      the applicant's data store ÷ dossiers received in the period; full points from 80 %.
Satisfaction
  satisfaction.complaints  complaints and petitions whose deadline falls in the period, answered
      or already overdue, that were answered early or on time ÷ those complaints (the rule of
      `cchc.complaints.selectors.complaints_handled_on_time`).
  satisfaction.satisfaction  counted progress dossiers that are on time, have no complaint or
      petition and no "dislike" (a rating with any factor scored 2 or less) ÷ counted progress
      dossiers. This is 100 % − (late rate + rate with a complaint or dislike) with a dossier that
      is both late and complained about counted once, so that the figure opens its own list.
      Full points from 90 %.

Scoring: full points at or above the threshold, pro-rated below (points = rate ÷ threshold ×
maximum). An indicator with nothing to measure in the scope and period (denominator 0) — a unit
without fee-bearing procedures, a month without complaints — is left out: it earns no points and
its maximum leaves the total's maximum, so the total is read against what could be measured
(`percent` = total ÷ max × 100). Awarding full points for "nothing happened" would reward
inactivity; scoring 0 would punish an office for what it has no means to do.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from cchc.core.calendar import MINUTES_PER_WORKING_DAY

from .config import GroupSpec, IndicatorSpec

CENT = Decimal("0.01")


def points(rate: float | None, *, threshold: float, maximum: float) -> float | None:
    """The points a `rate` (0..1) earns: `maximum` at or above `threshold`, pro-rated below it.

    None (nothing measured) earns None, which the totals leave out."""
    if rate is None:
        return None
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if maximum < 0:
        raise ValueError(f"maximum must not be negative, got {maximum!r}")
    rate = min(max(rate, 0.0), 1.0)
    if rate >= threshold:
        return float(maximum)
    return rate / threshold * maximum


def ratio(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator, or None when there is nothing to measure."""
    if not denominator:
        return None
    return numerator / denominator


@dataclass
class Figure:
    """What the database said about one indicator."""

    numerator: int | None = None
    denominator: int | None = None
    reason: str | None = None  # why the indicator is not measured, if it is not
    extra: dict = field(default_factory=dict)  # more keys for the indicator's JSON


def _round(value: float | None) -> float | None:
    """To 0.01, halves up, as a person rounding by hand would (3.125 → 3.13)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def score_indicator(spec: IndicatorSpec, figure: Figure) -> dict:
    """One indicator's JSON: value in percent, the counts, points and maximum."""
    measured = figure.reason is None and bool(figure.denominator)
    rate = ratio(figure.numerator or 0, figure.denominator or 0) if measured else None
    earned = points(rate, threshold=spec.threshold, maximum=spec.maximum) if measured else None
    reason = figure.reason
    if reason is None and not measured:
        reason = _("Không phát sinh trong kỳ: không tính điểm.")
    return {
        "code": spec.code,
        "name": str(spec.name),
        "value": _round(None if rate is None else rate * 100),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "points": _round(earned),
        "max": spec.maximum,
        "threshold": _round(spec.threshold * 100),
        "counted": measured,
        "reason": reason,
        **figure.extra,
    }


def score_index(groups: Iterable[GroupSpec], figures: dict[str, Figure]) -> dict:
    """The whole index from each indicator's figure. Points are rounded to 0.01 per indicator
    and the group and total points are sums of the rounded figures, so what is shown adds up."""
    out_groups = []
    total = 0.0
    total_max = 0.0
    for group in groups:
        indicators = [score_indicator(spec, figures.get(spec.code, Figure())) for spec in group.indicators]
        counted = [i for i in indicators if i["counted"]]
        group_points = _round(sum(i["points"] for i in counted))
        group_max = sum(i["max"] for i in counted)
        out_groups.append(
            {
                "code": group.code,
                "name": str(group.name),
                "points": group_points,
                "max": group_max,
                "full_max": group.maximum,
                "indicators": indicators,
            }
        )
        total += group_points
        total_max += group_max
    total = _round(total)
    return {
        "total": total,
        "max": total_max,
        "percent": _round(100 * total / total_max) if total_max else None,
        "groups": out_groups,
    }


# ---------------------------------------------------------------- average processing time
#
# A dossier's processing time is working_minutes_between(counted_from, finished_at) − paused. The
# calendar computes that as done(end) − done(start), where done(t) is t's position on a working-time
# axis: (working days before t's day) × minutes per day + the minutes of office hours already
# elapsed that day (nothing on a day off). The sum over many dossiers is therefore Σ done(end) −
# Σ done(start), and done() depends only on the day and the minute of the day: the database can
# group the period's dossiers by (procedure, day) and sum the elapsed minutes, and Python only
# looks up each day once. `procedure_averages` is the plain per-dossier definition;
# `averages_from_groups` gives the same numbers from the grouped sums (a test holds them equal).


@dataclass(frozen=True)
class FinishedRow:
    """One finished dossier, as the average-time indicator needs it."""

    procedure_id: int
    agency_id: int
    counted_from: datetime
    finished_at: datetime
    limit_minutes: int  # the time limit of the dossier's procedure version, in working minutes
    paused_minutes: int = 0  # working minutes spent waiting for supplementation during processing


@dataclass(frozen=True)
class ProcedureAverage:
    procedure_id: int
    dossiers: int
    average_minutes: float  # processing time used, on average
    limit_minutes: float  # time limit, on average over the dossiers' versions

    @property
    def average_days(self) -> float:
        return self.average_minutes / MINUTES_PER_WORKING_DAY

    @property
    def limit_days(self) -> float:
        return self.limit_minutes / MINUTES_PER_WORKING_DAY

    @property
    def within_limit(self) -> bool:
        return self.average_minutes <= self.limit_minutes


def processing_minutes(row: FinishedRow, working_minutes_between: Callable[[datetime, datetime], int]) -> int:
    """Working time used: from the start of counting to the result, less the waiting time (which
    lies inside it, so the difference is never negative for real dossiers)."""
    return working_minutes_between(row.counted_from, row.finished_at) - row.paused_minutes


def procedure_averages(rows: Iterable[FinishedRow], calendar_for: Callable[[int], object]) -> list[ProcedureAverage]:
    """Average processing time per procedure, dossier by dossier; `calendar_for(agency_id)` gives a
    WorkingCalendar. The reference definition: `averages_from_groups` is what runs at scale."""
    used: dict[int, int] = defaultdict(int)
    limits: dict[int, int] = defaultdict(int)
    counts: dict[int, int] = defaultdict(int)
    calendars: dict[int, object] = {}
    for row in rows:
        calendar = calendars.get(row.agency_id)
        if calendar is None:
            calendar = calendars[row.agency_id] = calendar_for(row.agency_id)
        used[row.procedure_id] += processing_minutes(row, calendar.working_minutes_between)
        limits[row.procedure_id] += row.limit_minutes
        counts[row.procedure_id] += 1
    return [
        ProcedureAverage(
            procedure_id=pid,
            dossiers=counts[pid],
            average_minutes=used[pid] / counts[pid],
            limit_minutes=limits[pid] / counts[pid],
        )
        for pid in sorted(counts)
    ]


def office_intervals(office_hours: Iterable[tuple[time, time]]) -> tuple[tuple[int, int], ...]:
    """Office hours as (start, end) minutes of the day."""
    return tuple((s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in office_hours)


def elapsed_minutes(minute_of_day: int, intervals: Iterable[tuple[int, int]]) -> int:
    """Minutes of office hours elapsed at `minute_of_day` (the calendar's rule; SQL mirrors it)."""
    return sum(min(max(minute_of_day - start, 0), end - start) for start, end in intervals)


@dataclass(frozen=True)
class DayGroup:
    """The moments (starts or ends) of one procedure's dossiers that fell on one day."""

    procedure_id: int
    day: date
    count: int
    elapsed: int  # Σ elapsed_minutes of the moments, as if the day were a working day


@dataclass(frozen=True)
class ProcedureTotals:
    procedure_id: int
    dossiers: int
    limit_minutes: int  # Σ of the dossiers' time limits
    paused_minutes: int  # Σ of their waiting time


def _axis_sums(groups: Iterable[DayGroup], calendar, origin: date) -> dict[int, int]:
    per_day = calendar.minutes_per_day
    sums: dict[int, int] = defaultdict(int)
    days: dict[date, tuple[int, bool]] = {}
    for group in groups:
        if group.day not in days:
            working = calendar.is_working_day(group.day)
            days[group.day] = (calendar.working_days_between(origin, group.day) - working, working)
        index, working = days[group.day]
        sums[group.procedure_id] += group.count * index * per_day + (group.elapsed if working else 0)
    return sums


def averages_from_groups(
    *, starts: list[DayGroup], ends: list[DayGroup], totals: Iterable[ProcedureTotals], calendar
) -> list[ProcedureAverage]:
    """The same averages as `procedure_averages`, from per-day sums (one agency's calendar)."""
    days = [g.day for g in starts] + [g.day for g in ends]
    if not days:
        return []
    origin = min(days)
    done_at_start = _axis_sums(starts, calendar, origin)
    done_at_end = _axis_sums(ends, calendar, origin)
    return [
        ProcedureAverage(
            procedure_id=t.procedure_id,
            dossiers=t.dossiers,
            average_minutes=(done_at_end[t.procedure_id] - done_at_start[t.procedure_id] - t.paused_minutes)
            / t.dossiers,
            limit_minutes=t.limit_minutes / t.dossiers,
        )
        for t in sorted(totals, key=lambda t: t.procedure_id)
        if t.dossiers
    ]
