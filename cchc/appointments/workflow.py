"""A booking's lifecycle as data (no database here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    BOOKED = "booked", _("Đã đặt lịch")
    ARRIVED = "arrived", _("Đã lấy số, chờ gọi")
    CALLED = "called", _("Đang được gọi")
    SERVED = "served", _("Đã được phục vụ")
    NO_SHOW = "no_show", _("Vắng mặt")
    CANCELLED = "cancelled", _("Đã hủy")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.BOOKED: frozenset({Status.ARRIVED, Status.CANCELLED, Status.NO_SHOW}),
    Status.ARRIVED: frozenset({Status.CALLED, Status.NO_SHOW}),
    Status.CALLED: frozenset({Status.SERVED, Status.NO_SHOW}),
    Status.SERVED: frozenset(),
    Status.NO_SHOW: frozenset(),
    Status.CANCELLED: frozenset(),
}
# Bookings that hold a place in their slot: a no-show or a cancellation gives it back.
HOLDS_PLACE = frozenset({Status.BOOKED, Status.ARRIVED, Status.CALLED, Status.SERVED})


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())
