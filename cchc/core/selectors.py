"""Reads for shared data: the working calendar with the government's announcements CCHC ships and
the database overrides applied."""

from datetime import date, time
from functools import lru_cache

from django.db.models import F, Q

from .calendar import DEFAULT_OFFICE_HOURS, WorkingCalendar
from .models import CalendarOverride
from .national_days import ANNOUNCED

OfficeHours = tuple[tuple[time, time], ...]


def working_calendar(*, office_hours: OfficeHours | None = None, agency_id: int | None = None) -> WorkingCalendar:
    """The calendar in force now: statutory days and make-up days (the `holidays` package), the
    announcements CCHC ships (`national_days`), then the province's overrides, then (with
    `agency_id`) the agency's own, each winning over the one before on a date.

    One small query per call; the calendar itself (with its precomputed working days)
    is cached for as long as the overrides and office hours stay the same.
    """
    rows = CalendarOverride.objects.filter(agency__isnull=True)
    if agency_id is not None:
        rows = CalendarOverride.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id))
    # The province's rows first, so the agency's row for the same date wins in the dict below.
    overrides = tuple(
        (day, kind)
        for day, kind, _agency in rows.order_by(F("agency_id").asc(nulls_first=True), "date").values_list(
            "date", "kind", "agency_id"
        )
    )
    return _calendar(office_hours or DEFAULT_OFFICE_HOURS, overrides)


@lru_cache(maxsize=64)
def _calendar(office_hours: OfficeHours, overrides: tuple[tuple[date, str], ...]) -> WorkingCalendar:
    kinds = {a.day: a.kind for a in ANNOUNCED}
    kinds.update(dict(overrides))
    return WorkingCalendar(
        office_hours=office_hours,
        extra_days_off=[d for d, kind in kinds.items() if kind == CalendarOverride.Kind.DAY_OFF],
        extra_working_days=[d for d, kind in kinds.items() if kind == CalendarOverride.Kind.WORKING_DAY],
    )


def calendar_override_list(*, year: int | None = None):
    qs = CalendarOverride.objects.filter(agency__isnull=True)
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs
