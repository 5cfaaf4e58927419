"""Writes of the reports app: the figures of the indicators only the national portal measures.

Each write is one transaction with its audit event; entering the same figure again changes nothing.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, User
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, NotFound, PermissionDenied

from .config import NATIONAL_CODES
from .models import NationalFigure
from .policies import may_enter_national_figures

MAX_COUNT = 10_000_000  # a month's dossiers or procedures of one agency: more is a typing mistake


def _errors(*, indicator: str, month: date, numerator, denominator, today: date) -> list[tuple[str, str]]:
    errors = []
    if indicator not in NATIONAL_CODES:
        errors.append(("indicator", _("Chỉ nhập số liệu cho các chỉ số đo tại Cổng Dịch vụ công quốc gia.")))
    if month.day != 1:
        errors.append(("month", _("Tháng phải ghi dạng mm/yyyy.")))
    elif month > today.replace(day=1):
        errors.append(("month", _("Không nhập số liệu cho tháng chưa đến.")))
    elif month.year < 2022:
        errors.append(("month", _("Bộ chỉ số 766 áp dụng từ năm 2022.")))
    for name, value in (("numerator", numerator), ("denominator", denominator)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_COUNT:
            errors.append(
                (name, _("Phải là số nguyên từ 0 đến %(max)s.") % {"max": f"{MAX_COUNT:,}".replace(",", ".")})
            )
    if not any(name in ("numerator", "denominator") for name, _m in errors):
        if denominator == 0:
            errors.append(("denominator", _("Mẫu số phải lớn hơn 0.")))
        elif numerator > denominator:
            errors.append(("numerator", _("Tử số không được lớn hơn mẫu số.")))
    return errors


def national_figure_set(
    *,
    agency: Agency,
    indicator: str,
    month: date,
    numerator: int,
    denominator: int,
    source: str = "",
    actor: User,
    ip: str | None = None,
) -> NationalFigure:
    """Record the month's figure of an indicator the national portal measures, as read there
    (numerator and denominator). Replaces the month's earlier entry; the same values again change
    nothing."""
    if not may_enter_national_figures(actor, agency.pk):
        raise PermissionDenied(
            _("Chỉ cán bộ phụ trách cải cách hành chính và quản trị viên của cơ quan được nhập số liệu này."),
            code="not_allowed",
        )
    source = " ".join((source or "").split())[: NationalFigure._meta.get_field("source").max_length]
    errors = _errors(
        indicator=indicator, month=month, numerator=numerator, denominator=denominator, today=clock.localdate()
    )
    if errors:
        raise ApplicationError(" ".join(m for _n, m in errors), code="invalid_national_figure", details=errors)
    with transaction.atomic():
        figure = (
            NationalFigure.objects.select_for_update().filter(agency=agency, indicator=indicator, month=month).first()
        )
        before = None
        if figure is not None:
            before = {"numerator": figure.numerator, "denominator": figure.denominator, "source": figure.source}
            if before == {"numerator": numerator, "denominator": denominator, "source": source}:
                return figure
            figure.numerator, figure.denominator, figure.source = numerator, denominator, source
            figure.entered_by, figure.entered_at = actor, clock.now()
            figure.save(update_fields=["numerator", "denominator", "source", "entered_by", "entered_at"])
        else:
            figure = NationalFigure.objects.create(
                agency=agency,
                indicator=indicator,
                month=month,
                numerator=numerator,
                denominator=denominator,
                source=source,
                entered_by=actor,
                entered_at=clock.now(),
            )
        audit_record(
            action="national_figure.set",
            actor=actor,
            object_type="national_figure",
            object_id=figure.pk,
            ip=ip,
            data={
                "agency": agency.code,
                "indicator": indicator,
                "month": f"{month:%Y-%m}",
                "numerator": numerator,
                "denominator": denominator,
                "before": before,
            },
        )
    return figure


def national_figure_delete(*, figure_id: int, actor: User, ip: str | None = None) -> None:
    """Remove an entry (the month then counts 0 again). Removing one already gone changes nothing."""
    with transaction.atomic():
        figure = NationalFigure.objects.select_for_update().filter(pk=figure_id).first()
        if figure is None:
            return
        if not may_enter_national_figures(actor, figure.agency_id):
            raise NotFound(_("Không tìm thấy số liệu."), code="not_found")
        data = {
            "indicator": figure.indicator,
            "month": f"{figure.month:%Y-%m}",
            "numerator": figure.numerator,
            "denominator": figure.denominator,
        }
        figure.delete()
        audit_record(
            action="national_figure.delete",
            actor=actor,
            object_type="national_figure",
            object_id=figure_id,
            ip=ip,
            data=data,
        )
