"""Counters of a one-stop office, and citizens' bookings of a time slot there.

A `Counter` serves some procedures (none listed: all) and takes `capacity` people per slot; a
slot's capacity for a procedure is the sum over the agency's open counters that serve it. A
`Booking` holds a place from booking until it is cancelled or marked a no-show; on arrival it
gets the day's next queue number, and a counter calls it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency
from cchc.core import clock
from cchc.core.clock import ClockDateTimeField
from cchc.procedures.models import Procedure

from .workflow import Status


class Counter(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="counters")
    name = models.CharField(_("tên quầy"), max_length=100)
    procedures = models.ManyToManyField(
        Procedure, verbose_name=_("thủ tục tiếp nhận"), blank=True, help_text=_("Để trống: mọi thủ tục.")
    )
    capacity = models.PositiveSmallIntegerField(_("số người mỗi khung giờ"), default=2)
    active = models.BooleanField(_("đang mở"), default=True)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="counter_name_per_agency")]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency}"


class Booking(models.Model):
    code = models.CharField(_("mã lịch hẹn"), max_length=12, unique=True)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="bookings")
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đặt"), on_delete=models.PROTECT, related_name="bookings"
    )
    slot_start = models.DateTimeField(_("bắt đầu khung giờ"))
    slot_end = models.DateTimeField(_("kết thúc khung giờ"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    queue_day = models.DateField(_("ngày lấy số"), null=True, blank=True)
    queue_number = models.PositiveIntegerField(_("số thứ tự"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    created_at = ClockDateTimeField(_("đặt lúc"), default=clock.now)
    arrived_at = models.DateTimeField(_("đến lúc"), null=True, blank=True)
    called_at = models.DateTimeField(_("gọi lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["slot_start", "id"]
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        indexes = [models.Index(fields=["agency", "slot_start", "status"], name="booking_slot_idx")]
        constraints = [
            models.UniqueConstraint(fields=["agency", "queue_day", "queue_number"], name="one_queue_number_per_day")
        ]

    def __str__(self) -> str:
        return self.code
