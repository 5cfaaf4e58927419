"""An agency's part in other agencies' inter-agency (liên thông) dossiers, for the service index.

A department that appraises a step of a commune's dossier does not resolve it, so the dossier is in
the commune's figures. The department answers for its own passage (`DossierSegment`): indicator
2.1 (on time) of its index also counts each passage it ended in the period (on time when it left by
its due moment) and each still running late at the period's cutoff, judged by
`dossiers.timeliness.segment_*`. Only for a whole agency's index: a unit, field, procedure or
officer scope reads the dossiers it resolves, as before.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
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
    counts["late_open"] = _participating(scope).filter(_late_at_cutoff(scope)).count()
    return counts


def progress_rows(scope) -> tuple[Q, Q]:
    """(counted, on time) over dossiers: those of the scope agency's passages counted in the period,
    and those among them it passed on in time, for the list behind indicator 2.1."""
    segments = _participating(scope).filter(dossier_id=OuterRef("pk"))
    counted = Exists(segments.filter(_left_in(scope) | _late_at_cutoff(scope)))
    on_time = Exists(segments.filter(_left_in(scope) & timeliness.segment_left_on_time()))
    return Q(counted), Q(on_time)
