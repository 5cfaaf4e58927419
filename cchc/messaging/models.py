"""SMS brandname and Zalo ZNS: the approved message templates, each person's channel choice, the
messages the providers accepted and their delivery reports, and the simulators' outbox.

A `Notification` (dossiers) is the message; a `SentMessage` is what a provider did with it (its
message id, then the delivery reports it sent back)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core import clock
from cchc.core.clock import ClockDateTimeField
from cchc.dossiers.models import Notification


class Channel(models.TextChoices):
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo (ZNS)")


class MessageTemplate(models.Model):
    """A template registered with the provider (a brandname SMS template, a ZNS template) and approved
    here before anything is sent with it. `kind` is the notification's kind (`status.received`) or a
    prefix ending in `*` (`status.*`); `params` are the names filled in, in the provider's order."""

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("loại thông báo"), max_length=40)
    provider_template_id = models.CharField(_("mã mẫu tại nhà cung cấp"), max_length=64)
    text = models.TextField(_("nội dung mẫu"), help_text=_("Tham số trong ngoặc nhọn, ví dụ {ma_ho_so}."))
    params = models.JSONField(_("tham số (theo thứ tự đăng ký)"), default=list)
    approved = models.BooleanField(_("đã phê duyệt"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người phê duyệt"), null=True, blank=True, on_delete=models.PROTECT
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mẫu tin nhắn")
        verbose_name_plural = _("mẫu tin nhắn")
        constraints = [models.UniqueConstraint(fields=["channel", "kind"], name="one_template_per_channel_kind")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.kind}"


class ContactPreference(models.Model):
    """The channels a person wants to be told on. No row: every channel the site sends on."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_preference")
    email = models.BooleanField(_("thư điện tử"), default=True)
    sms = models.BooleanField(_("tin nhắn SMS"), default=True)
    zalo = models.BooleanField(_("Zalo"), default=True)
    updated_at = ClockDateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")

    def __str__(self) -> str:
        return str(self.user)


class SentMessage(models.Model):
    """What a provider did with one notification: its message id, and the last delivery report."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Nhà cung cấp đã nhận")
        DELIVERED = "delivered", _("Đã đến máy người nhận")
        FAILED = "failed", _("Không đến được người nhận")

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="sent_message")
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    # Our key, sent with the message (SMS REQID, ZNS tracking_id), recorded before the call: a report
    # may arrive before the provider's answer. The provider's own id once it answers (ZNS msg_id).
    key = models.CharField(_("mã tin của hệ thống"), max_length=64)
    message_id = models.CharField(_("mã tin tại nhà cung cấp"), max_length=64, blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    detail = models.CharField(_("chi tiết"), max_length=255, blank=True)
    accepted_at = ClockDateTimeField(_("gửi lúc"), default=clock.now)
    reported_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin đã gửi")
        verbose_name_plural = _("tin đã gửi")
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="one_message_per_key")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.key}"


class DeliveryReport(models.Model):
    """One delivery report as received on the callback (bounded; a repeat counts on its row)."""

    MAX_CHARS = 2000

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    body = models.TextField(_("nội dung nhận được"))
    fingerprint = models.CharField(max_length=64, unique=True)
    received_at = ClockDateTimeField(_("nhận lúc"), default=clock.now)
    times_received = models.PositiveIntegerField(_("số lần nhận"), default=1)
    outcome = models.CharField(_("kết quả xử lý"), max_length=40, blank=True)
    message = models.ForeignKey(SentMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("báo cáo gửi tin")
        verbose_name_plural = _("báo cáo gửi tin")

    def __str__(self) -> str:
        return f"{self.channel} {self.outcome}"
