"""Reads for the organisation."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from cchc.core.text import fold

from .models import DEFAULT_AFTERNOON, DEFAULT_MORNING, Agency, Province, Unit


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


def return_points(*, on: date | None = None) -> list[Agency]:
    """The one-stop points of the province where an applicant may collect a result (Decree 118/2025:
    the provincial centres, then the communes' centres, by name), active on `on` (today)."""
    on = on or timezone.localdate()
    points = Agency.objects.filter(level__in=(Agency.Level.CENTRE, Agency.Level.COMMUNE)).order_by("level", "name")
    return [agency for agency in points if agency.is_active_on(on)]


def agency_get(*, code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def province_current() -> Province | None:
    """The province of this installation (one province runs one system)."""
    return Province.objects.order_by("pk").first()


@dataclass(frozen=True)
class Installation:
    """Who runs this installation and when its counters open, from the data (one query)."""

    owner: str
    hours: tuple


INSTALLATION_CACHE_KEY = "cchc:installation"


def installation() -> Installation:
    """The province's People's Committee (else the province, else the only agency of a
    one-department installation) and the province's office hours. Every page shows it, so it
    is cached; saving an agency or the province forgets it (`accounts.apps`)."""
    from django.core.cache import cache

    return cache.get_or_set(INSTALLATION_CACHE_KEY, _installation_read, 3600)


def _installation_read() -> Installation:
    committee_first = Case(When(level=Agency.Level.PROVINCE, then=Value(0)), default=Value(1))
    row = (
        Agency.objects.annotate(committee_first=committee_first)
        .order_by("committee_first", "pk")
        .values_list(
            "name",
            "level",
            "province__name",
            "province__morning_opens",
            "province__morning_closes",
            "province__afternoon_opens",
            "province__afternoon_closes",
        )
        .first()
    )
    if row is None:
        return Installation(owner="", hours=(DEFAULT_MORNING, DEFAULT_AFTERNOON))
    name, level, province, *times = row
    owner = name if level == Agency.Level.PROVINCE or not province else province
    hours = ((times[0], times[1]), (times[2], times[3])) if province else (DEFAULT_MORNING, DEFAULT_AFTERNOON)
    return Installation(owner=owner, hours=hours)


def installation_owner() -> str:
    return installation().owner


def portal_name(about: Installation | None = None) -> str:
    """The portal's name: `CCHC_SITE_NAME`, else "Cổng dịch vụ công" and who runs it."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    if settings.CCHC_SITE_NAME:
        return settings.CCHC_SITE_NAME
    owner = (about or installation()).owner
    return _("Cổng dịch vụ công %(owner)s") % {"owner": owner} if owner else _("Cổng dịch vụ công")
