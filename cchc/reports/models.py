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


class IndexSnapshot(models.Model):
    """The service index of one scope and period as `selectors.service_index` returned it, kept so
    that pages reading a whole year (the PAR Index, commitments, briefings, initiatives) do not
    recompute it on every visit. Refreshed by the periodic task; `computed_at` is shown beside the
    figures."""

    scope_key = models.CharField(_("phạm vi"), max_length=255)
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    result = models.JSONField(_("kết quả"))
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("số liệu chỉ số đã tính")
        verbose_name_plural = _("số liệu chỉ số đã tính")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_key", "date_from", "date_to"], name="reports_indexsnapshot_scope_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope_key} {self.date_from:%d/%m/%Y}–{self.date_to:%d/%m/%Y}"
