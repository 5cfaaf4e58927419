"""Reads for the dashboards: the leader's (the whole agency), a unit head's (their unit) and each
officer's own figures, for one month.

Every figure is an aggregate query, grouped with `values()` where it is split (by month, unit or
officer), never a loop over dossiers, so the number of queries does not grow with the data:

- the month's index: `selectors.service_index_for` (about ten queries);
- the trend of the eleven months before it: the progress indicators month by month — finished
  dossiers, their on-time count and time limits grouped by `TruncMonth(finished_at)` (Vietnam
  time) and procedure; the dossiers late at each month's end in one grouped query; the average
  processing time from the same per-day sums as the index, grouped by month too (see
  `_progress_by_month`). The selected month itself comes from the index, so the last point of
  the trend and the figures above it agree. A month that is over hardly changes: each is stored
  as a `TrendMonth` rollup row, written by a periodic task (`reports.tasks.refresh_trends`), and the page
  reads twelve small rows instead of a year of dossiers;
- units ranked by on-time share: the index's progress rule grouped by lead unit (two queries);
- late dossiers now — open and late by `cchc.dossiers.timeliness` (the deadline passed while the
  clock ran; an apology's new appointment does not excuse it), as the desk's "Quá hạn" tab counts
  them — grouped by the unit of their open step and by its assignee, with the unit's head;
- steps by officer: `DossierStep` finished in the month, grouped by who finished it.

The rules are those of `selectors` (imported, not rewritten), so the dashboards and the index
agree: `_finished`, `_on_time`, `_open_late`, `_elapsed`, `_short_queries`; lateness itself is
`cchc.dossiers.timeliness`, the one rule every report and list uses.
"""

import calendar as month_calendar
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.roles import (
    HEADS_UNIT,
    PROCESS_ROLES,
    READS_AGENCY_REPORTS,
    READS_UNIT_REPORTS,
    RECEIVES_AT_COUNTER,
    STAFF_ROLES,
    is_staff_role,
)
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, PermissionDenied
from cchc.dossiers import timeliness
from cchc.dossiers.models import Channel, Dossier, DossierStep, SupplementRequest
from cchc.dossiers.selectors import dossier_visible_to, dossiers_late, work_queue
from cchc.procedures.models import ProcedureVersion
from cchc.procedures.selectors import agency_calendar
from cchc.surveys.models import Rating, score_field
from cchc.surveys.scores import FACTORS, SATISFIED_FROM, index_from_counts, overall_index
from cchc.surveys.selectors import satisfaction_by

from . import indicators, segments
from .config import definition_key, index_groups
from .indicators import Figure
from .models import TrendMonth
from .selectors import (
    Scope,
    _elapsed,
    _finished,
    _on_time,
    _open_late,
    _short_queries,
    drilldown_url,
    make_scope,
    months_ending,
    report_scope,
    scope_key,
    service_index_for,
)

TREND_MONTHS = 12
# The months just over that each periodic refresh computes again: a dossier finished late, or a
# correction, still moves them; older months are kept as stored.
TREND_RECOMPUTE_MONTHS = 2
PROGRESS = "progress"
ON_TIME = "progress.on_time"
STEP_ON_TIME = (DossierStep.Outcome.EARLY, DossierStep.Outcome.ON_TIME)


# The points out of 100 (the national scale, `percent` = total ÷ max × 100) from which each band
# starts: the typical bands of domain.md §8, unconfirmed and set per province.
BANDS = (
    (90, gettext_lazy("Xuất sắc"), "excellent"),
    (80, gettext_lazy("Tốt"), "good"),
    (70, gettext_lazy("Khá"), "fair"),
    (0, gettext_lazy("Yếu"), "weak"),
)


# ---------------------------------------------------------------- the month and who may see what


def parse_month(value: str | None, *, today: date) -> tuple[int, int]:
    """`YYYY-MM` (the form's value) or `MM/YYYY`; empty is the current month. Not after this month."""
    text = (value or "").strip()
    if not text:
        return today.year, today.month
    year = month = None
    try:
        if "/" in text:
            month_text, year_text = text.split("/", 1)
        else:
            year_text, month_text = text.split("-", 1)
        year, month = int(year_text), int(month_text)
    except ValueError:
        pass
    if year is None or month is None or not (2000 <= year <= 2099 and 1 <= month <= 12):
        raise ApplicationError(
            _("Tháng “%(value)s” không hợp lệ (mm/yyyy): hiển thị tháng hiện tại.") % {"value": text[:20]},
            code="invalid_month",
        )
    if (year, month) > (today.year, today.month):
        raise ApplicationError(_("Chưa đến tháng %(m)02d/%(y)s: hiển thị tháng hiện tại.") % {"m": month, "y": year})
    return year, month


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, month_calendar.monthrange(year, month)[1])


def month_choices(*, today: date, count: int = 24) -> list[dict]:
    """The months the form offers, the current one first."""
    return [
        {"value": f"{y}-{m:02d}", "label": f"{m:02d}/{y}"}
        for y, m in reversed(months_ending(today.year, today.month, count))
    ]


def _forbidden(message: str) -> PermissionDenied:
    return PermissionDenied(message, code="dashboard_forbidden")


def _period_params(year: int, month: int, **more) -> dict[str, str]:
    first, last = month_bounds(year, month)
    return {"from": first.isoformat(), "to": last.isoformat(), **{k: v for k, v in more.items() if v}}


def leader_scope(
    *,
    user,
    year: int,
    month: int,
    agency: str = "",
    centre: str = "",
    province: str = "",
    now: datetime | None = None,
) -> Scope:
    """The whole agency for the month: leaders, the reform officer, the administrator; what a
    one-stop point received (`centre`); the whole province for a provincial leader (their default)."""
    if not _is_staff(user) or user.role not in READS_AGENCY_REPORTS:
        raise _forbidden(
            _("Bảng điều khiển của lãnh đạo dành cho Lãnh đạo Sở và cán bộ phụ trách cải cách hành chính.")
        )
    params = _period_params(year, month, agency=agency, centre=centre, province=province)
    return report_scope(user=user, params=params, now=now)


def unit_scope(*, user, year: int, month: int, unit: str = "", now: datetime | None = None) -> Scope | None:
    """A unit head's own unit; a leader's choice of unit (None until they choose one). Another
    unit than their own is refused to a unit head by `report_scope`."""
    if not _is_staff(user) or user.role not in READS_UNIT_REPORTS:
        raise _forbidden(_("Bảng điều khiển của đơn vị dành cho trưởng đơn vị và lãnh đạo."))
    if user.role in READS_AGENCY_REPORTS and not (unit or "").strip():
        return None
    return report_scope(user=user, params=_period_params(year, month, unit=(unit or "").strip()), now=now)


def _is_staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and is_staff_role(user.role)


def band_for(percent: float | None) -> dict | None:
    if percent is None:
        return None
    for start, label, key in BANDS:
        if percent >= start:
            return {"label": str(label), "key": key, "from": start}
    return None


# ---------------------------------------------------------------- the dashboards


def leader_dashboard(scope: Scope) -> dict:
    index = service_index_for(scope)
    return {
        "index": index,
        "band": band_for(index["percent"]),
        "trend": monthly_trend(scope, index=index),
        "units": units_ranked(scope) if scope.agency is not None else agencies_ranked(scope),
        "late": late_by_agency(now=scope.now)
        if scope.is_province
        else late_by_unit(agency=scope.agency, centre=scope.centre, now=scope.now),
    }


def unit_dashboard(scope: Scope) -> dict:
    index = service_index_for(scope)
    return {
        "index": index,
        "band": band_for(index["percent"]),
        "trend": monthly_trend(scope, index=index),
        "officers": officers_ranked(scope),
        "late": late_by_assignee(unit=scope.unit, now=scope.now),
    }


# ---------------------------------------------------------------- the monthly trend


def _month_key(moment) -> tuple[int, int]:
    if isinstance(moment, datetime):
        moment = moment.astimezone(VN_TZ)
    return moment.year, moment.month


def _progress_group():
    return next((g for g in index_groups() if g.code == PROGRESS), None)


def share(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator in percent, to 0.01 with halves up (as the index rounds); None for 0/0."""
    if not denominator:
        return None
    value = Decimal(100 * numerator) / Decimal(denominator)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _progress_point(figures: dict[str, Figure]) -> dict:
    """On-time share and progress points of one month, scored as the index scores them."""
    group = _progress_group()
    on_time = figures.get(ON_TIME, Figure())
    point = {
        "on_time": on_time.numerator or 0,
        "counted": on_time.denominator or 0,
        "share": share(on_time.numerator or 0, on_time.denominator or 0),
        "points": None,
        "max": None,
        "measured_max": None,
    }
    if group is not None:
        scored = indicators.score_index([group], figures)["groups"][0]
        counted = any(i["counted"] for i in scored["indicators"])
        point.update(
            {
                "points": scored["points"] if counted else None,
                "max": scored["max"],
                "measured_max": scored["measured_max"] if counted else None,
            }
        )
    return point


def _point_from_index(index: dict) -> dict:
    group = next((g for g in index["groups"] if g["code"] == PROGRESS), None)
    on_time = next((i for g in index["groups"] for i in g["indicators"] if i["code"] == ON_TIME), None)
    counted = bool(group and any(i["counted"] for i in group["indicators"]))
    return {
        "on_time": (on_time or {}).get("numerator") or 0,
        "counted": (on_time or {}).get("denominator") or 0,
        "share": (on_time or {}).get("value"),
        "points": group["points"] if counted else None,
        "max": group["max"] if group else None,
        "measured_max": group["measured_max"] if counted else None,
    }


def monthly_trend(scope: Scope, *, index: dict | None = None) -> list[dict]:
    """The twelve months ending with the scope's month, oldest first: `{"year", "month", "label",
    "on_time", "counted", "share" (percent or None), "points", "max", "measured_max", "drilldown"}`
    — the progress group's points as the index gives them for each whole month (None: nothing
    measured; `max` the group's maximum, `measured_max` what could be earned that month).

    The scope's own month is taken from `index` (its index, already computed) when given. Each
    month that is over is cached on its own, so another month chosen shares most of them."""
    keys = months_ending(scope.date_to.year, scope.date_to.month, TREND_MONTHS)
    months = trend_points(scope, keys[:-1] if index is not None else keys)
    if index is not None:
        months[keys[-1]] = _point_from_index(index)
    trend = []
    for y, m in keys:
        first, last = month_bounds(y, m)
        month_scope = replace(scope, date_from=first, date_to=last)
        point = {k: v for k, v in months[(y, m)].items() if k != "over"}
        trend.append(
            {
                "year": y,
                "month": m,
                "label": f"{m:02d}/{y}",
                **point,
                "drilldown": {part: drilldown_url(ON_TIME, part, month_scope) for part in ("numerator", "denominator")},
            }
        )
    return trend


def trend_points(scope: Scope, keys: list[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """The progress of each month of `keys` (consecutive): the months that are over from their
    rollup rows, the others computed together. Only the refresh (`reports.tasks`) stores rollups:
    a month it has not stored yet is computed for each visitor until it has."""
    months = stored_points(scope, keys)
    missing = [key for key in keys if key not in months]
    if missing:
        months.update(missing_points(scope, missing))
    return months


def stored_points(scope: Scope, keys: list[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """The rollups stored for `keys` by the current definition of the index (one query)."""
    stored = TrendMonth.objects.filter(
        scope_key=scope_key(scope), month__in=[date(y, m, 1) for y, m in keys], definition=definition_key()
    )
    return {(row.month.year, row.month.month): row.point for row in stored}


def missing_points(scope: Scope, missing: list[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """The progress of the months from the first to the last of `missing`, computed together."""
    with _trend_queries():
        return _progress_by_month(scope, months_ending(*missing[-1], _months_between(missing[0], missing[-1])))


def month_points(scope: Scope, keys: list[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """`keys`' progress computed afresh (for the refresh)."""
    with _trend_queries():
        return _progress_by_month(scope, keys)


def leading_units(agency: Agency) -> list[Unit]:
    """The units that lead at least one of the agency's procedures: the ones with figures of their own."""
    units = Unit.objects.filter(
        agency=agency, pk__in=ProcedureVersion.objects.filter(procedure__agency=agency).values("unit_id")
    )
    return list(units.order_by("pk"))


def dashboard_scopes(*, agency: Agency, year: int, month: int, now: datetime) -> list[Scope]:
    """The scopes whose trends the dashboards show: the agency and each unit that leads a procedure."""
    first, last = month_bounds(year, month)
    units = leading_units(agency)
    scopes = [make_scope(date_from=first, date_to=last, agency=agency, now=now)]
    scopes += [make_scope(date_from=first, date_to=last, agency=agency, unit=unit, now=now) for unit in units]
    return scopes


def _months_between(first: tuple[int, int], last: tuple[int, int]) -> int:
    return (last[0] * 12 + last[1]) - (first[0] * 12 + first[1]) + 1


@contextmanager
def _trend_queries():
    """The index's read settings (no JIT), and on PostgreSQL enough memory for the grouped scans of
    a year of dossiers to hash in memory rather than sort on disk (`SET LOCAL`: this transaction)."""
    with _short_queries():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _progress_by_month(scope: Scope, keys: list[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """The progress indicators of each month of `keys` (consecutive months), as the index computes
    them month by month, from four grouped scans of the window's dossiers (and one of the few
    supplementation requests):

    1. the dossiers finished in the window, by (month, procedure): how many, how many on time,
       their time limits;
    2. the dossiers late at the end of some month (`_open_late` of each month, OR-ed), by (month
       finished, month received, month of the deadline): for a month that is over, "late at its
       end" is "received and due by then, and finished after it or not at all", which those three
       months decide;
    3. and 4. the sums per (month, procedure, day) of the average processing time.

    A month not over yet (its end after `scope.now`) is judged at `now`: one more count."""
    first, _ = month_bounds(*keys[0])
    _, last = month_bounds(*keys[-1])
    window = replace(scope, date_from=first, date_to=last)
    month_scopes = {k: replace(scope, date_from=month_bounds(*k)[0], date_to=month_bounds(*k)[1]) for k in keys}
    over = {k: s.end <= scope.now for k, s in month_scopes.items()}

    finished = _finished(window)
    with_start = Q(counted_from__isnull=False, deadline_at__isnull=False)
    on_time: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    totals: dict[tuple, dict[int, tuple[int, int]]] = defaultdict(dict)
    rows = (
        window.dossiers()
        .filter(finished)
        .annotate(month=TruncMonth("finished_at", tzinfo=VN_TZ))
        .order_by()
        .values("month", "procedure_id")
        .annotate(
            finished=Count("pk"),
            on_time=Count("pk", filter=_on_time()),
            timed=Count("pk", filter=with_start),
        )
        .values_list("month", "procedure_id", "finished", "on_time", "timed")
    )
    for month, pid, count, in_time, timed in rows:
        key = _month_key(month)
        on_time[key][0] += in_time
        on_time[key][1] += count
        if timed:
            totals[key][pid] = timed

    late_at_end: dict[tuple, int] = defaultdict(int)
    complete = [s for k, s in month_scopes.items() if over[k]]
    if complete:
        rows = (
            window.dossiers()
            .filter(reduce(or_, (_open_late(s) for s in complete)))
            .annotate(
                finished_month=TruncMonth("finished_at", tzinfo=VN_TZ),
                received_month=TruncMonth("received_at", tzinfo=VN_TZ),
                deadline_month=TruncMonth("deadline_at", tzinfo=VN_TZ),
            )
            .order_by()
            .values("finished_month", "received_month", "deadline_month")
            .annotate(n=Count("pk"))
            .values_list("finished_month", "received_month", "deadline_month", "n")
        )
        for finished_month, received_month, deadline_month, n in rows:
            since = max(_month_key(received_month), _month_key(deadline_month))
            until = _month_key(finished_month) if finished_month is not None else None
            for key in keys:
                if over[key] and since <= key and (until is None or until > key):
                    late_at_end[key] += n
    for key, month_scope in month_scopes.items():
        if not over[key]:
            late_at_end[key] = window.dossiers().filter(_open_late(month_scope)).count()

    # The agency's passages through other agencies' inter-agency dossiers, as the index counts them.
    passages = segments.progress_by_month(window, keys, over)
    for key, month_scope in month_scopes.items():
        if not over[key]:
            passages[key][1] += segments.late_open_count(month_scope)

    averages = _averages_by_month(window, finished & with_start, totals)
    out = {}
    for key in keys:
        in_time, count = on_time[key]
        in_time, count = in_time + passages[key][0], count + passages[key][1]
        month_averages = averages.get(key, [])
        figures = {
            ON_TIME: Figure(in_time, count + late_at_end[key]),
            "progress.average_time": Figure(sum(1 for a in month_averages if a.within_limit), len(month_averages)),
        }
        out[key] = {**_progress_point(figures), "over": over[key]}
    return out


def _averages_by_month(window: Scope, timed: Q, totals: dict) -> dict[tuple, list[indicators.ProcedureAverage]]:
    """`selectors.procedure_averages` for every month of the window at once: the same sums per
    (procedure, day), grouped by the month the dossiers finished in as well. `totals` holds the
    number of dossiers per month and procedure."""
    agency = window.agency
    if agency is None or not totals:
        return {}
    dossiers = window.dossiers().filter(timed)
    intervals = indicators.office_intervals(agency.office_hours)

    def day_groups(field_name: str) -> dict[tuple, list[indicators.DayGroup]]:
        """Per (month finished, procedure, day of `field_name`); for the ends the day gives the month."""
        group = ["procedure_id", "day"] if field_name == "finished_at" else ["month", "procedure_id", "day"]
        qs = dossiers.annotate(day=TruncDate(field_name, tzinfo=VN_TZ))
        if "month" in group:
            qs = qs.annotate(month=TruncMonth("finished_at", tzinfo=VN_TZ))
        rows = (
            qs.order_by()
            .values(*group)
            .annotate(count=Count("pk"), elapsed=_elapsed(field_name, intervals))
            .values(*group, "count", "elapsed")
        )
        groups: dict[tuple, list] = defaultdict(list)
        for row in rows:
            month = _month_key(row["month"]) if "month" in row else (row["day"].year, row["day"].month)
            groups[month].append(
                indicators.DayGroup(row["procedure_id"], row["day"], row["count"], row["elapsed"] or 0)
            )
        return groups

    starts, ends = day_groups("counted_from"), day_groups("finished_at")
    deadlines = day_groups("deadline_at")
    paused = _paused_by_month(window, timed)
    calendar = agency_calendar(agency)
    return {
        month: indicators.averages_from_groups(
            starts=starts.get(month, []),
            ends=ends.get(month, []),
            deadlines=deadlines.get(month, []),
            totals=[
                indicators.ProcedureTotals(pid, count, paused.get((month, pid), 0))
                for pid, count in sorted(by_procedure.items())
            ],
            calendar=calendar,
        )
        for month, by_procedure in totals.items()
    }


def _paused_by_month(window: Scope, timed: Q) -> dict[tuple, int]:
    """Minutes waiting for the applicant during processing, per (month finished, procedure), read
    from the supplementation requests (few) rather than from the window's dossiers."""
    requests = SupplementRequest.objects.filter(
        Exists(window.dossiers().filter(timed).filter(pk=OuterRef("dossier_id"))),
        stage=SupplementRequest.Stage.PROCESSING,
        paused_minutes__gt=0,
    )
    rows = (
        requests.annotate(month=TruncMonth("dossier__finished_at", tzinfo=VN_TZ))
        .order_by()
        .values("month", "dossier__procedure_id")
        .annotate(minutes=Sum("paused_minutes"))
        .values_list("month", "dossier__procedure_id", "minutes")
    )
    return {(_month_key(month), pid): minutes for month, pid, minutes in rows}


# ---------------------------------------------------------------- units ranked (leader)


def units_ranked(scope: Scope) -> list[dict]:
    """Each lead unit's on-time share for the month (the index's progress rule), best first:
    `{"unit", "on_time", "late", "counted", "share", "drilldown"}`. Two grouped queries and the
    units' names."""
    finished, open_late = _on_time_by(scope, "procedure_version__unit_id")
    ids = set(finished) | set(open_late)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)} if ids else {}
    rows = []
    for unit_id in ids:
        count, in_time = finished.get(unit_id, (0, 0))
        counted = count + open_late.get(unit_id, 0)
        unit = units.get(unit_id)
        unit_scope_ = replace(scope, unit=unit) if unit is not None else None
        rows.append(
            {
                "unit": unit,
                "name": unit.name if unit else _("Chưa xác định đơn vị"),
                "on_time": in_time,
                "late": counted - in_time,
                "late_open": open_late.get(unit_id, 0),
                "counted": counted,
                "share": share(in_time, counted),
                "drilldown": {part: drilldown_url(ON_TIME, part, unit_scope_) for part in ("numerator", "denominator")}
                if unit_scope_ is not None
                else None,
            }
        )
    return _ranked(rows)


def _on_time_by(scope: Scope, group: str) -> tuple[dict, dict]:
    """The month's progress figures grouped by `group`, in two grouped queries: {key: (finished,
    finished on time)} and {key: open and already late}."""
    with _short_queries():
        finished = {
            key: (count, in_time)
            for key, count, in_time in scope.dossiers()
            .filter(_finished(scope))
            .order_by()
            .values(group)
            .annotate(finished=Count("pk"), on_time=Count("pk", filter=_on_time()))
            .values_list(group, "finished", "on_time")
        }
        open_late = dict(
            scope.dossiers()
            .filter(_open_late(scope))
            .order_by()
            .values(group)
            .annotate(n=Count("pk"))
            .values_list(group, "n")
        )
    return finished, open_late


def _agency_row(scope: Scope, agency: Agency, *, on_time: int, counted: int, late_open: int) -> dict:
    agency_scope = replace(scope, agency=agency, centre=scope.centre)
    return {
        "unit": None,
        "agency": agency,
        "name": agency.name,
        "on_time": on_time,
        "late": counted - on_time,
        "late_open": late_open,
        "counted": counted,
        "share": share(on_time, counted),
        "drilldown": {part: drilldown_url(ON_TIME, part, agency_scope) for part in ("numerator", "denominator")},
    }


def _ranked(rows: list[dict]) -> list[dict]:
    rows.sort(key=lambda r: (r["share"] is None, -(r["share"] or 0), -r["counted"], r["name"]))
    return rows


def agencies_ranked(scope: Scope) -> list[dict]:
    """For the province or a one-stop point: each resolving agency's on-time share for the month,
    best first, in the shape of `units_ranked` (the agency in place of the unit). The province's
    from the agencies' stored indexes (what its total adds up); a point's in two grouped queries."""
    if scope.is_province:
        from .province import agency_results

        rows = []
        for agency, result in agency_results(scope):
            figure = next((i for g in result["groups"] for i in g["indicators"] if i["code"] == ON_TIME), None)
            if figure and figure["denominator"]:
                late_open = (figure.get("breakdown") or {}).get("late_open", 0)
                rows.append(
                    _agency_row(
                        scope, agency, on_time=figure["numerator"], counted=figure["denominator"], late_open=late_open
                    )
                )
        return _ranked(rows)
    finished, open_late = _on_time_by(scope, "agency_id")
    ids = set(finished) | set(open_late)
    agencies = Agency.objects.in_bulk(ids) if ids else {}
    rows = []
    for agency_id in ids:
        count, in_time = finished.get(agency_id, (0, 0))
        late = open_late.get(agency_id, 0)
        rows.append(_agency_row(scope, agencies[agency_id], on_time=in_time, counted=count + late, late_open=late))
    return _ranked(rows)


# ---------------------------------------------------------------- late now


def _open_run():
    return DossierStep.objects.filter(dossier_id=OuterRef("pk"), finished_at__isnull=True)


def late_now(*, agency_id: int | None, now: datetime, centre_id: int | None = None):
    """Open dossiers late now (`timeliness.open_late`, the desk's "Quá hạn"), of an agency, or
    received by a one-stop point (`centre_id`), or of the whole province."""
    qs = Dossier.objects.filter(timeliness.open_late(now))
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if centre_id is not None:
        qs = qs.filter(reception_point_id=centre_id)
    return qs


def _merged(rows, more) -> list[tuple]:
    """(key, late, oldest due) rows of two grouped queries added up by key."""
    merged: dict = {}
    for key, late, oldest in [*rows, *more]:
        if key in merged:
            count, first = merged[key]
            merged[key] = (count + late, min(first, oldest))
        else:
            merged[key] = (late, oldest)
    return [(key, late, oldest) for key, (late, oldest) in merged.items()]


def late_by_unit(*, agency: Agency | None, now: datetime, centre: Agency | None = None) -> list[dict]:
    """Late dossiers now by the unit of their open step, with the unit's head(s), most first:
    `{"unit", "name", "late", "oldest_due", "heads": [User]}`. Three queries."""
    rows = list(
        late_now(agency_id=agency.pk if agency else None, now=now, centre_id=centre.pk if centre else None)
        .annotate(step_unit=Subquery(_open_run().values("unit_id")[:1]))
        .order_by()
        .values("step_unit")
        .annotate(late=Count("pk"), oldest_due=Min("deadline_at"))
        .values_list("step_unit", "late", "oldest_due")
    )
    if agency is not None and centre is None:
        # Its passages through other agencies' inter-agency dossiers, late on their own due moment.
        passages = (
            segments.late_now(now, agency_id=agency.pk)
            .annotate(
                step_unit=Subquery(
                    DossierStep.objects.filter(dossier_id=OuterRef("dossier_id"), finished_at__isnull=True).values(
                        "unit_id"
                    )[:1]
                )
            )
            .order_by()
            .values("step_unit")
            .annotate(late=Count("pk"), oldest_due=Min("due_at"))
            .values_list("step_unit", "late", "oldest_due")
        )
        rows = _merged(rows, passages)
    ids = {unit_id for unit_id, _n, _d in rows if unit_id is not None}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)} if ids else {}
    heads: dict[int, list[User]] = defaultdict(list)
    if ids:
        for head in User.objects.filter(role__in=HEADS_UNIT, is_active=True, unit_id__in=ids).order_by(
            "full_name", "username"
        ):
            heads[head.unit_id].append(head)
    out = [
        {
            "unit": units.get(unit_id),
            "name": units[unit_id].name if unit_id in units else _("Chưa chuyển đến đơn vị xử lý"),
            "code": units[unit_id].code if unit_id in units else "",
            "late": late,
            "oldest_due": oldest,
            "heads": heads.get(unit_id, []),
        }
        for unit_id, late, oldest in rows
    ]
    out.sort(key=lambda r: (-r["late"], r["name"]))
    return out


def late_by_agency(*, now: datetime) -> list[dict]:
    """The province's late dossiers now by resolving agency, most first, in the shape of
    `late_by_unit` (no unit, no heads). One grouped query and the agencies' names."""
    rows = list(
        late_now(agency_id=None, now=now)
        .order_by()
        .values("agency_id")
        .annotate(late=Count("pk"), oldest_due=Min("deadline_at"))
        .values_list("agency_id", "late", "oldest_due")
    )
    # An agency late on its passage through another's inter-agency dossier is late too.
    passages = (
        segments.late_now(now)
        .order_by()
        .values("agency_id")
        .annotate(late=Count("pk"), oldest_due=Min("due_at"))
        .values_list("agency_id", "late", "oldest_due")
    )
    rows = _merged(rows, passages)
    agencies = Agency.objects.in_bulk([agency_id for agency_id, _n, _d in rows])
    out = [
        {"unit": None, "name": agencies[agency_id].name, "code": "", "late": late, "oldest_due": oldest, "heads": []}
        for agency_id, late, oldest in rows
    ]
    out.sort(key=lambda r: (-r["late"], r["name"]))
    return out


def late_by_assignee(*, unit: Unit, now: datetime) -> list[dict]:
    """The unit's late dossiers now (their open step is the unit's) by the step's assignee, most
    first: `{"officer" (None: not assigned yet), "late", "oldest_due"}`. Two queries."""
    rows = list(
        late_now(agency_id=unit.agency_id, now=now)
        .filter(Exists(_open_run().filter(unit_id=unit.pk)))
        .annotate(step_assignee=Subquery(_open_run().values("assignee_id")[:1]))
        .order_by()
        .values("step_assignee")
        .annotate(late=Count("pk"), oldest_due=Min("deadline_at"))
        .values_list("step_assignee", "late", "oldest_due")
    )
    ids = {officer_id for officer_id, _n, _d in rows if officer_id is not None}
    officers = {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}
    out = [
        {"officer": officers.get(officer_id), "late": late, "oldest_due": oldest} for officer_id, late, oldest in rows
    ]
    out.sort(key=lambda r: (-r["late"], str(r["officer"] or "")))
    return out


# ---------------------------------------------------------------- steps by officer


def _step_counts() -> dict:
    return {
        "steps": Count("pk"),
        "early": Count("pk", filter=Q(outcome=DossierStep.Outcome.EARLY)),
        "on_time": Count("pk", filter=Q(outcome__in=STEP_ON_TIME)),
        "late": Count("pk", filter=Q(outcome=DossierStep.Outcome.LATE)),
        "dossiers": Count("dossier_id", distinct=True),
    }


def _step_share(values: dict) -> float | None:
    return share(values["on_time"], values["on_time"] + values["late"])


def _officer_order(row: dict) -> tuple:
    return (row["steps"] == 0, row["share"] is None, -(row["share"] or 0), -row["steps"], str(row["officer"] or ""))


def officers_ranked(scope: Scope) -> list[dict]:
    """The unit's officers by the on-time share of the steps they finished in the unit this month
    (a step is judged against its own time budget), best first; active staff of the unit with no
    step at the end. `{"officer", "steps", "early", "on_time", "late", "dossiers", "share"}`."""
    unit = scope.unit
    if unit is None:
        return []
    rows = list(
        DossierStep.objects.filter(unit_id=unit.pk, finished_at__gte=scope.start, finished_at__lt=scope.end)
        # A step the applicant closed (withdrawing, answering a supplementation request) is nobody's work.
        .filter(Q(finished_by__isnull=True) | Q(finished_by__role__in=STAFF_ROLES))
        .annotate(officer_id=Coalesce("finished_by_id", "assignee_id"))
        .order_by()
        .values("officer_id")
        .annotate(**_step_counts())
    )
    by_officer = {row["officer_id"]: row for row in rows}
    staff = User.objects.filter(
        Q(pk__in=[pk for pk in by_officer if pk is not None])
        | Q(unit_id=unit.pk, is_active=True, role__in=PROCESS_ROLES)
    ).order_by("full_name", "username")
    out = []
    for officer in staff:
        values = by_officer.get(officer.pk) or dict.fromkeys(("steps", "early", "on_time", "late", "dossiers"), 0)
        out.append({"officer": officer, **{k: values[k] for k in _step_counts()}, "share": _step_share(values)})
    if None in by_officer:
        values = by_officer[None]
        out.append({"officer": None, **{k: values[k] for k in _step_counts()}, "share": _step_share(values)})
    out.sort(
        key=lambda r: (r["steps"] == 0, r["share"] is None, -(r["share"] or 0), -r["steps"], str(r["officer"] or ""))
    )
    return out


# ---------------------------------------------------------------- an officer's own


def _rating_counts() -> dict:
    counts = {"n": Count("pk")}
    for factor in FACTORS:
        counts[f"ok_{factor}"] = Count("pk", filter=Q(**{f"{score_field(factor)}__gte": SATISFIED_FROM}))
        counts[f"n_{factor}"] = Count(score_field(factor))  # answers given ("không áp dụng" is none)
    return counts


def _satisfaction(values: dict | None) -> dict:
    if not values or not values["n"]:
        return {"ratings": 0, "overall": None, "officer": None}
    factors = {f: index_from_counts(values[f"ok_{f}"], values[f"n_{f}"]) for f in FACTORS}
    overall = overall_index(factors.values())
    return {
        "ratings": values["n"],
        "overall": None if overall is None else round(overall, 1),
        "officer": None if factors["officer"] is None else round(factors["officer"], 1),
    }


def officer_dashboard(*, user, date_from: date, date_to: date, now: datetime | None = None) -> dict:
    """`user`'s own month: dossiers received at the counter, steps finished (and their on-time
    share), the work waiting for them now and how much of it is late, and the satisfaction of
    the applicants — with the dossiers they received (one-stop officers, as the surveys count
    it) or with the dossiers whose step they finished (everyone else). Five queries."""
    if not _is_staff(user):
        raise _forbidden(_("Chỉ cán bộ của cơ quan có bảng điều khiển cá nhân."))
    now = now or timezone.now()
    scope = make_scope(date_from=date_from, date_to=date_to, agency=user.agency, officer=user, now=now)
    received = Dossier.objects.filter(received_by=user, received_at__gte=scope.start, received_at__lt=scope.end)
    received = received.aggregate(received=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)))

    mine = Q(finished_by=user) | Q(finished_by__isnull=True, assignee=user)
    # Served by the (finished_by, finished_at) and (assignee, finished_at) indexes of DossierStep.
    steps = DossierStep.objects.filter(mine, finished_at__gte=scope.start, finished_at__lt=scope.end)
    steps = steps.aggregate(**_step_counts())
    steps["share"] = _step_share(steps)

    work = (
        work_queue(user=user).order_by().aggregate(open=Count("pk"), late=Count("pk", filter=timeliness.open_late(now)))
    )

    if user.role in RECEIVES_AT_COUNTER:
        row = next(
            (
                r
                for r in satisfaction_by(group="officer", date_from=date_from, date_to=date_to, agency=user.agency)
                if r.key == user.pk
            ),
            None,
        )
        values = None
        if row is not None:
            values = {"n": row.count, **{f"ok_{f}": row.satisfied[f] for f in FACTORS}}
        satisfaction = {**_satisfaction(values), "basis": "received"}
    else:
        handled = DossierStep.objects.filter(dossier_id=OuterRef("dossier_id"), finished_by=user)
        values = Rating.objects.filter(rated_at__gte=scope.start, rated_at__lt=scope.end).filter(Exists(handled))
        satisfaction = {**_satisfaction(values.aggregate(**_rating_counts())), "basis": "handled"}

    return {
        "scope": scope,
        "received": received,
        "steps": steps,
        "work": work,
        "satisfaction": satisfaction,
        "received_list": drilldown_url("online.dossiers", "denominator", scope)
        if user.role in RECEIVES_AT_COUNTER and user.agency_id
        else "",
    }


# ---------------------------------------------------------------- the lists behind the figures

LIST_LATE = "qua-han"  # late now, by the open step's unit and assignee
LIST_STEPS = "buoc"  # dossiers with a step finished in a period, by unit, officer and outcome
LIST_MINE = "viec-cua-toi-qua-han"  # my late work


def late_list(
    *, user, now: datetime, unit: Unit | None = None, no_unit: bool = False, assignee=None, unassigned: bool = False
):
    """Late dossiers now that `user` may see, by their open step's unit and assignee."""
    qs = dossiers_late(user=user, now=now)
    if unit is not None:
        qs = qs.filter(Exists(_open_run().filter(unit_id=unit.pk)))
    elif no_unit:
        qs = qs.exclude(Exists(_open_run().filter(unit__isnull=False)))
    if assignee is not None:
        qs = qs.filter(Exists(_open_run().filter(assignee_id=assignee.pk)))
    elif unassigned:
        qs = qs.filter(Exists(_open_run().filter(assignee__isnull=True)))
    return qs.order_by(_unindexed("deadline_at"), "id")


def steps_list(*, user, start: datetime, end: datetime, unit: Unit | None = None, officer=None, outcome: str = ""):
    """Dossiers `user` may see with a step finished in [start, end) (in `unit`, by `officer`,
    with `outcome`: "on_time" = early or on time, "late")."""
    steps = DossierStep.objects.filter(finished_at__gte=start, finished_at__lt=end)
    if unit is not None:
        steps = steps.filter(unit_id=unit.pk)
    if officer is not None:
        steps = steps.filter(Q(finished_by=officer) | Q(finished_by__isnull=True, assignee=officer))
    if outcome == "on_time":
        steps = steps.filter(outcome__in=STEP_ON_TIME)
    elif outcome == "late":
        steps = steps.filter(outcome=DossierStep.Outcome.LATE)
    rows = dossier_visible_to(user).filter(pk__in=steps.values("dossier_id"))
    return rows.order_by(_unindexed("received_at").desc(), "-id")


def my_late_list(*, user, now: datetime):
    return work_queue(user=user).filter(timeliness.open_late(now)).order_by(_unindexed("deadline_at"), "id")


def _unindexed(field_name: str) -> Coalesce:
    """`field_name` for ordering a short list. Ordered by the bare column, PostgreSQL would walk
    that column's index through the whole table looking for the few rows of the list (the late
    dossiers are a few thousand of a million, the oldest appointments long settled); ordered by an
    expression, it finds the rows first and then sorts them."""
    return Coalesce(field_name, field_name)
