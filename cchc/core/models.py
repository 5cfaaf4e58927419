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


class SimulatorRecord(models.Model):
    """What a local simulator of a national system remembers (cchc.core.integrations): the dossiers the
    simulated DVCQG holds, the shipments the simulated VNPost carries… Never used outside the simulators."""

    system = models.CharField(max_length=20)
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản ghi của hệ thống giả lập")
        verbose_name_plural = _("bản ghi của hệ thống giả lập")
        constraints = [models.UniqueConstraint(fields=["system", "kind", "key"], name="simulator_record_key")]

    def __str__(self) -> str:
        return f"{self.system}/{self.kind}/{self.key}"
