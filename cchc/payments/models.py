"""The payment ledger: one row per attempt to pay a dossier's fees, every IPN as received,
and refunds.

A `Payment` is an attempt (the citizen may start several; at most one normally ends paid).
An `IpnLog` row is written for every instant payment notification before anything acts on
it, so forged, mismatched and replayed notifications stay visible. A `Refund` follows a
paid online payment of a dossier that is refused (or paid twice).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core import clock
from cchc.core.clock import ClockDateTimeField
from cchc.dossiers.models import Dossier


class Provider(models.TextChoices):
    VNPAY = "vnpay", _("VNPAY")
    PAYGOV = "paygov", _("Nền tảng thanh toán PayGov (Cổng Dịch vụ công quốc gia)")
    CASH = "cash", _("Tiền mặt tại Bộ phận Một cửa")


class ReceiptStatus(models.TextChoices):
    NONE = "", _("Không phát hành")
    PENDING = "pending", _("Chờ phát hành")
    ISSUING = "issuing", _("Đang phát hành")
    ISSUED = "issued", _("Đã phát hành")
    FAILED = "failed", _("Phát hành không thành công")
    CANCELLING = "cancelling", _("Đang hủy")
    CANCELLED = "cancelled", _("Đã hủy (hoàn phí)")
    ADJUSTED = "adjusted", _("Đã điều chỉnh (hoàn một phần)")


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Thanh toán không thành công")
        CANCELLED = "cancelled", _("Đã hủy hoặc hết hạn")
        REFUND_PENDING = "refund_pending", _("Đang hoàn tiền")
        REFUNDED = "refunded", _("Đã hoàn tiền")

    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(_("mã giao dịch"), max_length=34, unique=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    provider = models.CharField(_("hình thức thanh toán"), max_length=10, choices=Provider.choices)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = ClockDateTimeField(_("tạo lúc"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # When CCHC confirmed the payment (the IPN, the reconciliation or the officer); the gateway's own
    # claim of when the citizen paid (vnp_PayDate) is kept beside it and never decides anything.
    paid_at = models.DateTimeField(_("xác nhận thanh toán lúc"), null=True, blank=True)
    gateway_paid_at = models.DateTimeField(_("thời điểm thanh toán theo cổng"), null=True, blank=True)
    transaction_no = models.CharField(_("mã giao dịch tại cổng thanh toán"), max_length=64, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=4, blank=True)
    raw = models.JSONField(_("dữ liệu từ cổng thanh toán"), default=dict, blank=True)
    updated_at = ClockDateTimeField(_("cập nhật lúc"), auto_now=True)
    # The electronic receipt (biên lai điện tử) issued for the fee, by the receipt provider.
    receipt_status = models.CharField(
        _("biên lai điện tử"), max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.NONE, blank=True
    )
    receipt_provider = models.CharField(_("đơn vị cung cấp biên lai"), max_length=10, blank=True)
    receipt_pattern = models.CharField(_("mẫu số biên lai"), max_length=20, blank=True)
    receipt_series = models.CharField(_("ký hiệu biên lai"), max_length=20, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=20, blank=True)
    receipt_lookup_code = models.CharField(_("mã tra cứu biên lai"), max_length=64, blank=True)
    receipt_issued_at = models.DateTimeField(_("biên lai phát hành lúc"), null=True, blank=True)
    receipt_attempts = models.PositiveSmallIntegerField(_("số lần gửi phát hành biên lai"), default=0)
    receipt_error = models.CharField(_("lỗi phát hành biên lai"), max_length=255, blank=True)
    # A partial refund adjusts the receipt: the original receipt's number stays here.
    receipt_original_number = models.CharField(_("số biên lai bị điều chỉnh"), max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt thanh toán")
        verbose_name_plural = _("lượt thanh toán")
        indexes = [models.Index(fields=["status", "created_at"], name="payment_status_idx")]

    def __str__(self) -> str:
        return self.reference

    @property
    def online(self) -> bool:
        return self.provider != Provider.CASH


class IpnLog(models.Model):
    """One distinct instant payment notification as it arrived, and what we answered last.

    The endpoint needs no login, so junk must not grow this table without limit: the stored
    fields are bounded (`ipn_log_fields`) and the same request again only counts on its row
    (`fingerprint` is unique)."""

    # Bounds on what one request may store: VNPAY sends about fifteen short vnp_* fields.
    MAX_PARAMS = 30
    MAX_VALUE_CHARS = 255
    MAX_QUERY_CHARS = 2000

    class Source(models.TextChoices):
        HTTP = "http", _("Cổng thanh toán gọi đến")
        SIMULATOR = "simulator", _("Cổng giả lập")

    provider = models.CharField(_("cổng thanh toán"), max_length=10, choices=Provider.choices)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.HTTP)
    query_string = models.TextField(_("chuỗi truy vấn"), blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    reference = models.CharField(_("mã giao dịch nhận được"), max_length=64, blank=True, db_index=True)
    remote_ip = models.GenericIPAddressField(_("địa chỉ gửi"), null=True, blank=True)
    received_at = ClockDateTimeField(_("nhận lúc"), default=clock.now)
    fingerprint = models.CharField(_("dấu vân tay yêu cầu"), max_length=64, unique=True)
    times_received = models.PositiveIntegerField(_("số lần nhận"), default=1)
    last_received_at = ClockDateTimeField(_("nhận lần cuối lúc"), default=clock.now)
    outcome_code = models.CharField(_("mã trả lời"), max_length=4, blank=True)
    message = models.CharField(_("nội dung trả lời"), max_length=255, blank=True)
    payment = models.ForeignKey(
        Payment, verbose_name=_("lượt thanh toán"), null=True, blank=True, on_delete=models.PROTECT, related_name="ipns"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("thông báo thanh toán (IPN)")
        verbose_name_plural = _("thông báo thanh toán (IPN)")

    def __str__(self) -> str:
        return f"{self.reference or '?'} → {self.outcome_code or '…'}"


class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi yêu cầu")
        SENDING = "sending", _("Đang gửi yêu cầu")
        DONE = "done", _("Đã hoàn tiền")
        FAILED = "failed", _("Hoàn tiền không thành công")

    payment = models.ForeignKey(
        Payment, verbose_name=_("lượt thanh toán"), on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.PositiveBigIntegerField(_("số tiền hoàn (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("lý do"), blank=True)
    requested_at = ClockDateTimeField(_("yêu cầu lúc"), default=clock.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    done_at = models.DateTimeField(_("hoàn tiền lúc"), null=True, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=4, blank=True)
    response = models.JSONField(_("phản hồi của cổng thanh toán"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("hoàn tiền")
        verbose_name_plural = _("hoàn tiền")
        # A payment is refunded in full, once; a failed attempt is retried on the same row.
        constraints = [models.UniqueConstraint(fields=["payment"], name="one_refund_per_payment")]

    def __str__(self) -> str:
        return f"{self.payment} ({self.get_status_display()})"
