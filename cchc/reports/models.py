"""Rollups the dashboards read instead of rescanning a year of dossiers on every visit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrendMonth(models.Model):
    """The progress figures of one month that is over, for one scope of the dashboards.

    Written by the periodic refresh (`reports.tasks.refresh_trends`) and, for a month nobody has
    refreshed yet, by the first dashboard that needs it. `point` is what `dashboards.monthly_trend`
    shows for the month: on-time count and share, the progress group's points and maximum."""

    # The scope without its period, as query parameters: "agency=000.00.12.H99&unit=QLVT".
    scope_key = models.CharField(_("phạm vi"), max_length=255)
    month = models.DateField(_("tháng (ngày đầu tháng)"))
    point = models.JSONField(_("số liệu"))
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("số liệu tiến độ theo tháng")
        verbose_name_plural = _("số liệu tiến độ theo tháng")
        constraints = [models.UniqueConstraint(fields=["scope_key", "month"], name="reports_trendmonth_scope_month")]

    def __str__(self) -> str:
        return f"{self.scope_key} {self.month:%m/%Y}"
