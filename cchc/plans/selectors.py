"""Reads on plans, tasks and commitments, each carrying its access rule, and the figures they are
measured against.

Everything is scoped to the user's agency. Leaders, the reform officer and the administrator see
every unit; other staff see their unit's part (and tasks they lead); applicants see nothing.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.roles import HEADS_UNIT, READS_AGENCY_REPORTS, STAFF_ROLES, WORKS_IN_UNIT, is_staff_role
from cchc.core import clock
from cchc.core.errors import PermissionDenied
from cchc.reform.models import Criterion, ParYear
from cchc.reports.config import INDICATOR_CODES, indicator_spec
from cchc.reports.snapshots import stored_index, year_so_far

from . import rules
from .models import Commitment, CommitmentTarget, Plan, Task, TaskReport
from .policies import may_see_briefing, may_see_late
from .workflow import OPEN_TASK, TaskStatus


def _is_staff(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and is_staff_role(user.role)
    )


# ---------------------------------------------------------------- plans and tasks


def plan_for(*, user, year: int) -> Plan | None:
    if not _is_staff(user):
        return None
    return Plan.objects.filter(agency_id=user.agency_id, year=year).first()


def plan_years(*, user) -> list[int]:
    if not _is_staff(user):
        return []
    return list(Plan.objects.filter(agency_id=user.agency_id).order_by("-year").values_list("year", flat=True))


def tasks_visible_to(user) -> QuerySet[Task]:
    """Every task `user` may see, and nothing else."""
    qs = Task.objects.all()
    if not _is_staff(user):
        return qs.none()
    qs = qs.filter(plan__agency_id=user.agency_id)
    if user.role in READS_AGENCY_REPORTS:
        return qs
    return qs.filter(Q(unit_id=user.unit_id) | Q(lead_id=user.pk)) if user.unit_id else qs.filter(lead_id=user.pk)


def _related(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.select_related("plan", "unit", "lead", "criterion")


def mark_late(tasks, today: date) -> list[Task]:
    """The rows as a list, each with `is_late`."""
    rows = list(tasks)
    for task in rows:
        task.is_late = rules.is_late(deadline=task.deadline, is_open=task.status in OPEN_TASK, today=today)
    return rows


def task_list(
    *, user, plan: Plan, unit: Unit | None = None, status: str = "", late: bool = False, today: date | None = None
) -> list[Task]:
    """The plan's tasks `user` may see, optionally of one unit, one status, or only the late ones."""
    today = today or clock.localdate()
    qs = _related(tasks_visible_to(user).filter(plan=plan))
    if unit is not None:
        qs = qs.filter(unit=unit)
    if status:
        qs = qs.filter(status=status)
    if late:
        qs = qs.filter(status__in=OPEN_TASK, deadline__lt=today)
    return mark_late(qs.order_by("deadline", "code", "id"), today)


def task_get(*, user, pk: int) -> Task | None:
    return (
        _related(tasks_visible_to(user))
        .prefetch_related(
            Prefetch("reports", queryset=TaskReport.objects.select_related("author").order_by("-at", "-id")),
            "transitions__actor",
        )
        .filter(pk=pk)
        .first()
    )


def report_get(*, user, task_pk: int, pk: int) -> TaskReport | None:
    return TaskReport.objects.filter(task__in=tasks_visible_to(user), task_id=task_pk, pk=pk).first()


def late_tasks(*, user, today: date | None = None, year: int | None = None) -> list[Task]:
    """Open tasks past their deadline: all units for the leadership and the reform officer, their
    unit for a unit head; anyone else is refused."""
    if not _is_staff(user) or not may_see_late(user):
        raise PermissionDenied(_("Bạn không được xem danh sách nhiệm vụ trễ hạn."), code="not_allowed")
    today = today or clock.localdate()
    qs = Task.objects.filter(plan__agency_id=user.agency_id, status__in=OPEN_TASK, deadline__lt=today)
    if user.role not in READS_AGENCY_REPORTS:
        qs = qs.filter(unit_id=user.unit_id)
    if year is not None:
        qs = qs.filter(plan__year=year)
    return mark_late(_related(qs).order_by("deadline", "unit__name", "id"), today)


def api_tasks(*, user, year: int, unit_code: str = "", late: bool | None = None, today: date | None = None):
    today = today or clock.localdate()
    qs = _related(tasks_visible_to(user).filter(plan__year=year))
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if late is True:
        qs = qs.filter(status__in=OPEN_TASK, deadline__lt=today)
    elif late is False:
        qs = qs.exclude(status__in=OPEN_TASK, deadline__lt=today)
    return mark_late(qs.order_by("deadline", "code", "id"), today)


def task_leads(agency_id: int) -> QuerySet[User]:
    """The people who may lead a task of the agency's plan: its active staff."""
    return (
        User.objects.filter(agency_id=agency_id, role__in=STAFF_ROLES, is_active=True)
        .select_related("unit")
        .order_by("full_name", "username")
    )


def units_of(agency_id: int, *, on: date | None = None) -> QuerySet[Unit]:
    """The agency's units in force on the day (the plan's units)."""
    on = on or clock.localdate()
    return Unit.objects.filter(agency_id=agency_id, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def unit_get(*, agency_id: int, code: str, on: date | None = None) -> Unit | None:
    return units_of(agency_id, on=on).filter(code=code).first()


# ---------------------------------------------------------------- live figures


def indicator_values(*, agency: Agency, unit: Unit | None, date_from: date, date_to: date) -> dict[str, float | None]:
    """Each service index indicator's value (a percentage, None when nothing was measured) for the
    unit and period, from the index snapshot the hourly task keeps (`reports.snapshots`)."""
    return stored_index(agency=agency, unit=unit, date_from=date_from, date_to=date_to).values()


def indicator_choices() -> list[tuple[str, str]]:
    return [(code, f"{indicator_spec(code).name}") for code in INDICATOR_CODES]


def indicator_name(code: str) -> str:
    spec = indicator_spec(code)
    return str(spec.name) if spec else code


@dataclass
class TargetRow:
    target: CommitmentTarget
    month_value: float | None = None
    ytd_value: float | None = None
    month_met: bool | None = None
    ytd_met: bool | None = None
    source: str = ""

    @property
    def label(self) -> str:
        return self.target.label

    @property
    def goal(self) -> str:
        sign = "≥" if self.target.comparison == rules.GTE else "≤"
        return f"{sign} {self.target.target.normalize():f}%"


def _value(target: CommitmentTarget, figures: dict | None) -> float | None:
    if target.indicator:
        return None if figures is None else figures.get(target.indicator)
    return float(target.manual_actual) if target.manual_actual is not None else None


def target_rows(
    commitment: Commitment, *, today: date | None = None, month: tuple[int, int] | None = None
) -> list[TargetRow]:
    """The commitment's targets with their live figures: year to date (up to today or the end of
    `month`), and for `month` alone when given. A target set by hand shows its recorded figure."""
    today = today or clock.localdate()
    targets = list(commitment.targets.all())
    needs_figures = any(t.indicator for t in targets)
    ytd_figures = month_figures = None
    end = today
    if month is not None:
        month_start, month_end = rules.month_bounds(*month)
        end = min(today, month_end)
        if needs_figures and month_start <= today:
            month_figures = indicator_values(
                agency=commitment.agency, unit=commitment.unit, date_from=month_start, date_to=end
            )
    period = year_so_far(commitment.year, today=end)
    if needs_figures and period is not None:
        ytd_figures = indicator_values(
            agency=commitment.agency, unit=commitment.unit, date_from=period[0], date_to=period[1]
        )
    rows = []
    for target in targets:
        row = TargetRow(
            target=target,
            ytd_value=_value(target, ytd_figures),
            month_value=_value(target, month_figures) if target.indicator else None,
            source=_("Số liệu hệ thống: %(name)s") % {"name": indicator_name(target.indicator)}
            if target.indicator
            else _("Đơn vị tự theo dõi"),
        )
        row.ytd_met = rules.target_met(value=row.ytd_value, comparison=target.comparison, target=target.target)
        row.month_met = rules.target_met(value=row.month_value, comparison=target.comparison, target=target.target)
        rows.append(row)
    return rows


# ---------------------------------------------------------------- commitments


def commitments_visible_to(user) -> QuerySet[Commitment]:
    qs = Commitment.objects.all()
    if not _is_staff(user):
        return qs.none()
    qs = qs.filter(agency_id=user.agency_id)
    if user.role in READS_AGENCY_REPORTS:
        return qs
    if user.role in WORKS_IN_UNIT and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def commitment_list(*, user, year: int) -> QuerySet[Commitment]:
    return (
        commitments_visible_to(user)
        .filter(year=year)
        .select_related("unit", "signer", "countersigner")
        .order_by("unit__name", "id")
    )


def commitment_get(*, user, pk: int) -> Commitment | None:
    return (
        commitments_visible_to(user)
        .select_related("agency", "unit", "signer", "countersigner")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.select_related("lead").order_by("deadline", "code")))
        .filter(pk=pk)
        .first()
    )


def unit_tasks_for_commitment(commitment: Commitment) -> QuerySet[Task]:
    """The tasks the unit may commit to: its tasks in the plan of the commitment's year, not cancelled."""
    return (
        Task.objects.filter(
            plan__agency_id=commitment.agency_id, plan__year=commitment.year, unit_id=commitment.unit_id
        )
        .exclude(status=TaskStatus.CANCELLED)
        .order_by("deadline", "code")
    )


# ---------------------------------------------------------------- the monthly briefing


@dataclass
class Briefing:
    agency: Agency
    unit: Unit
    year: int
    month: int
    month_start: date
    month_end: date
    as_of: date
    commitment: Commitment | None
    targets: list[TargetRow] = field(default_factory=list)
    due: list[Task] = field(default_factory=list)
    late: list[Task] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return f"{self.unit.code.lower()}-{self.year}-{self.month:02d}"


def briefing_for(*, user, unit: Unit, year: int, month: int, today: date | None = None) -> Briefing:
    """One unit's monthly briefing: its commitment's targets against the month's and the year's
    figures, its tasks due in the month, and its late tasks. Refused outside what `user` may see."""
    if not _is_staff(user) or unit.agency_id != user.agency_id or not may_see_briefing(user, unit.pk):
        raise PermissionDenied(_("Bạn không được xem báo cáo giao ban của đơn vị này."), code="not_allowed")
    today = today or clock.localdate()
    month_start, month_end = rules.month_bounds(year, month)
    as_of = min(today, month_end)
    commitment = (
        Commitment.objects.filter(agency_id=unit.agency_id, unit=unit, year=year)
        .select_related("agency", "unit")
        .first()
    )
    tasks = _related(Task.objects.filter(plan__agency_id=unit.agency_id, plan__year=year, unit=unit))
    briefing = Briefing(
        agency=unit.agency,
        unit=unit,
        year=year,
        month=month,
        month_start=month_start,
        month_end=month_end,
        as_of=as_of,
        commitment=commitment,
    )
    if commitment is not None:
        briefing.targets = target_rows(commitment, today=today, month=(year, month))
    briefing.due = mark_late(
        tasks.filter(deadline__gte=month_start, deadline__lte=month_end).order_by("deadline", "code"), today
    )
    briefing.late = mark_late(
        tasks.filter(status__in=OPEN_TASK, deadline__lt=min(today, month_end + timedelta(days=1))).order_by(
            "deadline", "code"
        ),
        today,
    )
    return briefing


def briefing_units(*, user) -> QuerySet[Unit]:
    if not _is_staff(user):
        return Unit.objects.none()
    units = units_of(user.agency_id).order_by("name")
    if user.role in READS_AGENCY_REPORTS:
        return units
    if user.role in HEADS_UNIT:
        return units.filter(pk=user.unit_id)
    return units.none()


# ---------------------------------------------------------------- shortcomings of the last appraisal


def last_appraised_year(*, agency_id: int, before: int) -> ParYear | None:
    """The latest year before `before` whose appraised scores were entered."""
    return (
        ParYear.objects.filter(agency_id=agency_id, year__lt=before)
        .filter(Q(appraised_on__isnull=False) | Q(criteria__appraised_score__isnull=False))
        .distinct()
        .order_by("-year")
        .first()
    )


def leaf_criteria_with_lost_points(par_year: ParYear) -> list[Criterion]:
    """Leaf criteria appraised below their maximum, the most points lost first."""
    rows = list(
        Criterion.objects.filter(par_year=par_year, children__isnull=True, appraised_score__isnull=False)
        .select_related("responsible_unit")
        .order_by("order", "id")
    )
    rows = [c for c in rows if c.appraised_score < c.max_points]
    for criterion in rows:
        criterion.points_lost = rules.points_lost(max_points=criterion.max_points, appraised=criterion.appraised_score)
    rows.sort(key=lambda c: (-c.points_lost, c.order, c.pk))
    return rows


@dataclass
class Shortcoming:
    criterion: Criterion
    points_lost: Decimal
    task: Task | None


def shortcomings(*, user, plan: Plan | None, par_year: ParYear) -> list[Shortcoming]:
    """Each criterion that lost points with its remediation task in `plan` (if created)."""
    if not _is_staff(user) or par_year.agency_id != user.agency_id:
        return []
    criteria = leaf_criteria_with_lost_points(par_year)
    tasks = {}
    if plan is not None:
        tasks = {
            t.criterion_id: t for t in _related(Task.objects.filter(plan=plan, criterion__in=[c.pk for c in criteria]))
        }
    today = clock.localdate()
    mark_late(tasks.values(), today)
    return [Shortcoming(criterion=c, points_lost=c.points_lost, task=tasks.get(c.pk)) for c in criteria]
