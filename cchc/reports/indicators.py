"""The service index (Decision 766/QĐ-TTg; domain.md §7; legal-details.md §1) as pure arithmetic:
rates, points, groups, on the national 100-point scale.

No database here: `selectors` counts, this module scores. Every indicator is a rate
numerator ÷ denominator over a period [from, to] (Vietnam dates, both days included) and a scope
(agency, lead unit, field, procedure, receiving officer). Numbers in brackets are the indicators'
numbers in the national portal's description (legal-details.md §1.2, [S]). The definitions, which
`selectors` implements in SQL:

Measured at the national portal (Cổng DVCQG), not here (`config.NATIONAL_CODES`): the figure the
reform officer entered for the months of the period (summed), or 0 by setting — see `config`.
  transparency.published_on_time [1.1], transparency.made_public_on_time [1.2],
  transparency.portal_sync [1.4] (only while CCHC does not synchronise with the portal; once it does,
      dossier changes told within CCHC_DVCQG_SYNC_HOURS ÷ all changes, from the DVCQG outbox),
  payment.integrated [3.5],
  digitisation.certified_copies, digitisation.national_store [4.4],
  digitisation.population_dossiers and digitisation.population_procedures [4.5].
Transparency
  transparency.published [1.3]  procedures whose version in force is published and complete (at
      least one component, an internal process whose step hours add up to the time limit — or, for
      a limit in calendar days, do not exceed a working day per calendar day —, a legal basis and a
      result name) ÷ published procedures. Catalogue indicator: the period does not matter, the
      officer scope does not apply.
Progress
  Counted dossiers: received, neither refused, withdrawn nor stopped, and either finished (result
  ready: `finished_at`) in the period, or still open at the end of the period (or now, if earlier)
  and already late — the national method counts those as late; open dossiers still within their
  time are not counted yet. Late, on time and early are `cchc.dossiers.timeliness`, the one rule
  of every report: against the deadline (the appointment moved by supplementation pauses, never by
  an apology's new appointment); more than one supplementation request during processing is late.
  progress.on_time [2.1]  finished in the period early or on time ÷ counted dossiers. A dossier
      received in one month and finished the next counts in the month it finished. The breakdown
      counts the apologised dossiers apart.
  progress.average_time [2.2]  procedures whose average processing time stays within their time
      limit ÷ procedures with a dossier finished in the period; 0 points (tracking only, as the
      portal shows it per procedure). A dossier's processing time is the working time from the
      start of counting to the result, minus the working time spent waiting for supplementation, in
      working days of the agency's calendar; its time limit is the working time from the start of
      counting to its deadline less the same waiting (for a limit in working days: the limit
      itself; in calendar days: the working time those days held).
Online services (the split of the group's 12 points is not known: 4 each, configurable)
  online.procedures [3.1]  published procedures offered online (level 3 or 4) ÷ published
      procedures; full points from 80 %.
  online.used [3.2]  procedures offered online that received at least one online dossier in the
      period ÷ procedures offered online.
  online.dossiers [3.3]  dossiers received in the period that were submitted online ÷ dossiers
      received in the period; full points from 50 %.
Online payment
  payment.procedures [3.5b]  fee-bearing published procedures (a fee or charge above zero) with at
      least one online payment transaction in the period (a dossier paid online then) ÷ fee-bearing
      published procedures — what provinces report, not the procedures that merely offer it.
  payment.dossiers [3.6]  dossiers with a fee paid (paid_at) in the period and paid online ÷
      dossiers with a fee paid in the period.
Digitisation
  digitisation.electronic_result [4.1]  dossiers finished in the period with a signed electronic
      result ÷ dossiers finished in the period.
  digitisation.digitised [4.2]  dossiers received in the period whose every component is digitised
      (and that have at least one) and whose result, once ready, is digitised too ÷ dossiers
      received in the period; full points from 80 %. From the digitisation records: a component is
      digitised when it was reused from the data store, handed in online as an electronic file, or
      (paper at the counter or by post) its scan was read and its key fields confirmed (`Digitisation`,
      confirmed); a scan alone is not. A result is digitised when it is an electronic, signed one
      (`SignedResult`) or a paper result whose scan the counter digitised (`Digitisation`, source
      "result", confirmed).
  digitisation.reused [4.3]  dossiers received in the period with at least one component reused
      from the applicant's data store (where digitised components, digitised paper results, imported
      historical results and signed results are kept) ÷ dossiers received in the period; full points
      from 80 %.
Satisfaction
  satisfaction.complaints [5.2]  complaints and petitions whose deadline falls in the period,
      answered or already overdue, that were answered early or on time ÷ those complaints (the
      rule of `cchc.complaints.selectors.complaints_handled_on_time`).
  satisfaction.complaint_handling [5.3]  the same complaints, less those answered late or not at
      all, those whose sender said they were not satisfied with the answer, and those raised again
      (a later complaint naming this one) ÷ the same complaints.
  satisfaction.satisfaction [5.4]  counted progress dossiers that are on time, have no complaint or
      petition and no "dislike" (a rating with any factor scored 2 or less) ÷ counted progress
      dossiers. This is 100 % − (late rate + rate with a complaint or dislike) with a dossier that
      is both late and complained about counted once, so that the figure opens its own list.
      Full points from 90 %.

Scoring: full points at or above the threshold, pro-rated below (points = rate ÷ threshold ×
maximum). Every indicator stays in its group's maximum: one with nothing to measure in the scope
and period (denominator 0: a unit without fee-bearing procedures, a month without complaints), one
not applicable to the scope, and one measured at the national portal without a figure, all earn 0
("0 or N/A" on the portal, legal-details.md §1.2). So `max` is always 100 and a total compares with
the portal's. `measured_max` adds up the maxima of what could be measured, and `measured_percent`
reads the total against it: the share of the points the office could earn that it did earn.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from cchc.core.calendar import MINUTES_PER_WORKING_DAY

from .config import NATIONAL_LABEL, GroupSpec, IndicatorSpec

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
    """What the database (or the reform officer, for an indicator the national portal measures)
    said about one indicator."""

    numerator: int | None = None
    denominator: int | None = None
    reason: str | None = None  # why the indicator is not measured, if it is not
    note: str | None = None  # where a measured figure comes from, when that needs saying
    extra: dict = field(default_factory=dict)  # more keys for the indicator's JSON


def _round(value: float | None) -> float | None:
    """To 0.01, halves up, as a person rounding by hand would (3.125 → 3.13)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def score_indicator(spec: IndicatorSpec, figure: Figure) -> dict:
    """One indicator's JSON: value in percent, the counts, points (0 when nothing was measured) and
    maximum, and where it is measured."""
    measured = figure.reason is None and bool(figure.denominator)
    rate = ratio(figure.numerator or 0, figure.denominator or 0) if measured else None
    earned = points(rate, threshold=spec.threshold, maximum=spec.maximum) if measured else 0.0
    reason = figure.reason
    if reason is None and not measured:
        reason = _("Không phát sinh trong kỳ: 0 điểm.")
    return {
        "code": spec.code,
        "number": spec.number,
        "name": str(spec.name),
        "value": _round(None if rate is None else rate * 100),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "points": _round(earned),
        "max": spec.maximum,
        "threshold": _round(spec.threshold * 100),
        "counted": measured,
        "reason": reason,
        "note": figure.note,
        "source": "national" if spec.national else "local",
        "source_label": str(NATIONAL_LABEL) if spec.national else None,
        "weight_source": spec.weight_source,
        **figure.extra,
    }


def score_index(groups: Iterable[GroupSpec], figures: dict[str, Figure]) -> dict:
    """The whole index from each indicator's figure, out of the groups' maxima (100). Points are
    rounded to 0.01 per indicator and the group and total points are sums of the rounded figures,
    so what is shown adds up."""
    out_groups = []
    total = 0.0
    total_max = 0.0
    measured_max = 0.0
    for group in groups:
        indicators = [score_indicator(spec, figures.get(spec.code, Figure())) for spec in group.indicators]
        group_points = _round(sum(i["points"] for i in indicators))
        group_measured = sum(i["max"] for i in indicators if i["counted"])
        out_groups.append(
            {
                "code": group.code,
                "name": str(group.name),
                "points": group_points,
                "max": group.maximum,
                "full_max": group.maximum,
                "measured_max": group_measured,
                "indicators": indicators,
            }
        )
        total += group_points
        total_max += group.maximum
        measured_max += group_measured
    total = _round(total)
    return {
        "total": total,
        "max": total_max,
        "percent": _round(100 * total / total_max) if total_max else None,
        "measured_max": measured_max,
        "measured_percent": _round(100 * total / measured_max) if measured_max else None,
        "groups": out_groups,
    }


# ---------------------------------------------------------------- average processing time
#
# A dossier's processing time is working_minutes_between(counted_from, finished_at) − paused, and its
# time limit working_minutes_between(counted_from, deadline_at) − paused (the deadline moved by the
# same pauses; for a limit in working days this is the limit itself, for calendar days the working
# time the days held). The calendar computes a difference as done(end) − done(start), where done(t)
# is t's position on a working-time axis: (working days before t's day) × minutes per day + the
# minutes of office hours already elapsed that day (nothing on a day off). Sums over many dossiers
# are therefore Σ done(end) − Σ done(start), and done() depends only on the day and the minute of
# the day: the database groups the period's dossiers by (procedure, day) and sums the elapsed
# minutes, and Python looks each day up once. `procedure_averages` is the plain per-dossier
# definition; `averages_from_groups` gives the same numbers from the grouped sums (a test holds them
# equal).


@dataclass(frozen=True)
class FinishedRow:
    """One finished dossier, as the average-time indicator needs it."""

    procedure_id: int
    agency_id: int
    counted_from: datetime
    finished_at: datetime
    deadline_at: datetime  # the appointment moved by the supplementation pauses
    paused_minutes: int = 0  # working minutes spent waiting for supplementation during processing


@dataclass(frozen=True)
class ProcedureAverage:
    procedure_id: int
    dossiers: int
    average_minutes: float  # processing time used, on average
    limit_minutes: float  # time limit, on average over the dossiers

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


def limit_minutes(row: FinishedRow, working_minutes_between: Callable[[datetime, datetime], int]) -> int:
    """The working time the dossier was allowed: to its deadline, less the waiting that moved it."""
    return working_minutes_between(row.counted_from, row.deadline_at) - row.paused_minutes


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
        limits[row.procedure_id] += limit_minutes(row, calendar.working_minutes_between)
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
    """The moments (starts, ends or deadlines) of one procedure's dossiers that fell on one day."""

    procedure_id: int
    day: date
    count: int
    elapsed: int  # Σ elapsed_minutes of the moments, as if the day were a working day


@dataclass(frozen=True)
class ProcedureTotals:
    procedure_id: int
    dossiers: int
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
    *,
    starts: list[DayGroup],
    ends: list[DayGroup],
    deadlines: list[DayGroup],
    totals: Iterable[ProcedureTotals],
    calendar,
) -> list[ProcedureAverage]:
    """The same averages as `procedure_averages`, from per-day sums (one agency's calendar)."""
    days = [g.day for g in starts] + [g.day for g in ends] + [g.day for g in deadlines]
    if not days:
        return []
    origin = min(days)
    done_at_start = _axis_sums(starts, calendar, origin)
    done_at_end = _axis_sums(ends, calendar, origin)
    done_at_deadline = _axis_sums(deadlines, calendar, origin)
    return [
        ProcedureAverage(
            procedure_id=t.procedure_id,
            dossiers=t.dossiers,
            average_minutes=(done_at_end[t.procedure_id] - done_at_start[t.procedure_id] - t.paused_minutes)
            / t.dossiers,
            limit_minutes=(done_at_deadline[t.procedure_id] - done_at_start[t.procedure_id] - t.paused_minutes)
            / t.dossiers,
        )
        for t in sorted(totals, key=lambda t: t.procedure_id)
        if t.dossiers
    ]
