"""Rà soát, đơn giản hóa thủ tục hành chính: review rounds, the procedures reviewed in them with
their compliance cost before and after (domain.md §10), and the proposed changes.

A round belongs to one agency and measures its operations over a period (the evidence: which
components make applicants come back, which steps overrun their budget). A closed round is
read-only: services refuse every change to it, its reviews and their proposals.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency
from cchc.core.clock import ClockDateTimeField
from cchc.procedures.models import Component, Procedure, ProcedureVersion

from . import costs

HOURS = {"max_digits": 7, "decimal_places": 2, "default": Decimal(0), "validators": [MinValueValidator(0)]}

ACTIVITY_LABELS = {
    "learning": _("Tìm hiểu quy định, yêu cầu của thủ tục"),
    "preparing": _("Chuẩn bị hồ sơ"),
    "submitting": _("Nộp hồ sơ"),
    "waiting": _("Theo dõi, chờ, đi lại trong quá trình giải quyết"),
    "receiving": _("Nhận kết quả"),
}
EXPENSE_LABELS = {
    "copies": _("Sao chụp giấy tờ"),
    "certifications": _("Chứng thực, xác nhận"),
    "travel": _("Đi lại"),
    "services": _("Dịch vụ thuê ngoài (tư vấn, bưu chính…)"),
}


def hours_field(state: str, activity: str) -> str:
    return f"{state}_{activity}_hours"


def expense_field(state: str, expense: str) -> str:
    return f"{state}_{expense}_cost"


def fees_field(state: str) -> str:
    return f"fees_{state}"


class ReviewRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang rà soát")
        CLOSED = "closed", _("Đã kết thúc")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên đợt rà soát"), max_length=255)
    period_start = models.DateField(_("số liệu vận hành từ ngày"))
    period_end = models.DateField(_("số liệu vận hành đến ngày"))
    monthly_income = models.PositiveBigIntegerField(
        _("thu nhập bình quân tháng (đồng)"),
        help_text=_("Dùng để tính chi phí thời gian: thu nhập giờ = thu nhập tháng ÷ 22 ngày ÷ 8 giờ."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kết thúc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("đợt rà soát thủ tục hành chính")
        verbose_name_plural = _("đợt rà soát thủ tục hành chính")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "name"], name="review_round_name_per_year"),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="review_round_period"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def hourly_income(self) -> Decimal:
        return costs.hourly_income(self.monthly_income)


class ProcedureReview(models.Model):
    """One procedure reviewed in a round: its yearly volume, the applicant's cost before and
    after the proposed changes, and the conclusion."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Đang rà soát")
        CONCLUDED = "concluded", _("Đã kết luận")

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("đợt rà soát"), on_delete=models.CASCADE, related_name="reviews"
    )
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản được rà soát"), on_delete=models.PROTECT, related_name="+"
    )
    volume_computed = models.PositiveIntegerField(
        _("số hồ sơ 12 tháng (theo dữ liệu)"),
        default=0,
        help_text=_("Số hồ sơ đã tiếp nhận trong 12 tháng tính đến hết kỳ số liệu của đợt rà soát."),
    )
    volume_override = models.PositiveIntegerField(_("số hồ sơ mỗi năm (điều chỉnh)"), null=True, blank=True)
    volume_override_reason = models.CharField(_("lý do điều chỉnh số hồ sơ"), max_length=500, blank=True)

    before_learning_hours = models.DecimalField(_("trước: tìm hiểu (giờ)"), **HOURS)
    before_preparing_hours = models.DecimalField(_("trước: chuẩn bị hồ sơ (giờ)"), **HOURS)
    before_submitting_hours = models.DecimalField(_("trước: nộp hồ sơ (giờ)"), **HOURS)
    before_waiting_hours = models.DecimalField(_("trước: chờ, theo dõi (giờ)"), **HOURS)
    before_receiving_hours = models.DecimalField(_("trước: nhận kết quả (giờ)"), **HOURS)
    before_copies_cost = models.PositiveBigIntegerField(_("trước: sao chụp (đồng)"), default=0)
    before_certifications_cost = models.PositiveBigIntegerField(_("trước: chứng thực (đồng)"), default=0)
    before_travel_cost = models.PositiveBigIntegerField(_("trước: đi lại (đồng)"), default=0)
    before_services_cost = models.PositiveBigIntegerField(_("trước: dịch vụ (đồng)"), default=0)
    fees_before = models.PositiveBigIntegerField(
        _("phí, lệ phí hiện hành (đồng)"), default=0, help_text=_("Tổng các khoản phí, lệ phí của phiên bản rà soát.")
    )

    after_learning_hours = models.DecimalField(_("sau: tìm hiểu (giờ)"), **HOURS)
    after_preparing_hours = models.DecimalField(_("sau: chuẩn bị hồ sơ (giờ)"), **HOURS)
    after_submitting_hours = models.DecimalField(_("sau: nộp hồ sơ (giờ)"), **HOURS)
    after_waiting_hours = models.DecimalField(_("sau: chờ, theo dõi (giờ)"), **HOURS)
    after_receiving_hours = models.DecimalField(_("sau: nhận kết quả (giờ)"), **HOURS)
    after_copies_cost = models.PositiveBigIntegerField(_("sau: sao chụp (đồng)"), default=0)
    after_certifications_cost = models.PositiveBigIntegerField(_("sau: chứng thực (đồng)"), default=0)
    after_travel_cost = models.PositiveBigIntegerField(_("sau: đi lại (đồng)"), default=0)
    after_services_cost = models.PositiveBigIntegerField(_("sau: dịch vụ (đồng)"), default=0)
    fees_after = models.PositiveBigIntegerField(_("phí, lệ phí sau đơn giản hóa (đồng)"), default=0)

    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    conclusion = models.TextField(_("kết luận"), blank=True)
    concluded_at = models.DateTimeField(_("kết luận lúc"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kết luận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thêm"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField(_("thêm lúc"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["round", "procedure__code"]
        verbose_name = _("thủ tục được rà soát")
        verbose_name_plural = _("thủ tục được rà soát")
        constraints = [models.UniqueConstraint(fields=["round", "procedure"], name="review_once_per_round")]

    def __str__(self) -> str:
        return f"{self.procedure.code} – {self.version.name}"

    @property
    def volume(self) -> int:
        """Cases a year used for the annual cost: the override when one was given."""
        return self.volume_override if self.volume_override is not None else self.volume_computed

    def inputs(self, state: str) -> costs.CostInputs:
        """The cost inputs of `state` ("before" or "after") for the pure cost rules."""
        return costs.CostInputs(
            hours={a: getattr(self, hours_field(state, a)) for a in costs.ACTIVITIES},
            expenses={e: getattr(self, expense_field(state, e)) for e in costs.EXPENSES},
            fees=getattr(self, fees_field(state)),
        )


class ProposedChange(models.Model):
    """One simplification proposed for a reviewed procedure."""

    class Kind(models.TextChoices):
        DROP_COMPONENT = "drop_component", _("Bãi bỏ thành phần hồ sơ")
        SHORTEN_TIME_LIMIT = "shorten_time_limit", _("Rút ngắn thời hạn giải quyết")
        OFFER_ONLINE = "offer_online", _("Cung cấp dịch vụ công trực tuyến một phần")
        FULL_ONLINE = "full_online", _("Cung cấp dịch vụ công trực tuyến toàn trình")
        OTHER = "other", _("Phương án khác")

    review = models.ForeignKey(
        ProcedureReview, verbose_name=_("thủ tục được rà soát"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("loại phương án"), max_length=20, choices=Kind.choices)
    component = models.ForeignKey(
        Component,
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_time_limit_value = models.PositiveIntegerField(
        _("thời hạn mới"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("nội dung phương án"))
    rationale = models.TextField(_("lý do, căn cứ"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề xuất"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField(_("đề xuất lúc"), auto_now_add=True)

    class Meta:
        ordering = ["review", "created_at", "id"]
        verbose_name = _("phương án đơn giản hóa")
        verbose_name_plural = _("phương án đơn giản hóa")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def new_online_level(self) -> int | None:
        return {self.Kind.OFFER_ONLINE: 3, self.Kind.FULL_ONLINE: 4}.get(self.kind)
