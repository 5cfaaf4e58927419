"""Reads on payments. Access to a dossier is decided by `cchc.dossiers.selectors`; these
functions are called with a dossier the caller may already see."""

from django.db.models import QuerySet

from cchc.dossiers.models import Dossier

from .models import Payment

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
