from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A day declared off or declared working beyond what the `holidays` package knows.

    The government announces swapped days each year and the province may extend Tết for
    civil servants; the administrator records those here. Overrides apply to every
    agency of the installation (one province runs one system).
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
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

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"


class PendingFile(models.Model):
    """A stored file that nothing may reference yet: written before the row that will point to it.

    `core.blobs` records the name here (committed on its own) before writing the file, so a
    request killed at any moment leaves at most a row whose file the sweep removes once a day
    has passed and no field references it (`blobs.blob_sweep`)."""

    name = models.CharField(_("tên tệp"), max_length=255, unique=True)
    at = models.DateTimeField(_("ghi lúc"), db_index=True)

    class Meta:
        verbose_name = _("tệp chờ tham chiếu")
        verbose_name_plural = _("tệp chờ tham chiếu")

    def __str__(self) -> str:
        return self.name
