"""Results sent by post through VNPost (Bưu chính công ích): the shipment of a dossier's result and its
tracking history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.clock import ClockDateTimeField
from cchc.dossiers.models import Dossier


class Shipment(models.Model):
    """The result of one dossier handed to VNPost: its waybill (mã vận đơn), where it is, and who sent it."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Chờ tạo vận đơn")
        CREATED = "created", _("Đã tạo vận đơn, chờ bưu điện nhận")
        PICKED_UP = "picked_up", _("Bưu điện đã nhận")
        IN_TRANSIT = "in_transit", _("Đang vận chuyển")
        DELIVERED = "delivered", _("Đã phát cho người nhận")
        RETURNED = "returned", _("Phát không thành công, hoàn về")
        CANCELLED = "cancelled", _("Đã hủy")
        FAILED = "failed", _("Không tạo được vận đơn")

    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="+")
    waybill = models.CharField(_("mã vận đơn"), max_length=40, blank=True)
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.REQUESTED)
    receiver_name = models.CharField(_("người nhận"), max_length=255)
    receiver_phone = models.CharField(_("điện thoại người nhận"), max_length=20)
    receiver_address = models.CharField(_("địa chỉ nhận"), max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ gửi"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = ClockDateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gọi VNPost"), default=0)
    tracked_at = models.DateTimeField(_("tra cứu hành trình lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("phát lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("bưu gửi kết quả")
        verbose_name_plural = _("bưu gửi kết quả")
        constraints = [
            # One live shipment per dossier; a cancelled or failed one may be followed by another.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=~Q(state__in=["cancelled", "failed"]),
                name="one_live_shipment_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return self.waybill or f"#{self.pk}"


class ShipmentEvent(models.Model):
    """One step of the tracking VNPost reported, kept once."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(_("mã trạng thái"), max_length=20)
    label = models.CharField(_("nội dung"), max_length=255)
    at = models.DateTimeField(_("lúc"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("hành trình bưu gửi")
        verbose_name_plural = _("hành trình bưu gửi")
        constraints = [models.UniqueConstraint(fields=["shipment", "code", "at"], name="shipment_event_once")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.label}"
