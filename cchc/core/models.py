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


class WorkerBeat(models.Model):
    """The last sign of life of one task worker (`manage.py run_worker`).

    A worker writes its row every few seconds from a thread beside the job loop; readiness
    checks and the scheduler read `beat_at` to tell a live worker from a dead one.
    """

    worker_id = models.CharField(_("mã tiến trình xử lý"), max_length=64, unique=True)
    host = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("số hiệu tiến trình"))
    started_at = models.DateTimeField(_("khởi động lúc"))
    beat_at = models.DateTimeField(_("tín hiệu gần nhất lúc"), db_index=True)

    class Meta:
        verbose_name = _("tiến trình xử lý nền")
        verbose_name_plural = _("tiến trình xử lý nền")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class Lease(models.Model):
    """A named lease one process holds until `expires_at` (the scheduler's: only one of the
    schedulers started on several machines queues the periodic jobs). Taken and renewed by one
    conditional UPDATE, so two processes can never both hold it (`cchc.core.leases`)."""

    name = models.CharField(_("tên"), max_length=64, primary_key=True)
    holder = models.CharField(_("tiến trình giữ"), max_length=128)
    expires_at = models.DateTimeField(_("hết hạn lúc"))

    class Meta:
        verbose_name = _("quyền chạy độc quyền")
        verbose_name_plural = _("quyền chạy độc quyền")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder}"


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
