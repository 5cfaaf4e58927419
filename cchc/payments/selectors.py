"""Reads on payments. Access to a dossier is decided by `cchc.dossiers.selectors`; these
functions are called with a dossier the caller may already see."""

from django.db.models import QuerySet

from cchc.core import clock
from cchc.dossiers.hooks import dossier_payment_state
from cchc.dossiers.models import Dossier

from .models import Payment
from .providers import PAYMENT_TTL

# Payments that took the citizen's money: they have a receipt (even if refunded later).
RECEIPTED = (Payment.Status.PAID, Payment.Status.REFUND_PENDING, Payment.Status.REFUNDED)


def payments_of(*, dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).order_by("-created_at", "-id")


def payment_receipted(*, dossier: Dossier, reference: str = "") -> Payment | None:
    """The payment the receipt is for: the given one, else the first that was paid."""
    qs = Payment.objects.filter(dossier=dossier, status__in=RECEIPTED).select_related("created_by")
    if reference:
        qs = qs.filter(reference=reference)
    return qs.order_by("paid_at", "id").first()


def payment_by_reference(*, reference: str) -> Payment | None:
    """For the return page, which only shows what the ledger says (no personal data)."""
    if not reference:
        return None
    return Payment.objects.filter(reference=reference).select_related("dossier").first()


def payment_attempts(*, dossier: Dossier) -> QuerySet[Payment]:
    """Every attempt to pay the dossier's fees, oldest first, with its refund (for the API)."""
    return Payment.objects.filter(dossier=dossier).prefetch_related("refunds").order_by("created_at", "id")


def payment_state(dossier: Dossier) -> dict:
    """Where the dossier's fee stands (`cchc.dossiers.hooks.payment_state`), from its attempts: paid
    while a payment holds the money, "refund_pending"/"refunded" once the money is being or was
    given back, "pending" while an online attempt is open at the gateway. One query, none when the
    dossier's payments are prefetched."""
    state = dossier_payment_state(dossier)
    if "payments" in getattr(dossier, "_prefetched_objects_cache", {}):  # known (a dossier just submitted: none)
        attempts = [(payment.status, payment.created_at) for payment in dossier.payments.all()]
    else:
        attempts = Payment.objects.filter(dossier=dossier).values_list("status", "created_at")
    statuses = {
        status
        for status, created_at in attempts
        if status != Payment.Status.PENDING or created_at >= clock.now() - PAYMENT_TTL
    }
    if Payment.Status.PAID in statuses:
        return {**state, "status": "paid"}
    for status in (Payment.Status.REFUND_PENDING, Payment.Status.REFUNDED):
        if status in statuses:
            return {**state, "status": str(status)}
    if state["status"] == "unpaid" and Payment.Status.PENDING in statuses:
        return {**state, "status": "pending"}
    return state
