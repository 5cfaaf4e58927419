"""The payment box shown on a dossier's page, for the applicant and for the staff.

The dossiers' templates include it with one tag (`{% load payments %}{% payment_panel dossier %}`
or `{% payment_office_panel dossier %}`), so they need not know about payments."""

from cchc.dossiers.policies import may_serve_at_counter

from .models import Payment, Provider
from .selectors import RECEIPTED, payments_of
from .services import PAYABLE, online_providers


def _common(dossier) -> dict:
    payments = list(payments_of(dossier=dossier)[:10])
    receipted = [p for p in payments if p.status in RECEIPTED]
    return {
        "dossier": dossier,
        "payments": payments,
        "paid": dossier.paid_at is not None,
        "has_receipt": bool(receipted),
        "receipted": receipted[-1] if receipted else None,  # the first paid (payments are newest first)
        "stage": dossier.procedure_version.get_payment_stage_display(),
        "fee_due": dossier.fee_amount > 0,
        "payable": dossier.fee_amount > 0 and dossier.paid_at is None and dossier.status in PAYABLE,
        "refunds": [p for p in payments if p.status in (Payment.Status.REFUND_PENDING, Payment.Status.REFUNDED)],
    }


def citizen_panel_context(dossier, user) -> dict:
    context = _common(dossier)
    is_applicant = user.is_authenticated and dossier.applicant_user_id == user.pk
    providers = online_providers()
    online = bool(providers)
    # The citizen chooses the gateway: VNPAY, or PayGov (the national platform on the public service portal).
    labels = {Provider.VNPAY: "VNPAY", Provider.PAYGOV: "PayGov"}
    context["providers"] = [(name, labels[name]) for name in providers]
    context["can_pay"] = context["payable"] and is_applicant and online
    # Online payment switched off (no merchant configured): the applicant is told where to pay instead.
    context["pay_at_counter"] = context["payable"] and is_applicant and not online
    context["pending"] = any(p.status == Payment.Status.PENDING for p in context["payments"])
    return context


def office_panel_context(dossier, user) -> dict:
    context = _common(dossier)
    context["can_collect"] = context["payable"] and may_serve_at_counter(user, dossier)
    return context
