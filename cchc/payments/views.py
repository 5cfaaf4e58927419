"""Payment pages: starting an online payment, the gateway's return page, the paid receipt and
the officer's cash collection. (The gateways' simulators are the simulator server's: cchc.simulators.)

Writes go through `services`; an `ApplicationError` becomes a message in `_apply`. The return
page only shows: it checks the signature and reads the ledger, and never changes anything
(the IPN does). A dossier the user may not see is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.policies import is_counter_officer
from cchc.audit.services import client_ip
from cchc.core.errors import ApplicationError
from cchc.core.text import format_vnd
from cchc.dossiers.selectors import dossier_get

from . import paygov
from .models import Payment, Provider
from .panels import office_panel_context
from .providers import RESPONSE_MESSAGES, ProviderError, provider_for
from .receipts import receipt_pdf
from .selectors import RECEIPTED, payment_by_reference, payment_receipted
from .services import flatten_params, payment_counter_cash, payment_start
from .services_receipts import receipt_pdf_from_provider


def _base_url(request) -> str:
    """The site's address as this browser reaches it (for the return URL and the simulator)."""
    return request.build_absolute_uri("/").rstrip("/")


def _own_dossier(request, code: str):
    dossier = dossier_get(user=request.user, code=code)
    if dossier is None or dossier.applicant_user_id != request.user.pk:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


@login_required
@require_POST
def start(request, code: str):
    """The applicant pays their dossier's fee online: a new attempt, then off to the gateway."""
    dossier = _own_dossier(request, code)
    provider = request.POST.get("provider") or Provider.VNPAY
    if provider not in (Provider.VNPAY, Provider.PAYGOV):
        messages.error(request, _("Vui lòng chọn cổng thanh toán."))
        return redirect("dossiers:my_detail", code=code)
    try:
        _payment, url = payment_start(
            dossier=dossier, user=request.user, ip=client_ip(request), base_url=_base_url(request), provider=provider
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:my_detail", code=code)
    return redirect(url)


@require_GET
@never_cache
def vnpay_return(request):
    """Where VNPAY sends the browser back. Shows the result; changes nothing."""
    flat, repeated = flatten_params(request.GET)
    callback = provider_for(Provider.VNPAY).verify_callback(flat)
    if repeated or not callback.valid_signature:
        return render(request, "payments/return.html", {"invalid": True}, status=400)
    payment = payment_by_reference(reference=callback.reference)
    if payment is None or callback.amount != payment.amount:
        return render(request, "payments/return.html", {"invalid": True, "unknown": True}, status=400)
    dossier = payment.dossier
    if payment.status in RECEIPTED:
        state = "paid"
    elif callback.succeeded and payment.status == Payment.Status.PENDING:
        state = "confirming"  # the gateway said yes; its notification has not arrived yet
    else:
        state = "failed"
    is_applicant = request.user.is_authenticated and dossier.applicant_user_id == request.user.pk
    return render(
        request,
        "payments/return.html",
        {
            "payment": payment,
            "dossier": dossier,
            "state": state,
            "gateway_message": RESPONSE_MESSAGES.get(callback.response_code, _("Giao dịch không thành công.")),
            "transaction_no": callback.transaction_no,
            "is_applicant": is_applicant,
            "can_retry": is_applicant and state == "failed" and dossier.paid_at is None and dossier.fee_amount > 0,
        },
    )


@require_GET
@never_cache
def paygov_return(request):
    """Where PayGov sends the browser back (the address registered with the platform). Shows what
    the ledger says about the transaction; changes nothing (the platform's signed result does)."""
    payment = payment_by_reference(reference=(request.GET.get("MaThamChieu") or "").strip()[:34])
    if payment is None or payment.provider != Provider.PAYGOV:
        return render(request, "payments/return.html", {"invalid": True, "unknown": True}, status=400)
    dossier = payment.dossier
    if payment.status in RECEIPTED:
        state = "paid"
    elif payment.status == Payment.Status.PENDING:
        state = "confirming"
    else:
        state = "failed"
    is_applicant = request.user.is_authenticated and dossier.applicant_user_id == request.user.pk
    return render(
        request,
        "payments/return.html",
        {
            "payment": payment,
            "dossier": dossier,
            "state": state,
            "gateway_message": paygov.MESSAGES.get(payment.response_code, _("Giao dịch không thành công.")),
            "transaction_no": payment.transaction_no,
            "is_applicant": is_applicant,
            "can_retry": is_applicant and state == "failed" and dossier.paid_at is None and dossier.fee_amount > 0,
            "retry_provider": Provider.PAYGOV,
        },
    )


@login_required
@require_GET
def receipt(request, code: str):
    """The paid receipt as PDF: the applicant of the dossier, or staff who may see it."""
    dossier = dossier_get(user=request.user, code=code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    payment = payment_receipted(dossier=dossier, reference=(request.GET.get("ma") or "").strip()[:34])
    if payment is None:
        raise Http404(_("Hồ sơ chưa có biên lai thu phí, lệ phí."))
    payment.dossier = dossier
    try:
        # The electronic receipt as its provider renders it; without one, CCHC's own acknowledgement.
        content = receipt_pdf_from_provider(payment) or receipt_pdf(payment)
    except ProviderError:
        messages.error(request, _("Chưa tải được biên lai điện tử từ đơn vị cung cấp; vui lòng thử lại sau ít phút."))
        return redirect(
            "dossiers:my_detail" if dossier.applicant_user_id == request.user.pk else "dossiers:office_detail",
            code=code,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def counter_cash(request, code: str):
    """The one-stop officer takes the fee in cash (GET: confirm; POST: record)."""
    if not is_counter_officer(request.user):
        raise PermissionDenied
    dossier = dossier_get(user=request.user, code=code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    if request.method == "POST":
        try:
            payment = payment_counter_cash(dossier=dossier, officer=request.user, ip=client_ip(request))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã thu phí, lệ phí %(amount)s bằng tiền mặt (biên lai %(reference)s).")
                % {"amount": format_vnd(payment.amount), "reference": payment.reference},
            )
        return redirect("dossiers:office_detail", code=code)
    context = {**office_panel_context(dossier, request.user), "panel_standalone": True}
    return render(request, "payments/counter_cash.html", context)
