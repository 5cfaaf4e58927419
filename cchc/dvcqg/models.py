"""The outbox of changes to push to the national public service portal (Cổng DVCQG), and the dossiers
pulled from it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency
from cchc.core.clock import ClockDateTimeField
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Procedure


class OutboxMessage(models.Model):
    """One change to tell the portal, written in the transaction of the change itself (so no change is
    lost and none is told that did not happen), sent later by a task with retries. A dossier's messages
    go out in the order they were written: one waits while an earlier one of the same dossier is unsent.
    """

    class Kind(models.TextChoices):
        DOSSIER = "dossier", _("Hồ sơ (tạo mới)")
        PROGRESS = "progress", _("Tiến độ, trạng thái hồ sơ")
        OFFERING = "offering", _("Thủ tục cung cấp tại địa phương")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã đồng bộ")
        FAILED = "failed", _("Lỗi, đã dừng thử lại")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    service = models.CharField(_("dịch vụ"), max_length=40)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(_("nội dung"), default=dict)
    changed_at = models.DateTimeField(_("thay đổi lúc"), db_index=True)
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("thông điệp đồng bộ Cổng DVCQG")
        verbose_name_plural = _("thông điệp đồng bộ Cổng DVCQG")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="dvcqg_outbox_due_idx"),
            models.Index(fields=["dossier", "id"], name="dvcqg_outbox_dossier_idx"),
            models.Index(
                fields=["agency", "changed_at"],
                name="dvcqg_outbox_indicator_idx",
                condition=Q(kind__in=["dossier", "progress"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class NationalDossier(models.Model):
    """A dossier lodged on the national portal and pulled into intake here: the portal's code is kept,
    so the same dossier is never taken twice and its later changes are told under that code."""

    national_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=60, unique=True)
    dossier = models.OneToOneField(Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="+")
    lodged_at = models.DateTimeField(_("nộp trên Cổng DVCQG lúc"), null=True, blank=True)
    pulled_at = ClockDateTimeField(_("lấy về lúc"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("đã xác nhận với Cổng lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-pulled_at"]
        verbose_name = _("hồ sơ nộp trên Cổng DVCQG")
        verbose_name_plural = _("hồ sơ nộp trên Cổng DVCQG")

    def __str__(self) -> str:
        return self.national_code
