"""Complaints and petitions (phản ánh, kiến nghị) about a dossier or a procedure.

Each is routed to a unit and must be answered within a time limit counted in working days
from the calendar. The limit is stored on the row, so a later change of the setting never
moves an old deadline; the outcome (early, on time, late) is judged like a process step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency, Unit
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Procedure


class Complaint(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Phản ánh")
        PETITION = "petition", _("Kiến nghị")

    class Status(models.TextChoices):
        NEW = "new", _("Mới tiếp nhận")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")

    class Outcome(models.TextChoices):
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    class Feedback(models.TextChoices):
        SATISFIED = "satisfied", _("Hài lòng với câu trả lời")
        DISSATISFIED = "dissatisfied", _("Chưa hài lòng với câu trả lời")

    code = models.CharField(_("mã phản ánh, kiến nghị"), max_length=20, unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người gửi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    submitter_name = models.CharField(_("họ tên người gửi"), max_length=255)
    contact_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    content = models.TextField(_("nội dung"))
    submitted_at = models.DateTimeField(_("gửi lúc"))
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW)
    time_limit_days = models.PositiveSmallIntegerField(_("thời hạn trả lời (ngày làm việc)"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("kết quả"), max_length=8, choices=Outcome.choices, blank=True)
    # The submitter's view of the answer, and a later complaint raising the same matter again: what
    # the service index's "satisfaction with complaint handling" (Decision 766, 5.3) counts against.
    feedback = models.CharField(
        _("ý kiến của người gửi về câu trả lời"), max_length=12, choices=Feedback.choices, blank=True
    )
    feedback_at = models.DateTimeField(_("góp ý lúc"), null=True, blank=True)
    raised_again_from = models.ForeignKey(
        "self",
        verbose_name=_("phản ánh lại nội dung của"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_again",
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier__isnull=False) | Q(procedure__isnull=False), name="complaint_is_about_something"
            ),
            models.CheckConstraint(
                condition=(Q(status="answered") & Q(answered_at__isnull=False) & ~Q(outcome=""))
                | (~Q(status="answered") & Q(answered_at__isnull=True) & Q(outcome="")),
                name="complaint_answered_has_time_and_outcome",
            ),
            models.CheckConstraint(
                condition=(Q(feedback="") & Q(feedback_at__isnull=True))
                | (Q(status="answered") & ~Q(feedback="") & Q(feedback_at__isnull=False)),
                name="complaint_feedback_after_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="complaint_unit_queue_idx"),
            models.Index(fields=["agency", "status", "due_at"], name="complaint_agency_queue_idx"),
            models.Index(fields=["submitter", "-submitted_at"], name="complaint_submitter_idx"),
        ]

    def __str__(self) -> str:
        return self.code


class ComplaintSequence(models.Model):
    """The last complaint number given on a day; locked while a code is taken."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.last}"
