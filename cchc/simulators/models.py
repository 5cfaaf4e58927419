"""What the simulated providers remember, in the simulator server's own SQLite store (never CCHC's
database). The tables are made at start-up (`migrate --run-syncdb`); the store may be thrown away."""

from django.db import models
from django.utils import timezone


class Transaction(models.Model):
    """A payment gateway's ledger (what "VNPAY" or "PayGov" knows), for queries and refunds."""

    gateway = models.CharField(max_length=10, default="vnpay")
    txn_ref = models.CharField(max_length=64, unique=True)
    amount = models.PositiveBigIntegerField()  # as the gateway counts it: VNPAY VND × 100, PayGov VND
    order_info = models.CharField(max_length=255, blank=True)
    create_date = models.CharField(max_length=14)
    response_code = models.CharField(max_length=4, blank=True)
    transaction_status = models.CharField(max_length=4, default="01")
    transaction_no = models.CharField(max_length=20, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    pay_date = models.CharField(max_length=14, blank=True)
    refunded_amount = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.txn_ref


class Receipt(models.Model):
    """An e-receipt provider's register (what "VNPT" or "Viettel" issued): numbers run in sequence per
    pattern and series."""

    provider = models.CharField(max_length=10)
    key = models.CharField(max_length=64)
    pattern = models.CharField(max_length=20)
    series = models.CharField(max_length=20)
    number = models.PositiveIntegerField()
    amount = models.PositiveBigIntegerField()
    payer = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, default="issued")  # issued | cancelled | adjusted
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "key"], name="simreceipt_key"),
            models.UniqueConstraint(fields=["provider", "pattern", "series", "number"], name="simreceipt_number"),
        ]

    def __str__(self) -> str:
        return f"{self.series}{self.number:07d}"


class Message(models.Model):
    """What "the telco" or "Zalo" received (the SMS and ZNS simulators' outbox)."""

    channel = models.CharField(max_length=8)
    message_id = models.CharField(max_length=64, unique=True)
    phone = models.CharField(max_length=20)
    template_id = models.CharField(max_length=64, blank=True)
    content = models.TextField(blank=True)
    data = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.message_id


class Callback(models.Model):
    """A request a provider sent (or would have sent) to the merchant: VNPAY's IPN, PayGov's result,
    an SMS or ZNS delivery report."""

    class Status(models.TextChoices):
        DELIVERED = "delivered"  # the merchant answered (any HTTP status)
        HELD = "held"  # delivery is off (the test suite delivers it itself)
        LOST = "lost"  # the tester ticked "lose the notification"
        FAILED = "failed"  # the merchant could not be reached

    service = models.CharField(max_length=20)
    reference = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=6)
    url = models.TextField()
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    answer_status = models.PositiveSmallIntegerField(null=True)
    answer = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.service} {self.reference} ({self.status})"

    def as_dict(self) -> dict:
        return {
            "id": self.pk,
            "service": self.service,
            "reference": self.reference,
            "method": self.method,
            "url": self.url,
            "content_type": self.content_type,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "answer_status": self.answer_status,
            "answer": self.answer,
        }


class Record(models.Model):
    """What a simulated national system holds, by service and kind: the dossiers and local offerings the
    portal (DVCQG) was told, the dossiers lodged on it; the orders VNPost carries."""

    service = models.CharField(max_length=20)
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "kind", "key"], name="simrecord_key")]

    def __str__(self) -> str:
        return f"{self.service}/{self.kind}/{self.key}"

    def as_dict(self) -> dict:
        return {"service": self.service, "kind": self.kind, "key": self.key, "data": self.data}
