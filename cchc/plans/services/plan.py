"""The year's reform plan."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.audit.services import audit_record
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied

from ..models import Plan
from ..policies import (
    may_edit_plan,
)
from .common import _clean


def plan_create(
    *, actor: User, year: int, title: str, decision_number: str = "", decision_date: date | None = None
) -> Plan:
    """The agency's reform plan for `year` (one per year)."""
    if not may_edit_plan(actor, actor.agency_id):
        raise PermissionDenied(_("Chỉ cán bộ phụ trách cải cách hành chính được lập kế hoạch."), code="not_allowed")
    title = _clean(title)
    if not title:
        raise ApplicationError(
            _("Cần ghi tên kế hoạch."), code="title_required", details=[("title", _("Cần ghi tên kế hoạch."))]
        )
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(
            _("Năm kế hoạch không hợp lệ."), code="invalid_year", details=[("year", _("Năm không hợp lệ."))]
        )
    if decision_date is not None and decision_date.year > int(year):
        raise ApplicationError(
            _("Ngày ban hành không được sau năm kế hoạch."),
            code="invalid_decision_date",
            details=[("decision_date", _("Ngày ban hành không được sau năm kế hoạch."))],
        )
    exists = Conflict(_("Đã có kế hoạch cải cách hành chính năm %(year)s.") % {"year": year}, code="plan_exists")
    with transaction.atomic():
        if Plan.objects.filter(agency_id=actor.agency_id, year=year).exists():
            raise exists
        try:
            with transaction.atomic():  # a double-click's second request lands here
                plan = Plan.objects.create(
                    agency_id=actor.agency_id,
                    year=year,
                    title=title,
                    decision_number=_clean(decision_number),
                    decision_date=decision_date,
                    created_by=actor,
                )
        except IntegrityError:
            raise exists from None
        audit_record(
            action="plan.create",
            actor=actor,
            object_type="plan",
            object_id=plan.pk,
            data={"year": year, "title": title, "decision_number": plan.decision_number},
        )
    return plan
