"""Rollups the dashboards read instead of rescanning a year of dossiers on every visit, and the
figures of the service index that only the national portal measures, as the reform officer enters
them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency


class TrendMonth(models.Model):
    """The progress figures of one month that is over, for one scope of the dashboards.

    Written only by the periodic refresh (`reports.tasks.refresh_trends`); the dashboards read it
    and compute a month it has not stored yet. `point` is what `dashboards.monthly_trend`
    shows for the month: on-time count and share, the progress group's points and maximum."""

    # The scope without its period, as query parameters: "agency=000.00.12.H99&unit=QLVT".
    scope_key = models.CharField(_("phạm vi"), max_length=255)
    month = models.DateField(_("tháng (ngày đầu tháng)"))
    point = models.JSONField(_("số liệu"))
    computed_at = models.DateTimeField(_("tính lúc"))
    # `config.definition_key()` when computed: a row computed another way (another scale, other
    # weights) is computed again instead of being shown.
    definition = models.CharField(_("cách tính"), max_length=16, default="")

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
    # `config.definition_key()` when computed (see TrendMonth.definition).
    definition = models.CharField(_("cách tính"), max_length=16, default="")

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


class NationalFigure(models.Model):
    """One month's figure of an indicator the national portal measures (Cổng DVCQG), as the reform
    officer read it there: numerator and denominator, so months add up over any period. Used by
    the service index when `CCHC_SERVICE_INDEX_NATIONAL` is "entered"."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("chỉ số"), max_length=60)  # one of config.NATIONAL_CODES
    month = models.DateField(_("tháng (ngày đầu tháng)"))
    numerator = models.PositiveIntegerField(_("tử số"))
    denominator = models.PositiveIntegerField(_("mẫu số"))
    source = models.CharField(_("nguồn, ghi chú"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("nhập lúc"))

    class Meta:
        ordering = ["-month", "indicator"]
        verbose_name = _("số liệu đo tại Cổng DVCQG")
        verbose_name_plural = _("số liệu đo tại Cổng DVCQG")
        constraints = [
            models.UniqueConstraint(fields=["agency", "indicator", "month"], name="national_figure_once_a_month"),
            models.CheckConstraint(
                condition=Q(denominator__gt=0) & Q(numerator__lte=F("denominator")),
                name="national_figure_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%m/%Y}: {self.numerator}/{self.denominator}"
