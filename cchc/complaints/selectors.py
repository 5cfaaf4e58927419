"""Reads on complaints, each carrying its access rule, and the on-time figure for the service index.

A citizen or business sees only what they sent; the one-stop counter, leaders, the reform
officer and the administrator see their agency's; a specialist or unit head sees what was
routed to their unit.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from cchc.accounts.roles import APPLICANT_ROLES, SEES_AGENCY_DOSSIERS, SEES_UNIT_DOSSIERS
from cchc.core import clock
from cchc.core.calendar import VN_TZ

from .models import Complaint

OPEN = (Complaint.Status.NEW, Complaint.Status.IN_PROGRESS)


def _related(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.select_related("dossier", "procedure__current_version", "unit", "answered_by")


def complaint_visible_to(user) -> QuerySet[Complaint]:
    """Every complaint `user` may see, and nothing else."""
    qs = Complaint.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in APPLICANT_ROLES:
        return qs.filter(submitter=user)
    if user.agency_id is None:
        return qs.none()
    qs = qs.filter(agency_id=user.agency_id)
    if user.role in SEES_AGENCY_DOSSIERS:
        return qs
    if user.role in SEES_UNIT_DOSSIERS and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def complaints_of_submitter(*, user) -> QuerySet[Complaint]:
    """What `user` sent, newest first (staff who wrote as citizens see theirs too)."""
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    return _related(Complaint.objects.filter(submitter=user)).order_by("-submitted_at", "-id")


def complaints_for_office(*, user, state: str = "open") -> QuerySet[Complaint]:
    """The unit's queue: unanswered first, by due date ("open", "answered" or "all")."""
    qs = _related(complaint_visible_to(user))
    if state == "open":
        qs = qs.filter(status__in=OPEN)
    elif state == "answered":
        qs = qs.filter(status=Complaint.Status.ANSWERED)
    answered_last = Case(
        When(status=Complaint.Status.ANSWERED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return qs.order_by(answered_last, "due_at", "id")


def complaint_get(*, user, code: str) -> Complaint | None:
    return _related(complaint_visible_to(user)).filter(code=code).select_related("submitter", "agency").first()


def answered_complaint_of(*, user, code: str) -> Complaint | None:
    """`user`'s own answered complaint with this code (to give feedback on, or to raise again)."""
    return complaints_of_submitter(user=user).filter(code=code, status=Complaint.Status.ANSWERED).first()


def complaint_receipt(*, code: str) -> Complaint | None:
    """For the "sent" page right after submitting (the session proves who sent it)."""
    return _related(Complaint.objects.filter(code=code)).first()


def complaints_overdue(*, now: datetime | None = None, user=None) -> QuerySet[Complaint]:
    """Not answered and past the deadline (within what `user` may see, when given)."""
    now = now or clock.now()
    qs = complaint_visible_to(user) if user is not None else Complaint.objects.all()
    return _related(qs.filter(status__in=OPEN, due_at__lt=now)).order_by("due_at", "id")


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.numerator / self.denominator if self.denominator else None


def complaints_handled_on_time(*, date_from: date, date_to: date, agency=None, now: datetime | None = None) -> Ratio:
    """Complaints handled on time, for the service index: among those whose deadline falls in the
    period (Vietnam dates, inclusive) and that are answered or already overdue, the ones answered
    early or on time. Those still within their deadline are not counted yet either way."""
    now = now or clock.now()
    start = datetime.combine(date_from, time.min, tzinfo=VN_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN_TZ)
    qs = Complaint.objects.filter(due_at__gte=start, due_at__lt=end)
    if agency is not None:
        qs = qs.filter(agency=agency)
    counted = qs.filter(Q(status=Complaint.Status.ANSWERED) | Q(due_at__lt=now))

    figures = counted.aggregate(
        denominator=Count("pk"),
        numerator=Count(
            "pk",
            filter=Q(
                status=Complaint.Status.ANSWERED, outcome__in=[Complaint.Outcome.EARLY, Complaint.Outcome.ON_TIME]
            ),
        ),
    )
    return Ratio(numerator=figures["numerator"], denominator=figures["denominator"])


def applicant_dossier(*, user, code: str):
    """The user's own submitted dossier with this code, for "complain about this dossier"."""
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.workflow import Status

    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        Dossier.objects.filter(code=code, applicant_user=user)
        .exclude(status=Status.DRAFT)
        .select_related("procedure_version", "procedure", "agency")
        .first()
    )
