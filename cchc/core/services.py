"""Writes for shared data: calendar overrides."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .models import CalendarOverride


@transaction.atomic
def calendar_override_set(*, day: date, kind: str, reason: str, actor=None, agency=None) -> CalendarOverride:
    """Declare `day` off or working for the province (or, with `agency`, for that agency only);
    setting the same thing twice changes nothing."""
    if kind not in CalendarOverride.Kind.values:
        raise ApplicationError(_("Loại ngày không hợp lệ."), code="invalid_kind")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Cần ghi lý do hoặc căn cứ của ngày nghỉ / làm bù."), code="reason_required")
    override, created = CalendarOverride.objects.select_for_update().get_or_create(
        date=day, agency=agency, defaults={"kind": kind, "reason": reason, "updated_by": actor}
    )
    if not created and (override.kind, override.reason) != (kind, reason):
        override.kind, override.reason, override.updated_by = kind, reason, actor
        override.save(update_fields=["kind", "reason", "updated_by", "updated_at"])
    return override


@transaction.atomic
def calendar_override_delete(*, day: date, agency_id: int | None = None) -> None:
    CalendarOverride.objects.filter(date=day, agency_id=agency_id).delete()
