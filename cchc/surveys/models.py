"""Satisfaction ratings of returned dossiers, the invitations to give one, and the follow-ups
that a low score opens for the unit head."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Unit
from cchc.dossiers.models import Dossier

from .scores import FACTOR_LABELS, FACTORS, SCALE_LABELS

SCORE_CHOICES = list(SCALE_LABELS.items())


def score_field(factor: str) -> str:
    return f"score_{factor}"


class Rating(models.Model):
    """One applicant's answers about one dossier. The database holds "one per dossier"."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        KIOSK = "kiosk", _("Tại quầy (máy đánh giá)")

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="satisfaction_rating"
    )
    score_access = models.PositiveSmallIntegerField(FACTOR_LABELS["access"], choices=SCORE_CHOICES)
    score_procedure = models.PositiveSmallIntegerField(FACTOR_LABELS["procedure"], choices=SCORE_CHOICES)
    score_officer = models.PositiveSmallIntegerField(FACTOR_LABELS["officer"], choices=SCORE_CHOICES)
    score_result = models.PositiveSmallIntegerField(FACTOR_LABELS["result"], choices=SCORE_CHOICES)
    # Empty: "không áp dụng" (the applicant sent no complaint or petition; `scores.OPTIONAL_FACTORS`).
    score_feedback = models.PositiveSmallIntegerField(
        FACTOR_LABELS["feedback"], choices=SCORE_CHOICES, null=True, blank=True
    )
    comment = models.TextField(_("góp ý"), blank=True)
    channel = models.CharField(_("hình thức đánh giá"), max_length=8, choices=Channel.choices)
    rated_at = models.DateTimeField(_("đánh giá lúc"), db_index=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-rated_at", "-id"]
        verbose_name = _("phiếu đánh giá mức độ hài lòng")
        verbose_name_plural = _("phiếu đánh giá mức độ hài lòng")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{score_field(f)}__gte": 1, f"{score_field(f)}__lte": 5}),
                name=f"rating_{f}_from_1_to_5",
            )
            for f in FACTORS
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.rated_at:%d/%m/%Y}"

    def scores(self) -> dict[str, int]:
        return {f: getattr(self, score_field(f)) for f in FACTORS}


class SurveyInvitation(models.Model):
    """Sent when the result is returned. Only a hash of the link's token is kept, like a password."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="survey_invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi thư mời lúc"), null=True, blank=True)
    used_at = models.DateTimeField(_("đã đánh giá lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư mời đánh giá")
        verbose_name_plural = _("thư mời đánh giá")

    def __str__(self) -> str:
        return str(self.dossier)


class FollowUp(models.Model):
    """A low score, for the head of the dossier's lead unit to look into and close with a note."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa xử lý")
        CLOSED = "closed", _("Đã xử lý")

    rating = models.OneToOneField(
        Rating, verbose_name=_("phiếu đánh giá"), on_delete=models.CASCADE, related_name="follow_up"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("tình trạng"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("mở lúc"))
    note = models.TextField(_("kết quả xử lý"), blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("theo dõi đánh giá chưa hài lòng")
        verbose_name_plural = _("theo dõi đánh giá chưa hài lòng")
        indexes = [models.Index(fields=["unit", "status", "opened_at"], name="follow_up_unit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="follow_up_closed_has_time",
            )
        ]

    def __str__(self) -> str:
        return str(self.rating.dossier)
