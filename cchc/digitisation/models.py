"""Paper turned into data: a scanned component's text layer, the key fields proposed from it and the
ones the officer confirmed, and the paper's place in the applicant's data store."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import DossierDocument, StoredDocument


class Digitisation(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ nhận dạng chữ")
        PROPOSED = "proposed", _("Chờ cán bộ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận, đưa vào kho dữ liệu")
        FAILED = "failed", _("Nhận dạng lỗi")

    document = models.OneToOneField(
        DossierDocument, verbose_name=_("giấy tờ"), on_delete=models.CASCADE, related_name="digitisation"
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED)
    searchable = models.FileField(_("bản PDF có lớp chữ"), upload_to="digitised/%Y/%m/", blank=True)
    text = models.TextField(_("chữ nhận dạng"), blank=True)
    proposed = models.JSONField(_("trường đề xuất"), default=dict, blank=True)
    confirmed = models.JSONField(_("trường đã xác nhận"), default=dict, blank=True)
    valid_until = models.DateField(_("có giá trị đến ngày"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    stored = models.ForeignKey(
        StoredDocument, verbose_name=_("trong kho dữ liệu"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("số hóa giấy tờ")
        verbose_name_plural = _("số hóa giấy tờ")

    def __str__(self) -> str:
        return f"{self.document} – {self.get_state_display()}"
