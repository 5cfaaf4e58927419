"""Reads on initiatives, each carrying its access rule, and the before/after effect on the
linked indicators of the service index."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cchc.accounts.models import Unit
from cchc.accounts.roles import MANAGES_REFORM, READS_AGENCY_REPORTS, is_staff_role
from cchc.core import clock
from cchc.core.errors import ApplicationError, PermissionDenied
from cchc.reports.config import index_groups
from cchc.reports.snapshots import stored_index

from .models import Initiative
from .policies import may_register
from .windows import EffectWindows, change_points, effect_windows


def window_months() -> int:
    """Months compared before and after the start: `CCHC_INITIATIVE_WINDOW_MONTHS` (default 3)."""
    months = int(settings.CCHC_INITIATIVE_WINDOW_MONTHS)
    if months < 1:
        raise ValueError("CCHC_INITIATIVE_WINDOW_MONTHS must be at least 1")
    return months


def initiative_visible_to(user) -> QuerySet[Initiative]:
    """Every initiative `user` may see: the agency's for leaders, the reform officer and the
    administrator; their unit's for other staff; nothing for applicants."""
    qs = Initiative.objects.select_related("unit", "agency", "created_by")
    if user is None or not user.is_authenticated or not user.is_active or not is_staff_role(user.role):
        return qs.none()
    if user.agency_id is None:
        return qs.none()
    qs = qs.filter(agency_id=user.agency_id)
    if user.role in READS_AGENCY_REPORTS:
        return qs
    if user.unit_id is None:
        return qs.none()
    return qs.filter(unit_id=user.unit_id)


def initiatives_list(*, user, unit: Unit | None = None, status: str = "") -> QuerySet[Initiative]:
    qs = initiative_visible_to(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-started_on", "-id")


def initiative_get(*, user, pk: int) -> Initiative | None:
    return initiative_visible_to(user).filter(pk=pk).first()


def editable_units(*, user) -> QuerySet[Unit]:
    """Units `user` may register initiatives for (open units only)."""
    if not may_register(user):
        return Unit.objects.none()
    today = clock.localdate()
    qs = Unit.objects.filter(agency_id=user.agency_id).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    if user.role not in MANAGES_REFORM:
        qs = qs.filter(pk=user.unit_id)
    return qs.order_by("name")


def filter_units(*, user) -> QuerySet[Unit]:
    """Units to filter the list by: those with an initiative `user` may see."""
    visible = initiative_visible_to(user).values("unit_id")
    return Unit.objects.filter(pk__in=visible).order_by("name")


def parse_filters(*, user, unit_code: str = "", status: str = "") -> tuple[Unit | None, str]:
    """The list's filters from query parameters; an unknown unit or status is refused (400), a unit
    outside what `user` sees is refused (403)."""
    if not is_staff_role(getattr(user, "role", "")) or getattr(user, "agency_id", None) is None:
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan được xem sáng kiến."), code="not_allowed")
    status = (status or "").strip()
    if status and status not in Initiative.Status.values:
        raise ApplicationError(_("Trạng thái không hợp lệ: %(s)s.") % {"s": status}, code="invalid_status")
    unit = None
    unit_code = (unit_code or "").strip()
    if unit_code:
        if "\x00" in unit_code or len(unit_code) > 50:  # no unit has such a code; PostgreSQL refuses NUL
            raise ApplicationError(_("Mã đơn vị không hợp lệ."), code="unknown_unit")
        unit = Unit.objects.filter(agency_id=user.agency_id, code=unit_code).order_by("-valid_from").first()
        if unit is None:
            raise ApplicationError(_("Không có đơn vị mã %(code)s.") % {"code": unit_code}, code="unknown_unit")
        if user.role not in READS_AGENCY_REPORTS and unit.pk != user.unit_id:
            raise PermissionDenied(_("Bạn chỉ xem được sáng kiến của đơn vị mình."), code="not_allowed")
    return unit, status


def indicator_names() -> dict[str, str]:
    return {i.code: str(i.name) for g in index_groups() for i in g.indicators}


def indicator_choices() -> list[tuple[str, str]]:
    return [(i.code, f"{g.name} – {i.name}") for g in index_groups() for i in g.indicators]


@dataclass(frozen=True)
class EffectRow:
    code: str
    name: str
    before: float | None
    after: float | None
    before_fraction: str
    after_fraction: str

    @property
    def change(self) -> float | None:
        return change_points(self.before, self.after)

    @property
    def measured(self) -> bool:
        return self.change is not None


@dataclass(frozen=True)
class Effect:
    windows: EffectWindows | None
    scope: str
    rows: tuple[EffectRow, ...]


def _indicators_for(*, agency, unit, date_from: date, date_to: date) -> dict[str, dict]:
    """The service index's indicators for a closed period, from its stored snapshot (`reports.snapshots`)."""
    return stored_index(agency=agency, unit=unit, date_from=date_from, date_to=date_to).indicators()


def _fraction(figure: dict | None) -> str:
    if not figure or figure["denominator"] is None or figure["numerator"] is None:
        return ""
    return f"{figure['numerator']}/{figure['denominator']}"


def _value(figure: dict | None) -> float | None:
    if not figure or not figure["counted"] or figure["value"] is None:
        return None
    return round(float(figure["value"]), 2)


def initiative_effect(*, initiative: Initiative, today: date | None = None) -> Effect:
    """Each linked indicator over N months before the start and N months after it, scoped to the
    initiative's unit (its procedures) or, when measured agency-wide, to the whole agency."""
    today = today or clock.localdate()
    names = indicator_names()
    unit = None if initiative.measured_agency_wide else initiative.unit
    scope = initiative.agency.name if unit is None else unit.name
    windows = effect_windows(started_on=initiative.started_on, today=today, max_months=window_months())
    if windows is None:
        rows = tuple(EffectRow(c, names.get(c, c), None, None, "", "") for c in initiative.indicator_codes)
        return Effect(windows=None, scope=scope, rows=rows)
    if not initiative.indicator_codes:
        return Effect(windows=windows, scope=scope, rows=())
    before = _indicators_for(
        agency=initiative.agency, unit=unit, date_from=windows.before_from, date_to=windows.before_to
    )
    after = _indicators_for(agency=initiative.agency, unit=unit, date_from=windows.after_from, date_to=windows.after_to)
    rows = tuple(
        EffectRow(
            code=code,
            name=names.get(code, code),
            before=_value(before.get(code)),
            after=_value(after.get(code)),
            before_fraction=_fraction(before.get(code)),
            after_fraction=_fraction(after.get(code)),
        )
        for code in initiative.indicator_codes
    )
    return Effect(windows=windows, scope=scope, rows=rows)
