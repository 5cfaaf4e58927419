"""An agency's part in other agencies' inter-agency (liên thông) dossiers, for the service index.

A department that appraises a step of a commune's dossier does not resolve it, so the dossier is in
the commune's figures. The department answers for its own passage (`DossierSegment`): indicator
2.1 (on time) of its index also counts each passage it ended in the period (on time when it left by
its due moment) and each still running late at the period's cutoff, judged by
`dossiers.timeliness.segment_*`. Only for a whole agency's index: a unit, field, procedure or
officer scope reads the dossiers it resolves, as before.
"""

from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import LessThan

from cchc.core.calendar import VN_TZ
from cchc.dossiers import timeliness
from cchc.dossiers.models import DossierSegment
from cchc.dossiers.workflow import Status

# A passage of a dossier that was withdrawn or stopped is not judged, as the dossier is not.
NOT_JUDGED = (Status.WITHDRAWN, Status.STOPPED)


def applies(scope) -> bool:
    return scope.agency is not None and not any((scope.unit, scope.field, scope.procedure, scope.officer))


def _participating(scope) -> QuerySet[DossierSegment]:
    """The scope agency's passages through dossiers another agency resolves."""
    return (
        DossierSegment.objects.filter(agency=scope.agency)
        .exclude(dossier__agency=scope.agency)
        .exclude(dossier__status__in=NOT_JUDGED)
    )


def _left_in(scope) -> Q:
    return Q(left_at__gte=scope.start, left_at__lt=scope.end)


def _late_at_cutoff(scope) -> Q:
    return Q(entered_at__lt=scope.cutoff) & timeliness.segment_open_late(scope.cutoff)


def _early() -> Q:
    return timeliness.segment_left_on_time() & Q(
        LessThan(TruncDate("left_at", tzinfo=VN_TZ), TruncDate("due_at", tzinfo=VN_TZ))
    )


def progress(scope) -> dict[str, int]:
    """{finished, on_time, early, late_open} of the scope agency's passages (zeros when not applicable)."""
    if not applies(scope):
        return {"finished": 0, "on_time": 0, "early": 0, "late_open": 0}
    left = _participating(scope).filter(_left_in(scope))
    counts = left.aggregate(
        finished=Count("pk"),
        on_time=Count("pk", filter=timeliness.segment_left_on_time()),
        early=Count("pk", filter=_early()),
    )
    counts["late_open"] = late_open_count(scope)
    return counts


def late_open_count(scope) -> int:
    """The scope agency's passages still open and late at the scope's cutoff."""
    return _participating(scope).filter(_late_at_cutoff(scope)).count() if applies(scope) else 0


def progress_rows(scope) -> tuple[Q, Q]:
    """(counted, on time) over dossiers: those of the scope agency's passages counted in the period,
    and those among them it passed on in time, for the list behind indicator 2.1."""
    segments = _participating(scope).filter(dossier_id=OuterRef("pk"))
    counted = Exists(segments.filter(_left_in(scope) | _late_at_cutoff(scope)))
    on_time = Exists(segments.filter(_left_in(scope) & timeliness.segment_left_on_time()))
    return Q(counted), Q(on_time)


def late_now(now: datetime, *, agency_id: int | None = None) -> QuerySet[DossierSegment]:
    """Passages still open and late at `now` through dossiers another agency resolves (of one agency,
    or of every agency): the dashboards' "late now" counts them for the agency holding the dossier,
    beside the dossiers each agency resolves."""
    qs = (
        DossierSegment.objects.filter(timeliness.segment_open_late(now), left_at__isnull=True)
        .filter(dossier__status__in=timeliness.UNFINISHED)
        .exclude(dossier__agency_id=F("agency_id"))
    )
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs


def _month_key(moment) -> tuple[int, int]:
    if isinstance(moment, datetime):
        moment = moment.astimezone(VN_TZ)
    return moment.year, moment.month


def progress_by_month(window, keys: list[tuple[int, int]], over: dict) -> dict[tuple[int, int], list[int]]:
    """`{(year, month): [on time, counted]}` of the window agency's passages, month by month as
    `progress` counts them for each whole month (two grouped queries): passages left in the month,
    and those late at the end of a month that is over (due before its end, left after it or not at
    all). A month still running is counted by `progress` at `window.now` (one query each)."""
    out: dict[tuple[int, int], list[int]] = {key: [0, 0] for key in keys}
    if not applies(window):
        return out
    left = (
        _participating(window)
        .filter(_left_in(window))
        .annotate(month=TruncMonth("left_at", tzinfo=VN_TZ))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=timeliness.segment_left_on_time()))
        .values_list("month", "n", "on_time")
    )
    for month, n, on_time in left:
        key = _month_key(month)
        if key in out:
            out[key][0] += on_time
            out[key][1] += n
    done = [key for key in keys if over[key]]
    if done:
        late = (
            _participating(window)
            .filter(entered_at__lt=window.end, due_at__lt=window.end)
            .filter(Q(left_at__isnull=True) | Q(left_at__gt=F("due_at")))
            .annotate(due_month=TruncMonth("due_at", tzinfo=VN_TZ), left_month=TruncMonth("left_at", tzinfo=VN_TZ))
            .order_by()
            .values("due_month", "left_month")
            .annotate(n=Count("pk"))
            .values_list("due_month", "left_month", "n")
        )
        for due_month, left_month, n in late:
            since = _month_key(due_month)
            until = None if left_month is None else _month_key(left_month)
            for key in done:
                if since <= key and (until is None or until > key):
                    out[key][1] += n
    return out
