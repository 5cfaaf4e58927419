"""Every write on payments goes through here.

- `payment_start`: a new attempt (a `Payment` row) and the signed URL of the gateway.
- `payment_ipn`: the gateway's instant payment notification. The request is stored
  (`IpnLog`) before anything acts on it; then, in one transaction holding the dossier's and
  the payment's row locks (always in that order), it is checked (signature, order, amount,
  not yet settled) and settled. A replay or a concurrent copy finds the payment settled and
  answers 02, so nothing is applied twice.
- `payments_reconcile`: asks the gateway (querydr) about attempts still pending after 15
  minutes and settles them through the same `_settle` as the IPN.
- `payment_counter_cash`: the one-stop officer takes the fee in cash.
- Refunds: a paid online payment of a dossier that is refused (or a second payment of a
  dossier already paid) gets a `Refund` and a task that asks the gateway to pay it back.
- `payment_guard`: a dossier whose fee is due before reception (online) or before the
  result waits until it is paid (registered with the dossiers' hooks).

The return URL the citizen's browser comes back to never changes anything: only the IPN,
the reconciliation and the officer do.
"""

import hashlib
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.audit.services import audit_record
from cchc.core import clock, jobs
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.core.text import format_vnd
from cchc.dossiers.models import Channel, Dossier
from cchc.dossiers.policies import may_serve_at_counter
from cchc.dossiers.services import dossier_mark_paid
from cchc.dossiers.workflow import OPEN, Action, Status
from cchc.procedures.models import ProcedureVersion

from .checks import merchant_configured, simulator_enabled
from .models import IpnLog, Payment, Provider, Refund
from .providers import (
    PAYMENT_TTL,
    ProviderError,
    QueryResult,
    RefundResult,
    flatten_params,
    new_reference,
    provider_for,
    site_url,
)
from .services_receipts import receipt_request

logger = logging.getLogger(__name__)

P = Payment.Status
# A dossier's fee may be paid while it is waiting for reception or being handled.
PAYABLE = OPEN | {Status.SUBMITTED}
# Reconciliation asks about attempts pending longer than this, and gives up after a week.
RECONCILE_AFTER = timedelta(minutes=15)
RECONCILE_WINDOW = timedelta(days=7)
# After the gateway page has expired (and a margin), an attempt unknown to the gateway is cancelled.
EXPIRY_GRACE = timedelta(minutes=5)


@dataclass(frozen=True)
class IpnAnswer:
    """What the IPN endpoint answers VNPAY: `{"RspCode": code, "Message": message}`."""

    code: str
    message: str

    def as_json(self) -> dict:
        return {"RspCode": self.code, "Message": self.message}


# VNPAY's IPN answers (its documented codes and messages, in English as VNPAY expects them).
CONFIRMED = IpnAnswer("00", "Confirm Success")
ORDER_NOT_FOUND = IpnAnswer("01", "Order not found")
ALREADY_CONFIRMED = IpnAnswer("02", "Order already confirmed")
INVALID_AMOUNT = IpnAnswer("04", "invalid amount")
INVALID_SIGNATURE = IpnAnswer("97", "Invalid signature")
UNKNOWN_ERROR = IpnAnswer("99", "Unknown error")
# A well-signed request that is not for this merchant (another vnp_TmnCode): VNPAY's "bad request" answer.
INVALID_REQUEST = IpnAnswer("99", "Input data required")


# ---------------------------------------------------------------- guards (dossiers' hooks)


def payment_guard(dossier: Dossier, action: str) -> str | None:
    """Why `action` must wait for the fee, or None.

    An online dossier whose procedure takes the fee at submission is received once it is
    paid (at the counter the officer takes the fee there and then); a procedure that takes
    the fee with the result returns it once paid."""
    if action not in (Action.RECEIVE, Action.RETURN_RESULT):
        return None
    if dossier.fee_amount <= 0 or dossier.paid_at is not None:
        return None
    stage = dossier.procedure_version.payment_stage
    amount = format_vnd(dossier.fee_amount)
    if (
        action == Action.RECEIVE
        and stage == ProcedureVersion.PaymentStage.BEFORE_RECEPTION
        and dossier.channel == Channel.ONLINE
    ):
        return _(
            "Hồ sơ chưa nộp phí, lệ phí (%(amount)s). Thủ tục này thu phí khi nộp hồ sơ: hồ sơ được tiếp nhận "
            "sau khi người nộp thanh toán trực tuyến hoặc nộp tiền mặt tại Bộ phận Một cửa."
        ) % {"amount": amount}
    if action == Action.RETURN_RESULT and stage == ProcedureVersion.PaymentStage.BEFORE_RESULT:
        return _(
            "Người nộp chưa nộp phí, lệ phí (%(amount)s). Thủ tục này thu phí khi trả kết quả: "
            "thu phí trước khi trả kết quả."
        ) % {"amount": amount}
    return None


# ---------------------------------------------------------------- starting a payment


def _check_payable(dossier: Dossier) -> None:
    if dossier.fee_amount <= 0:
        raise ApplicationError(_("Hồ sơ này không phải nộp phí, lệ phí."), code="no_fee")
    if dossier.paid_at is not None:
        raise Conflict(_("Hồ sơ đã nộp phí, lệ phí."), code="already_paid")
    if dossier.status not in PAYABLE:
        raise Conflict(
            _("Không thể nộp phí khi hồ sơ đang ở trạng thái “%(status)s”.") % {"status": Status(dossier.status).label},
            code="not_payable",
        )


def _create_payment(*, dossier: Dossier, provider: str, user: User | None, **fields) -> Payment:
    """A new ledger row with a fresh reference (drawn again in the unlikely event of a clash)."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                return Payment.objects.create(
                    dossier=dossier,
                    reference=new_reference(),
                    amount=dossier.fee_amount,
                    provider=provider,
                    created_by=user,
                    **fields,
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


ONLINE_PROVIDERS = (Provider.VNPAY, Provider.PAYGOV)


def online_providers() -> list[str]:
    """The gateways a citizen may choose: each with the merchant's own code, secret and URL, or all of
    them through the development simulators.

    Without them (production with the demo values or none) citizens are told to pay at the
    counter instead: a payment could otherwise be confirmed by anyone who knows the demo secret."""
    if simulator_enabled():
        return list(ONLINE_PROVIDERS)
    available = []
    if settings.VNPAY_PAY_URL and merchant_configured():
        available.append(Provider.VNPAY)
    if settings.PAYGOV_API_URL and provider_for(Provider.PAYGOV).configured():
        available.append(Provider.PAYGOV)
    return available


def online_payment_available() -> bool:
    return bool(online_providers())


def _lock_dossier(dossier_id: int) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier_id)


def payment_start(
    *,
    dossier: Dossier,
    user: User,
    ip: str | None = None,
    base_url: str | None = None,
    provider: str = Provider.VNPAY,
) -> tuple[Payment, str]:
    """A new online payment attempt by the dossier's applicant through the gateway they chose
    (`provider`: vnpay or paygov); returns it and the URL to send them to.

    `base_url` is the site's address as the browser sees it (for the return URL and the
    simulator); by default `CCHC_PUBLIC_URL`."""
    if dossier.applicant_user_id is None or dossier.applicant_user_id != user.pk:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    available = online_providers()
    if not available:
        raise ApplicationError(
            _("Chức năng thanh toán trực tuyến chưa sẵn sàng; vui lòng nộp phí tại Bộ phận Một cửa."),
            code="payments_not_configured",
        )
    if provider not in available:
        raise ApplicationError(
            _("Cổng thanh toán đã chọn không được cung cấp; vui lòng chọn cổng khác."), code="provider_unavailable"
        )
    with transaction.atomic(durable=True):
        dossier = _lock_dossier(dossier.pk)
        _check_payable(dossier)
        payment = _create_payment(dossier=dossier, provider=provider, user=user)
        audit_record(
            action="payment.start",
            actor=user,
            object_type="payment",
            object_id=payment.pk,
            dossier_code=dossier.code or "",
            ip=ip,
            data={"reference": payment.reference, "amount": payment.amount, "provider": payment.provider},
        )
    base = (base_url or site_url()).rstrip("/")
    gateway = provider_for(payment.provider, base_url=base)
    try:
        url = gateway.create_payment_url(payment, return_url=base + reverse("payments:return"), client_ip=ip)
    except ProviderError as exc:
        # The attempt never reached the gateway's page: it is cancelled, and the citizen may try again.
        logger.warning("payment %s could not start at %s: %s", payment.reference, payment.provider, exc)
        Payment.objects.filter(pk=payment.pk, status=P.PENDING).update(status=P.CANCELLED, updated_at=clock.now())
        raise ApplicationError(
            _("Cổng thanh toán tạm thời không phản hồi; vui lòng thử lại sau hoặc chọn cổng khác."),
            code="gateway_unreachable",
        ) from exc
    return payment, url


def payment_counter_cash(*, dossier: Dossier, officer: User, ip: str | None = None) -> Payment:
    """The one-stop officer takes the dossier's fee in cash at the counter."""
    if not may_serve_at_counter(officer, dossier):
        raise PermissionDenied(_("Chỉ cán bộ Bộ phận Một cửa của cơ quan thu phí tại quầy."), code="not_counter")
    with transaction.atomic():
        dossier = _lock_dossier(dossier.pk)
        _check_payable(dossier)
        now = clock.now()
        payment = _create_payment(dossier=dossier, provider=Provider.CASH, user=officer, status=P.PAID, paid_at=now)
        dossier_mark_paid(dossier=dossier, online=False, at=now)
        receipt_request(payment)
        audit_record(
            action="payment.cash",
            actor=officer,
            object_type="payment",
            object_id=payment.pk,
            dossier_code=dossier.code or "",
            ip=ip,
            data={"reference": payment.reference, "amount": payment.amount},
        )
    return payment


# ---------------------------------------------------------------- settling (IPN and reconciliation)


def _settle(
    payment: Payment,
    *,
    outcome: str,
    response_code: str = "",
    transaction_no: str = "",
    bank_code: str = "",
    pay_date: datetime | None = None,
    raw: dict | None = None,
    via: str,
) -> None:
    """Record the outcome of a pending attempt. The caller holds the locks (dossier, then
    payment) and has checked that the payment is pending and the amount is right."""
    now = clock.now()
    dossier = payment.dossier
    payment.status = outcome
    payment.response_code = (response_code or "")[:4]
    payment.transaction_no = (transaction_no or "")[:64]
    payment.bank_code = (bank_code or "")[:20]
    payment.raw = raw or {}
    if outcome == P.PAID:
        payment.paid_at = now  # when CCHC confirmed it; the gateway's vnp_PayDate is only kept beside it
        payment.gateway_paid_at = pay_date
    payment.save(
        update_fields=[
            "status",
            "response_code",
            "transaction_no",
            "bank_code",
            "raw",
            "paid_at",
            "gateway_paid_at",
            "updated_at",
        ]
    )
    audit_record(
        action=f"payment.{outcome}",
        object_type="payment",
        object_id=payment.pk,
        dossier_code=dossier.code or "",
        data={"reference": payment.reference, "amount": payment.amount, "via": via, "response_code": response_code},
    )
    if outcome != P.PAID:
        return
    if dossier.paid_at is not None:
        # Paid twice (two tabs, or cash at the counter meanwhile): the second payment goes back.
        _refund_open(payment, reason=_("Hồ sơ đã được nộp phí trước đó (nộp trùng)."), actor=None)
    elif dossier.status == Status.REFUSED:
        _refund_open(payment, reason=_("Hồ sơ đã bị từ chối tiếp nhận."), actor=None)
    else:
        dossier_mark_paid(dossier=dossier, online=True, at=payment.paid_at)
        receipt_request(payment)


def _lock_payment(payment_id: int) -> Payment:
    """Lock the payment's dossier, then the payment: the order every writer here follows."""
    dossier_id = Payment.objects.filter(pk=payment_id).values_list("dossier_id", flat=True).get()
    dossier = _lock_dossier(dossier_id)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    payment.dossier = dossier
    return payment


def payment_ipn(
    *,
    provider_name: str,
    params: Mapping,
    query_string: str = "",
    remote_ip: str | None = None,
    source: str = IpnLog.Source.HTTP,
) -> IpnAnswer:
    """Handle one instant payment notification; never raises. Stored first, then acted on."""
    flat, repeated = flatten_params(params)
    gateway = provider_for(provider_name)
    log = _ipn_log(gateway, flat, query_string=query_string, remote_ip=remote_ip, source=source)
    payment_id = None
    try:
        answer, payment_id = _handle_ipn(gateway, flat, repeated=repeated, log=log)
    except Exception:  # the gateway gets a clean answer; the error is in the log
        logger.exception("IPN %s could not be handled", log.pk)
        answer = UNKNOWN_ERROR
    IpnLog.objects.filter(pk=log.pk).update(outcome_code=answer.code, message=answer.message, payment_id=payment_id)
    return answer


def ipn_log_fields(
    flat: Mapping[str, str], query_string: str, *, keep=lambda key: key.startswith("vnp_")
) -> tuple[dict[str, str], str, str]:
    """What an IPN stores, bounded: (params, query string, fingerprint of the whole request).

    Only the protocol's own parameters (`keep`: vnp_* for VNPAY), at most `IpnLog.MAX_PARAMS` of
    them, each value cut to `MAX_VALUE_CHARS`; the fingerprint covers everything received, so two
    requests that differ only beyond the bounds are still two rows."""
    kept = {key[:64]: str(value)[: IpnLog.MAX_VALUE_CHARS] for key, value in sorted(flat.items()) if keep(key)}
    kept = dict(list(kept.items())[: IpnLog.MAX_PARAMS])
    digest = hashlib.sha256()
    for key, value in sorted(flat.items()):
        digest.update(key.encode("utf-8", "replace") + b"\0" + str(value).encode("utf-8", "replace") + b"\0")
    return kept, query_string[: IpnLog.MAX_QUERY_CHARS], digest.hexdigest()


def _ipn_log(gateway, flat: dict, *, query_string: str, remote_ip: str | None, source: str) -> IpnLog:
    """The request's log row: a new one, or the row of the same request received before (counted)."""
    params, query_string, fingerprint = ipn_log_fields(flat, query_string, keep=gateway.logs_param)
    now = clock.now()
    try:
        with transaction.atomic():
            return IpnLog.objects.create(
                received_at=now,
                last_received_at=now,
                provider=gateway.name,
                source=source,
                query_string=query_string,
                params=params,
                reference=str(flat.get(gateway.reference_param, ""))[:64],
                remote_ip=remote_ip,
                fingerprint=fingerprint,
            )
    except IntegrityError:
        IpnLog.objects.filter(fingerprint=fingerprint).update(
            times_received=F("times_received") + 1, last_received_at=now, remote_ip=remote_ip
        )
        return IpnLog.objects.get(fingerprint=fingerprint)


def _refuse_ipn(log: IpnLog, answer: IpnAnswer, reason: str, *, payment: Payment | None = None) -> None:
    logger.warning("IPN %s refused (%s): %s", log.pk, answer.code, reason)
    audit_record(
        action="payment.ipn_refused",
        object_type="ipn",
        object_id=log.pk,
        dossier_code=(payment.dossier.code or "") if payment else "",
        reason=reason,
        ip=log.remote_ip,
        data={"code": answer.code, "reference": log.reference, "source": log.source},
    )


def _handle_ipn(provider, flat: dict, *, repeated: list[str], log: IpnLog) -> tuple[IpnAnswer, int | None]:
    if not provider.configured() and not simulator_enabled():
        # Production without the merchant's own code and secret: nothing is signed by anyone we trust.
        _refuse_ipn(log, INVALID_SIGNATURE, "no merchant secret configured")
        return INVALID_SIGNATURE, None
    provider_name = provider.name
    callback = provider.verify_callback(flat)
    if repeated or not callback.valid_signature:
        reason = "repeated parameters: " + ", ".join(repeated) if repeated else "invalid signature"
        _refuse_ipn(log, INVALID_SIGNATURE, reason)
        return INVALID_SIGNATURE, None
    if callback.tmn_code != provider.tmn_code:
        _refuse_ipn(log, INVALID_REQUEST, f"merchant code {callback.tmn_code[:20]!r} is not ours")
        return INVALID_REQUEST, None
    found = Payment.objects.filter(reference=callback.reference, provider=provider_name).values_list("pk", flat=True)
    payment_id = found.first()
    if payment_id is None:
        _refuse_ipn(log, ORDER_NOT_FOUND, f"unknown order {callback.reference!r}")
        return ORDER_NOT_FOUND, None
    with transaction.atomic():
        payment = _lock_payment(payment_id)
        if callback.amount != payment.amount:
            _refuse_ipn(log, INVALID_AMOUNT, f"amount {callback.amount!r} for {payment.amount}", payment=payment)
            return INVALID_AMOUNT, payment.pk
        if payment.status != P.PENDING:
            return ALREADY_CONFIRMED, payment.pk
        if callback.succeeded:
            outcome = P.PAID
        elif callback.cancelled:
            outcome = P.CANCELLED
        else:
            outcome = P.FAILED
        _settle(
            payment,
            outcome=outcome,
            response_code=callback.response_code,
            transaction_no=callback.transaction_no,
            bank_code=callback.bank_code,
            pay_date=callback.pay_date,
            raw=callback.raw,
            via="ipn",
        )
    return CONFIRMED, payment.pk


def payments_reconcile(*, now: datetime | None = None, min_age: timedelta = RECONCILE_AFTER, limit: int = 200) -> dict:
    """Ask the gateway about online attempts still pending after `min_age`; settle what it knows.

    Idempotent: an attempt settled meanwhile (by its IPN) is left alone. Returns counts per outcome."""
    now = now or clock.now()
    counts: Counter = Counter()
    pending = (
        Payment.objects.filter(
            status=P.PENDING,
            provider__in=ONLINE_PROVIDERS,
            created_at__lte=now - min_age,
            created_at__gte=now - RECONCILE_WINDOW,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for payment_id in list(pending):
        payment = Payment.objects.select_related("dossier").get(pk=payment_id)
        try:
            result = provider_for(payment.provider).query(payment)
        except ProviderError as exc:
            logger.warning("querydr for %s failed: %s", payment.reference, exc)
            counts["unreachable"] += 1
            continue
        counts[_apply_query(payment_id, result, now=now)] += 1
    return dict(counts)


def _apply_query(payment_id: int, result: QueryResult, *, now: datetime) -> str:
    with transaction.atomic():
        payment = _lock_payment(payment_id)
        if payment.status != P.PENDING:
            return "already_settled"
        expired = now > payment.created_at + PAYMENT_TTL + EXPIRY_GRACE
        common = {
            "transaction_no": result.transaction_no,
            "bank_code": result.bank_code,
            "raw": result.raw,
            "via": "querydr",
        }
        if result.ok:
            if result.amount != payment.amount:
                logger.warning(
                    "querydr for %s: amount %s, expected %s", payment.reference, result.amount, payment.amount
                )
                return "amount_mismatch"
            if result.transaction_status == "00":
                _settle(payment, outcome=P.PAID, response_code="00", pay_date=result.pay_date, **common)
                return "paid"
            if result.transaction_status == "01":  # not completed yet at the gateway
                if not expired:
                    return "pending"
                _settle(payment, outcome=P.CANCELLED, response_code="11", **common)
                return "cancelled"
            _settle(payment, outcome=P.FAILED, response_code=result.transaction_status, **common)
            return "failed"
        if result.not_found and expired:
            _settle(payment, outcome=P.CANCELLED, response_code="91", raw=result.raw, via="querydr")
            return "cancelled"
    return "unknown"


# ---------------------------------------------------------------- refunds


def on_dossier_changed(sender, *, dossier: Dossier, event, **kwargs) -> None:
    """A dossier refused after its fee was paid online: refund every paid online payment."""
    if event.to_status != Status.REFUSED or event.from_status == Status.REFUSED:
        return
    payments = Payment.objects.select_for_update().filter(dossier_id=dossier.pk, status=P.PAID)
    for payment in payments.exclude(provider=Provider.CASH):
        payment.dossier = dossier
        _refund_open(
            payment,
            reason=_("Hồ sơ bị từ chối tiếp nhận: %(reason)s") % {"reason": event.reason or dossier.decision_reason},
            actor=event.actor,
        )


def _refund_open(payment: Payment, *, reason: str, actor: User | None) -> Refund:
    """Open the refund of a paid payment (inside the caller's transaction) and queue the task."""
    refund, created = Refund.objects.get_or_create(
        payment=payment,
        defaults={
            "amount": payment.amount,
            "reason": reason[:2000],
            "requested_by": actor,
            "requested_at": clock.now(),
        },
    )
    if not created:
        return refund
    payment.status = P.REFUND_PENDING
    payment.save(update_fields=["status", "updated_at"])
    audit_record(
        action="payment.refund_requested",
        actor=actor,
        object_type="payment",
        object_id=payment.pk,
        dossier_code=payment.dossier.code or "",
        reason=reason,
        data={"reference": payment.reference, "amount": refund.amount},
    )
    jobs.named("payments.refund_payment").enqueue(refund.pk)
    return refund


def refund_execute(*, refund_id: int) -> str:
    """Ask the gateway to pay a refund back, at most once at a time; then the receipt follows.

    The refund is claimed (pending → sending) by a conditional update before the gateway is
    called, so a job run twice, or by two workers, sends one request. Returns the new status."""
    claimed = Refund.objects.filter(pk=refund_id, status=Refund.Status.PENDING).update(
        status=Refund.Status.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    refund = Refund.objects.select_related("payment__dossier", "requested_by").get(pk=refund_id)
    payment = refund.payment
    actor = refund.requested_by.username if refund.requested_by else "system"
    try:
        result = provider_for(payment.provider).refund(payment, refund.amount, actor=actor)
    except ProviderError as exc:
        logger.warning("refund %s: %s", refund.pk, exc)
        result = RefundResult(ok=False, message=str(exc)[:500])
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        payment = Payment.objects.select_for_update().select_related("dossier").get(pk=refund.payment_id)
        refund.response_code = result.response_code[:4]
        refund.response = result.raw or {"message": result.message}
        if result.ok:
            refund.status = Refund.Status.DONE
            refund.done_at = clock.now()
            payment.status = P.REFUNDED
            payment.save(update_fields=["status", "updated_at"])
            if payment.receipt_status:  # the receipt is cancelled (or adjusted) once the money went back
                amount = refund.amount
                transaction.on_commit(lambda: jobs.named("payments.receipt_after_refund").enqueue(payment.pk, amount))
        else:
            refund.status = Refund.Status.FAILED
        refund.save(update_fields=["status", "done_at", "response_code", "response"])
        audit_record(
            action="payment.refunded" if result.ok else "payment.refund_failed",
            object_type="payment",
            object_id=payment.pk,
            dossier_code=payment.dossier.code or "",
            data={"reference": payment.reference, "amount": refund.amount, "response_code": result.response_code},
        )
    return refund.status


def refund_retry(*, refund: Refund, actor: User) -> Refund:
    """Send a failed refund again (from the admin)."""
    with transaction.atomic(durable=True):
        refund = Refund.objects.select_for_update().select_related("payment__dossier").get(pk=refund.pk)
        if refund.status != Refund.Status.FAILED:
            raise Conflict(_("Chỉ gửi lại được yêu cầu hoàn tiền không thành công."), code="refund_not_failed")
        refund.status = Refund.Status.PENDING
        refund.save(update_fields=["status"])
        audit_record(
            action="payment.refund_retry",
            actor=actor,
            object_type="payment",
            object_id=refund.payment_id,
            dossier_code=refund.payment.dossier.code or "",
        )
        jobs.named("payments.refund_payment").enqueue(refund.pk)
    return refund
