"""Every write on electronic receipts (biên lai điện tử) goes through here.

- `receipt_request`: inside the transaction that records a fee as paid (online or in cash), mark
  the payment's receipt as pending and queue its issue after commit.
- `receipt_issue`: ask the receipt provider for the receipt, at most once at a time (the row is
  claimed by a conditional update before the call); the provider is idempotent on our key (the
  payment's reference), so a retry after a lost answer gets the same number.
- `receipt_after_refund`: once the money went back, cancel the receipt (a refund in full) or
  adjust it (a partial refund: a new receipt for what was kept, pointing to the original).
- `receipts_retry`: the periodic job sends pending and failed issues again.

Provider calls happen outside any transaction; the results are written under the payment's lock.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from cchc.audit.services import audit_record
from cchc.core import clock, jobs

from .ereceipt import ReceiptData, ReceiptLine, receipt_provider
from .models import Payment, Provider, ReceiptStatus
from .providers import ProviderError

logger = logging.getLogger(__name__)

R = ReceiptStatus
MAX_ATTEMPTS = 5
ADJUSTMENT_SUFFIX = "-DC"  # the key of an adjusting receipt (điều chỉnh)


def receipt_key(payment: Payment) -> str:
    """Our key of the payment's current receipt at the provider (VNPT fkey, Viettel transactionUuid)."""
    return payment.reference + (ADJUSTMENT_SUFFIX if payment.receipt_status == R.ADJUSTED else "")


def receipt_data(payment: Payment, *, amount: int | None = None) -> ReceiptData:
    """What the receipt says: the fee items as charged (or one line of `amount`, for an adjustment)."""
    from .receipts import fee_items

    dossier = payment.dossier
    if amount is None:
        lines = [
            ReceiptLine(name=f"{item['kind']}: {item['name']}", amount=item["amount"]) for item in fee_items(payment)
        ]
    else:
        lines = [
            ReceiptLine(name=_("Phí, lệ phí hồ sơ %(code)s (sau hoàn trả)") % {"code": dossier.code}, amount=amount)
        ]
    return ReceiptData(
        key=payment.reference,
        payer_name=dossier.applicant_name,
        payer_identifier=dossier.applicant_identifier,
        payer_address=dossier.applicant_address,
        lines=lines,
        paid_at=payment.paid_at or payment.created_at,
        method="TM" if payment.provider == Provider.CASH else "CK",
    )


def receipt_request(payment: Payment) -> None:
    """Inside the caller's transaction, once `payment` is the dossier's paid fee: queue its receipt."""
    if not settings.CCHC_RECEIPT_PROVIDER or payment.receipt_status:
        return
    payment.receipt_status = R.PENDING
    payment.receipt_provider = settings.CCHC_RECEIPT_PROVIDER
    payment.save(update_fields=["receipt_status", "receipt_provider", "updated_at"])
    transaction.on_commit(lambda: jobs.named("payments.issue_receipt").enqueue(payment.pk))


def receipt_issue(*, payment_id: int) -> str:
    """Issue the receipt of a paid payment; returns its receipt status afterwards."""
    claimed = Payment.objects.filter(
        pk=payment_id, receipt_status__in=(R.PENDING, R.FAILED), receipt_attempts__lt=MAX_ATTEMPTS
    ).update(receipt_status=R.ISSUING, receipt_attempts=F("receipt_attempts") + 1)
    if not claimed:
        return Payment.objects.filter(pk=payment_id).values_list("receipt_status", flat=True).first() or ""
    payment = Payment.objects.select_related("dossier__procedure_version", "dossier__agency").get(pk=payment_id)
    provider = receipt_provider(payment.receipt_provider)
    try:
        if provider is None:
            raise ProviderError(f"no receipt provider {payment.receipt_provider!r}")
        issued = provider.issue(receipt_data(payment))
    except ProviderError as exc:
        logger.warning("receipt of %s: %s", payment.reference, exc)
        with transaction.atomic():
            Payment.objects.filter(pk=payment_id, receipt_status=R.ISSUING).update(
                receipt_status=R.FAILED, receipt_error=str(exc)[:255]
            )
            _audit(payment, "payment.receipt_failed", {"error": str(exc)[:255]})
        return R.FAILED
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("dossier").get(pk=payment_id)
        payment.receipt_status = R.ISSUED
        payment.receipt_pattern = issued.pattern[:20]
        payment.receipt_series = issued.series[:20]
        payment.receipt_number = issued.number[:20]
        payment.receipt_lookup_code = issued.lookup_code[:64]
        payment.receipt_issued_at = clock.now()
        payment.receipt_error = ""
        payment.save(
            update_fields=[
                "receipt_status",
                "receipt_pattern",
                "receipt_series",
                "receipt_number",
                "receipt_lookup_code",
                "receipt_issued_at",
                "receipt_error",
                "updated_at",
            ]
        )
        _audit(payment, "payment.receipt_issued", _numbers(payment))
    return R.ISSUED


def receipt_after_refund(*, payment_id: int, amount: int) -> str:
    """The money of `payment` went back (`amount` of it): cancel or adjust its issued receipt.
    Returns the receipt status afterwards; a refused call leaves the receipt issued with its error."""
    claimed = Payment.objects.filter(pk=payment_id, receipt_status=R.ISSUED).update(receipt_status=R.CANCELLING)
    if not claimed:
        return Payment.objects.filter(pk=payment_id).values_list("receipt_status", flat=True).first() or ""
    payment = Payment.objects.select_related("dossier__procedure_version", "dossier__agency").get(pk=payment_id)
    provider = receipt_provider(payment.receipt_provider)
    kept = max(payment.amount - amount, 0)
    try:
        if provider is None:
            raise ProviderError(f"no receipt provider {payment.receipt_provider!r}")
        if kept == 0:
            provider.cancel(key=payment.reference, number=payment.receipt_number, issued_at=payment.receipt_issued_at)
            adjusted = None
        else:
            data = receipt_data(payment, amount=kept)
            data = ReceiptData(**{**data.__dict__, "key": payment.reference + ADJUSTMENT_SUFFIX})
            adjusted = provider.adjust(data, original_key=payment.reference, original_number=payment.receipt_number)
    except ProviderError as exc:
        logger.warning("receipt of %s after refund: %s", payment.reference, exc)
        with transaction.atomic():
            Payment.objects.filter(pk=payment_id, receipt_status=R.CANCELLING).update(
                receipt_status=R.ISSUED, receipt_error=str(exc)[:255]
            )
            _audit(payment, "payment.receipt_cancel_failed", {"error": str(exc)[:255]})
        return R.ISSUED
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("dossier").get(pk=payment_id)
        original = _numbers(payment)
        fields = ["receipt_status", "receipt_error", "updated_at"]
        payment.receipt_error = ""
        if adjusted is None:
            payment.receipt_status = R.CANCELLED
            _audit(payment, "payment.receipt_cancelled", original)
        else:
            payment.receipt_status = R.ADJUSTED
            payment.receipt_original_number = payment.receipt_number
            payment.receipt_number = adjusted.number[:20]
            payment.receipt_lookup_code = adjusted.lookup_code[:64]
            fields += ["receipt_original_number", "receipt_number", "receipt_lookup_code"]
            _audit(payment, "payment.receipt_adjusted", {**_numbers(payment), "original": original, "kept": kept})
        payment.save(update_fields=fields)
    return payment.receipt_status


def receipt_pdf_from_provider(payment: Payment) -> bytes | None:
    """The provider's PDF of the payment's receipt, or None when it has none (not issued electronically)."""
    if payment.receipt_status not in (R.ISSUED, R.CANCELLED, R.ADJUSTED):
        return None
    provider = receipt_provider(payment.receipt_provider)
    if provider is None:
        return None
    return provider.pdf(key=receipt_key(payment), number=payment.receipt_number)


def receipts_retry(*, limit: int = 100) -> int:
    """Queue again the receipts still pending or failed (the periodic job); returns how many."""
    stale = clock.now() - timedelta(minutes=5)
    ids = list(
        Payment.objects.filter(
            Q(receipt_status=R.FAILED) | Q(receipt_status=R.PENDING, updated_at__lt=stale),
            receipt_attempts__lt=MAX_ATTEMPTS,
        ).values_list("pk", flat=True)[:limit]
    )
    for payment_id in ids:
        jobs.named("payments.issue_receipt").enqueue(payment_id)
    return len(ids)


def _numbers(payment: Payment) -> dict:
    return {
        "reference": payment.reference,
        "pattern": payment.receipt_pattern,
        "series": payment.receipt_series,
        "number": payment.receipt_number,
        "lookup_code": payment.receipt_lookup_code,
        "provider": payment.receipt_provider,
    }


def _audit(payment: Payment, action: str, data: dict) -> None:
    audit_record(
        action=action,
        object_type="payment",
        object_id=payment.pk,
        dossier_code=payment.dossier.code or "",
        data=data,
    )
