"""Paper turned into data: a scanned paper's text layer, the key fields proposed from it and the ones the
officer confirmed, and the paper's place in the applicant's data store.

Three kinds of paper are digitised (`Digitisation.Source`): a component scanned at the counter (its scan is
the dossier document's file), the paper result of a dossier (scanned by the counter officer before it is
handed over: the scan is kept here) and a historical result imported in a batch from a folder of scans and a
spreadsheet (`ImportBatch`; the spreadsheet's metadata stands for the officer's confirmation)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency
from cchc.core.clock import ClockDateTimeField
from cchc.dossiers.models import Dossier, DossierDocument, StoredDocument


class ImportBatch(models.Model):
    """One import of historical results (a spreadsheet and its scans), all rows or none."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    sheet_name = models.CharField(_("bảng kê"), max_length=255)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    imported = models.PositiveIntegerField(_("số giấy tờ nhập mới"), default=0)
    skipped = models.PositiveIntegerField(_("số giấy tờ đã nhập trước đây"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = ClockDateTimeField(_("nhập lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("đợt nhập kết quả cũ")
        verbose_name_plural = _("đợt nhập kết quả cũ")

    def __str__(self) -> str:
        return f"{self.sheet_name} ({self.imported_at:%d/%m/%Y})"


class Digitisation(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ nhận dạng chữ")
        PROPOSED = "proposed", _("Chờ cán bộ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận, đưa vào kho dữ liệu")
        FAILED = "failed", _("Nhận dạng lỗi")

    class Source(models.TextChoices):
        COMPONENT = "component", _("Thành phần hồ sơ")
        RESULT = "result", _("Kết quả giải quyết bản giấy")
        HISTORICAL = "historical", _("Kết quả cũ nhập theo lô")

    source = models.CharField(_("loại giấy tờ"), max_length=10, choices=Source.choices, default=Source.COMPONENT)
    document = models.OneToOneField(
        DossierDocument,
        verbose_name=_("giấy tờ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digitisation",
    )
    # The dossier of a paper result (a component's is its document's).
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_digitisations",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("đợt nhập"), null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    # The scan of a paper result or of a historical one (a component's scan is its document's file).
    scan = models.FileField(_("bản quét"), upload_to="digitised/scans/%Y/%m/", blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    # What the paper is and whose it is (results; a component takes these from its dossier).
    name = models.CharField(_("tên giấy tờ"), max_length=500, blank=True)
    number = models.CharField(_("số"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    owner_identifier = models.CharField(_("số định danh / mã số thuế"), max_length=14, blank=True)
    owner_name = models.CharField(_("họ tên chủ giấy tờ"), max_length=255, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED)
    searchable = models.FileField(_("bản PDF có lớp chữ"), upload_to="digitised/%Y/%m/", blank=True)
    text = models.TextField(_("chữ nhận dạng"), blank=True)
    proposed = models.JSONField(_("trường đề xuất"), default=dict, blank=True)
    confirmed = models.JSONField(_("trường đã xác nhận"), default=dict, blank=True)
    valid_until = models.DateField(_("có giá trị đến ngày"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = ClockDateTimeField(_("yêu cầu lúc"), auto_now_add=True)
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
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(source="result"), name="digitisation_one_paper_result_per_dossier"
            ),
            # Importing the same scan again changes nothing.
            models.UniqueConstraint(
                fields=["sha256"], condition=Q(source="historical"), name="digitisation_historical_scan_once"
            ),
        ]
        indexes = [models.Index(fields=["dossier", "source", "state"], name="digitisation_result_idx")]

    def __str__(self) -> str:
        return f"{self.document or self.name} – {self.get_state_display()}"

    @property
    def source_file(self):
        """The scan to read: the component's file, or the result's own scan."""
        return self.document.file if self.document_id else self.scan
