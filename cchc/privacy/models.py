"""Personal data (Law 91/2025, Decree 356/2025): the privacy notice and who accepted which version,
applicants' requests to correct or delete their data, and the register of personal-data breaches."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency
from cchc.core import clock
from cchc.core.clock import ClockDateTimeField

BREACH_NOTIFICATION_WINDOW = timedelta(hours=72)


class PrivacyNotice(models.Model):
    """A version of the notice: what is collected, why, for how long, who receives it. Published
    versions are never edited; a change is a new version, which applicants accept again."""

    version = models.PositiveIntegerField(_("phiên bản"), unique=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(
        _("nội dung"), help_text=_("Mỗi đoạn cách nhau một dòng trống; dòng bắt đầu bằng ## là tiêu đề mục.")
    )
    effective_at = ClockDateTimeField(_("áp dụng từ"), default=clock.now)
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("thông báo xử lý dữ liệu cá nhân")
        verbose_name_plural = _("thông báo xử lý dữ liệu cá nhân")

    def __str__(self) -> str:
        return f"{self.title} (phiên bản {self.version})"


class NoticeAcceptance(models.Model):
    class Context(models.TextChoices):
        SIGNUP = "signup", _("Khi đăng ký tài khoản")
        SUBMISSION = "submission", _("Trước khi nộp hồ sơ")
        API = "api", _("Qua API")
        DEMO = "demo", _("Dữ liệu minh họa")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="+"
    )
    notice = models.ForeignKey(PrivacyNotice, verbose_name=_("thông báo"), on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("đồng ý lúc"))
    context = models.CharField(_("hoàn cảnh"), max_length=12, choices=Context.choices)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("lượt đồng ý thông báo")
        verbose_name_plural = _("lượt đồng ý thông báo")
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="one_acceptance_per_notice")]

    def __str__(self) -> str:
        return f"{self.user_id} → v{self.notice_id}"


class DataRequest(models.Model):
    """An applicant asks to correct or delete their personal data; the reform officer of the agency
    handles it before `due_at`."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Chỉnh sửa dữ liệu cá nhân")
        DELETION = "deletion", _("Xóa dữ liệu cá nhân")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang xử lý")
        DONE = "done", _("Đã thực hiện")
        REFUSED = "refused", _("Từ chối")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), on_delete=models.PROTECT, related_name="+"
    )
    # The agency of the applicant's latest dossier; none (an account without dossiers): any agency's reform officer.
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan xử lý"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại yêu cầu"), max_length=12, choices=Kind.choices)
    details = models.TextField(_("nội dung yêu cầu"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    due_at = models.DateTimeField(_("hạn xử lý"))
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(_("kết quả xử lý"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], condition=models.Q(status="open"), name="one_open_request_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.requested_at:%d/%m/%Y}"

    @property
    def late(self) -> bool:
        return self.status == self.Status.OPEN and clock.now() > self.due_at


class Breach(models.Model):
    """A personal-data breach: what happened, when it was discovered, whose data, the 72-hour clock
    to notify the authority (A05, Ministry of Public Security), and what was done."""

    title = models.CharField(_("sự cố"), max_length=255)
    description = models.TextField(_("mô tả"))
    occurred_at = models.DateTimeField(_("xảy ra lúc"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("phát hiện lúc"))
    data_subjects = models.TextField(_("dữ liệu của ai, loại dữ liệu nào"))
    subjects_count = models.PositiveIntegerField(_("số người bị ảnh hưởng (ước tính)"), default=0)
    authority_notified_at = models.DateTimeField(_("đã thông báo cơ quan chức năng lúc"), null=True, blank=True)
    subjects_notified_at = models.DateTimeField(_("đã thông báo người bị ảnh hưởng lúc"), null=True, blank=True)
    actions = models.TextField(_("biện pháp đã thực hiện"), blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name = _("sự cố dữ liệu cá nhân")
        verbose_name_plural = _("sổ sự cố dữ liệu cá nhân")

    def __str__(self) -> str:
        return self.title

    @property
    def notify_by(self):
        """The authority must be told within 72 hours of the discovery."""
        return self.discovered_at + BREACH_NOTIFICATION_WINDOW
