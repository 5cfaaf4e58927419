from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A day declared off or declared working beyond what the `holidays` package knows.

    The government announces swapped days each year and the province may extend Tết for
    civil servants; the administrator records those here. An override without an agency is
    the province's and applies to every agency (one province runs one system); one with an
    agency applies to that agency only and wins over the province's on the same date.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"))
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("cơ quan (để trống: cả tỉnh)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("lý do / căn cứ"), max_length=255)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ / làm bù bổ sung")
        verbose_name_plural = _("lịch nghỉ / làm bù bổ sung")
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(agency__isnull=True), name="calendar_override_province_day"
            ),
            models.UniqueConstraint(
                fields=["date", "agency"],
                condition=models.Q(agency__isnull=False),
                name="calendar_override_agency_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"
