"""Initiatives: new models and good practices of a unit, with the indicators they should move."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.clock import ClockDateTimeField

from .workflow import Status


class Initiative(models.Model):
    Status = Status

    class Level(models.TextChoices):
        DEPARTMENT = "department", _("cấp Sở")
        PROVINCE = "province", _("cấp tỉnh")
        NATIONAL = "national", _("cấp toàn quốc")

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="initiatives"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="initiatives"
    )
    title = models.CharField(_("tên sáng kiến, mô hình"), max_length=255)
    started_on = models.DateField(_("ngày bắt đầu áp dụng"))
    description = models.TextField(_("mô tả"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    recognised = models.BooleanField(_("được công nhận là sáng kiến"), default=False)
    recognition_level = models.CharField(_("cấp công nhận"), max_length=20, choices=Level.choices, blank=True)
    recognition_decision = models.CharField(_("số quyết định công nhận"), max_length=100, blank=True)
    indicator_codes = models.JSONField(_("chỉ số theo dõi"), default=list, blank=True)
    measured_agency_wide = models.BooleanField(
        _("đo trên toàn cơ quan"),
        default=False,
        help_text=_("Cho mô hình của Bộ phận Một cửa, Văn phòng: hiệu quả đo trên mọi thủ tục của cơ quan."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("sáng kiến, mô hình mới")
        verbose_name_plural = _("sáng kiến, mô hình mới")
        constraints = [models.UniqueConstraint(fields=["agency", "title"], name="initiative_title_per_agency")]
        indexes = [models.Index(fields=["agency", "unit", "status"], name="initiative_agency_unit")]

    def __str__(self) -> str:
        return self.title
