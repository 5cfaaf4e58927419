"""Electronic results: what staff compose for a dossier, and the signed PDF the agency issues.

A `SignedResult` is the dossier's electronic result: the PAdES-signed file, its SHA-256 and the
certificate that signed it. Its random `id` is public (the QR code on the document and the
verification page use it); nothing personal can be found from it beyond what the page shows.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.clock import ClockDateTimeField
from cchc.dossiers.models import Dossier


class ResultKind(models.TextChoices):
    LICENCE = "licence", _("Giấy phép, giấy chứng nhận")
    APPROVAL = "approval", _("Văn bản chấp thuận")
    GENERIC = "generic", _("Kết quả giải quyết thủ tục hành chính")


class SignerTitle(models.TextChoices):
    DIRECTOR = "director", _("Giám đốc")
    DEPUTY = "deputy", _("Phó Giám đốc (ký thay Giám đốc)")


class ResultDraft(models.Model):
    """What staff filled in for the result before it is signed; the preview renders it."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result_draft")
    # The id the signed result will have, so the preview already shows its final QR code.
    result_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    valid_until = models.DateField(_("có giá trị đến ngày"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    signer_title = models.CharField(
        _("chức danh người ký"), max_length=10, choices=SignerTitle.choices, default=SignerTitle.DIRECTOR
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = ClockDateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("dự thảo kết quả")
        verbose_name_plural = _("dự thảo kết quả")

    def __str__(self) -> str:
        return str(self.dossier)


class SignedResult(models.Model):
    """The signed electronic result of a dossier (at most one)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="signed_result")
    name = models.CharField(_("tên kết quả"), max_length=255)
    kind = models.CharField(_("mẫu"), max_length=10, choices=ResultKind.choices)
    number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    file = models.FileField(_("tệp đã ký"), upload_to="results/%Y/%m/")
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField(default=0)
    signed_at = models.DateTimeField(_("ký lúc"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=255)
    certificate_subject = models.CharField(_("chủ thể chứng thư số"), max_length=500)
    certificate_serial = models.CharField(_("số hiệu chứng thư số"), max_length=64)
    certificate_fingerprint = models.CharField(_("dấu vân tay SHA-256 của chứng thư"), max_length=64, db_index=True)
    # Kept so results stay verifiable after the agency's certificate is renewed.
    certificate_pem = models.TextField(editable=False)

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("kết quả điện tử đã ký số")
        verbose_name_plural = _("kết quả điện tử đã ký số")

    def __str__(self) -> str:
        return f"{self.dossier} – {self.name}"
