"""Reads for the organisation."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Agency, Unit


def unit_list_active(*, agency: Agency | None = None, on: date | None = None) -> QuerySet[Unit]:
    """Units that exist on `on` (today by default)."""
    on = on or timezone.localdate()
    qs = Unit.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.select_related("agency")


def unit_get_active_by_code(*, agency: Agency, code: str, on: date | None = None) -> Unit | None:
    return unit_list_active(agency=agency, on=on).filter(code=code).first()


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.all()
