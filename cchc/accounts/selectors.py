"""Reads for the organisation."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.core.text import fold

from .models import Agency, Province, Unit


def unit_list_active(*, agency: Agency | None = None, on: date | None = None) -> QuerySet[Unit]:
    """Units that exist on `on` (today by default)."""
    on = on or timezone.localdate()
    qs = Unit.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.select_related("agency")


def unit_get_active_by_code(*, agency: Agency, code: str, on: date | None = None) -> Unit | None:
    return unit_list_active(agency=agency, on=on).filter(code=code).first()


def agency_list(*, level: str = "", q: str = "") -> QuerySet[Agency] | list[Agency]:
    """The province's agencies (with `level`, of that level only). With `q`, those whose name
    holds every word of `q`, ignoring accents and case (“dai phuoc” finds “Xã Đại Phước”)."""
    qs = Agency.objects.select_related("parent", "successor").order_by("level", "name")
    if level:
        qs = qs.filter(level=level)
    words = fold(q or "").split()
    if not words:
        return qs
    # A province has at most a few hundred agencies: folding their names here keeps one behaviour
    # on both engines without a stored search column.
    return [agency for agency in qs if all(word in fold(agency.name) for word in words)]


def agency_get(*, code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def province_current() -> Province | None:
    """The province of this installation (one province runs one system)."""
    return Province.objects.order_by("pk").first()
