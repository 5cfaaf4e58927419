"""Kế hoạch, nhiệm vụ và cam kết cải cách hành chính.

The agency's yearly reform plan is a list of tasks, each owned by a unit and a lead person,
with a deadline inside the plan's year and progress reports with evidence. Each unit's head
signs the year's commitment (targets on the live service indicators or set by hand, plus the
unit's tasks); a leader countersigns it and the signed PDF is kept. Shortcomings of the last
PAR Index appraisal become remediation tasks linked to the criterion that lost the points.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency, Unit
from cchc.core.clock import ClockDateTimeField
from cchc.reform.models import Criterion

from .rules import GTE, LTE
from .workflow import CommitmentStatus, TaskStatus


class Plan(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    decision_number = models.CharField(_("số hiệu văn bản ban hành"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch cải cách hành chính")
        verbose_name_plural = _("kế hoạch cải cách hành chính")
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="plans_plan_agency_year")]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="tasks")
    code = models.CharField(_("số thứ tự"), max_length=30)
    title = models.CharField(_("tên nhiệm vụ"), max_length=500)
    description = models.TextField(_("nội dung"), blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_tasks",
    )
    deadline = models.DateField(_("thời hạn hoàn thành"))
    expected_output = models.CharField(_("sản phẩm dự kiến"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("tiêu chí bị trừ điểm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remediation_tasks",
    )
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plans_task_plan_code"),
            models.UniqueConstraint(
                fields=["plan", "criterion"], condition=Q(criterion__isnull=False), name="plans_task_one_per_criterion"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="plans_task_progress_percent"),
        ]
        indexes = [models.Index(fields=["plan", "unit", "status", "deadline"], name="plans_task_unit_idx")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class TaskTransition(models.Model):
    """One status change of a task: the history its page shows."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=TaskStatus.choices)
    to_status = models.CharField(max_length=12, choices=TaskStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_status} → {self.to_status}"


class TaskReport(models.Model):
    """A progress report: how far the task is, what was done, and the evidence."""

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người báo cáo"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("báo cáo lúc"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    text = models.TextField(_("kết quả thực hiện"))
    evidence = models.FileField(_("tệp minh chứng"), upload_to="plans/reports/%Y/", blank=True)
    evidence_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    link = models.CharField(_("liên kết minh chứng"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["task", "-at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="plans_report_percent")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.percent}%"


class TaskReminder(models.Model):
    """A reminder sent for a task and its deadline: one row each, so none is sent twice.

    The deadline is part of the key: when the deadline moves, the reminders start again."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)  # "before_7", "before_1", "late"
    deadline = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "deadline"], name="plans_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.deadline}"


class Commitment(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.DRAFT
    )
    tasks = models.ManyToManyField(Task, verbose_name=_("nhiệm vụ cam kết"), blank=True, related_name="commitments")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trưởng đơn vị ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    countersigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo ký duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    countersigned_at = models.DateTimeField(_("ký duyệt lúc"), null=True, blank=True)
    file = models.FileField(_("bản cam kết đã ký số"), upload_to="plans/commitments/%Y/", blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    certificate_fingerprint = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bản cam kết")
        verbose_name_plural = _("bản cam kết")
        ordering = ["agency", "-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "unit", "year"], name="plans_commitment_unit_year"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(signer__isnull=False) & Q(signed_at__isnull=False)),
                name="plans_commitment_signed_has_signer",
            ),
            models.CheckConstraint(
                condition=~Q(status="countersigned")
                | (Q(countersigner__isnull=False) & Q(countersigned_at__isnull=False) & ~Q(sha256="")),
                name="plans_commitment_countersigned_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class CommitmentTarget(models.Model):
    class Comparison(models.TextChoices):
        GTE = GTE, _("≥ (không thấp hơn)")
        LTE = LTE, _("≤ (không vượt quá)")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    label = models.CharField(_("chỉ tiêu"), max_length=255)
    # A service index indicator code ("progress.on_time"); blank for a target measured by hand.
    indicator = models.CharField(_("chỉ số liên kết"), max_length=60, blank=True)
    comparison = models.CharField(_("so sánh"), max_length=3, choices=Comparison.choices, default=GTE)
    target = models.DecimalField(_("mục tiêu (%)"), max_digits=5, decimal_places=2)
    manual_actual = models.DecimalField(
        _("kết quả tự theo dõi (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("chỉ tiêu cam kết")
        verbose_name_plural = _("chỉ tiêu cam kết")
        ordering = ["commitment", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0) & Q(target__lte=100), name="plans_target_percent"),
        ]

    def __str__(self) -> str:
        return self.label
