"""The PAR Index self-assessment (chỉ số cải cách hành chính).

The province scores each department yearly on a criteria tree (domains → criteria →
sub-criteria), loaded here from a template file. Each criterion carries its maximum, how it
is scored (self-assessed with evidence, computed from a live indicator of the service index,
or taken from a survey), the unit answerable for it, the self-score and, once the province has
appraised the year, the appraised score.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency, Unit
from cchc.core.clock import ClockDateTimeField


class ParYear(models.Model):
    """One agency's assessment for one year: the tree, the target and the appraisal."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    target = models.DecimalField(_("mục tiêu (điểm)"), max_digits=5, decimal_places=2, default=80)
    template_name = models.CharField(_("bộ tiêu chí"), max_length=255, blank=True)
    is_sample = models.BooleanField(_("bộ tiêu chí mẫu"), default=False)
    template_note = models.TextField(_("ghi chú của bộ tiêu chí"), blank=True)
    appraised_on = models.DateField(_("ngày có kết quả thẩm định"), null=True, blank=True)
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("năm đánh giá chỉ số CCHC")
        verbose_name_plural = _("năm đánh giá chỉ số CCHC")
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="reform_paryear_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.year}"


class Criterion(models.Model):
    class Method(models.TextChoices):
        SELF = "self", _("Tự đánh giá, có tài liệu kiểm chứng")
        INDICATOR = "indicator", _("Tính từ chỉ số thực tế của hệ thống")
        SURVEY = "survey", _("Điều tra xã hội học")

    par_year = models.ForeignKey(
        ParYear, verbose_name=_("năm đánh giá"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.TextField(_("tên lĩnh vực, tiêu chí"))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    method = models.CharField(_("phương pháp chấm"), max_length=10, choices=Method.choices, default=Method.SELF)
    # The service index indicator a computed criterion follows, e.g. "progress.on_time".
    indicator = models.CharField(_("chỉ số liên kết"), max_length=60, blank=True)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chịu trách nhiệm"), null=True, blank=True, on_delete=models.SET_NULL
    )
    self_score = models.DecimalField(_("điểm tự đánh giá"), max_digits=6, decimal_places=2, null=True, blank=True)
    appraised_score = models.DecimalField(_("điểm thẩm định"), max_digits=6, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["par_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["par_year", "code"], name="reform_criterion_year_code"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="reform_criterion_max_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Evidence(models.Model):
    """A document or a link to a record in the system supporting a criterion's score."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("tên tài liệu kiểm chứng"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="reform/evidence/%Y/", blank=True)
    # What the uploader called the file, its type decided from the content, size and SHA-256.
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    # A site path ("/can-bo/ho-so/…") or an http(s) address.
    link = models.CharField(_("liên kết"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = ClockDateTimeField(_("thêm lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["criterion", "added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="reform_evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title
