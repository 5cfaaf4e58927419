"""The simulator server's pages and APIs, one URL prefix per service, and its control endpoints.

The pages are what a citizen sees at the provider (VNPAY's and PayGov's payment pages, VNeID's
sign-in); the APIs answer CCHC's server-to-server calls. `/_sim/…` is the tester's side: where the
merchant is (`config`), what was sent to it (`callbacks`), the providers' registers, and a reset.
There is no CSRF middleware here: the forms post back to the page that showed them, as a provider's do.
"""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import callbacks, dvcqg, ereceipt, messaging, paygov, vneid, vnpay, vnpost
from .models import Callback, Message, Receipt, Record, Transaction

# The services the tester has taken down (`POST /_sim/down`): their APIs answer 503 until brought up.
_down: set[str] = set()


def _base(request) -> str:
    """This server's address as the caller reached it (the issuer, the payment page's URL)."""
    return request.build_absolute_uri("/").rstrip("/")


# ---------------------------------------------------------------- VNPAY


@require_http_methods(["GET", "POST"])
@never_cache
def vnpay_page(request):
    payment_request = vnpay.read_payment_request(request.GET)
    if payment_request.error:
        return render(request, "simulators/vnpay.html", {"error": payment_request.error}, status=400)
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice not in ("pay", "cancel"):
            context = {"request_": payment_request, "error": "Vui lòng chọn Thanh toán hoặc Hủy."}
            return render(request, "simulators/vnpay.html", context, status=400)
        url = vnpay.complete_payment(payment_request, pay=choice == "pay", lose_ipn=bool(request.POST.get("lose_ipn")))
        if url is None:
            return render(request, "simulators/vnpay.html", {"error": "Giao dịch này đã được xử lý."}, status=409)
        return redirect(url)
    return render(request, "simulators/vnpay.html", {"request_": payment_request})


@require_POST
def vnpay_api(request):
    return JsonResponse(vnpay.merchant_api(request.body))


# ---------------------------------------------------------------- PayGov


@require_http_methods(["GET", "POST"])
@never_cache
def paygov_page(request):
    page = paygov.read_page(request.GET.get("ma", ""))
    context = {"row": page.transaction, "error": page.error}
    if page.error:
        return render(request, "simulators/paygov.html", context, status=400)
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice not in paygov.CHOICES:
            context["error"] = "Vui lòng chọn Thanh toán, Giao dịch lỗi hoặc Hủy."
            return render(request, "simulators/paygov.html", context, status=400)
        url = paygov.complete(page.transaction, choice=choice, lose_result=bool(request.POST.get("lose")))
        if url is None:
            context["error"] = "Giao dịch này đã được xử lý."
            return render(request, "simulators/paygov.html", context, status=409)
        return redirect(url)
    return render(request, "simulators/paygov.html", context)


@require_POST
def paygov_api(request):
    status, answer = paygov.api(request.body, base_url=_base(request))
    if isinstance(answer, bytes):
        return HttpResponse(answer, content_type="application/pdf")
    return JsonResponse(answer, status=status)


# ---------------------------------------------------------------- e-receipts (VNPT, Viettel)


@require_POST
def receipt_api(request, provider: str, rest: str = ""):
    """VNPT's `.asmx` SOAP services and Viettel's REST API."""
    if provider == "vnpt" and rest in ("PublishService.asmx", "BusinessService.asmx", "PortalService.asmx"):
        status, content = ereceipt.vnpt(rest.removesuffix(".asmx"), request.body)
        return HttpResponse(content, status=status, content_type="text/xml; charset=utf-8")
    if provider == "viettel":
        status, answer = ereceipt.viettel(
            rest,
            body=request.body,
            content_type=request.content_type or "",
            authorization=request.headers.get("Authorization", ""),
        )
        return JsonResponse(answer, status=status)
    raise Http404


# ---------------------------------------------------------------- SMS brandname (VNPT, Viettel) and Zalo ZNS


@require_POST
def sms_vnpt(request):
    return JsonResponse(messaging.sms(request.body))


@require_POST
def sms_viettel(request):
    status, content = messaging.viettel_sms(request.body)
    return HttpResponse(content, status=status, content_type="text/xml; charset=utf-8")


@require_POST
def zalo_template(request):
    return JsonResponse(messaging.zalo(request.body, access_token=request.headers.get("access_token", "")))


# ---------------------------------------------------------------- DVCQG (the national portal) and VNPost


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return body if isinstance(body, dict) else {}


@require_POST
def dvcqg_api(request, endpoint: str):
    """The adapter's three endpoints: `auth`, `integration`, `share` (JSON in, JSON out)."""
    if "dvcqg" in _down:
        return JsonResponse({"error_code": -1, "message": "Hệ thống đang bảo trì"}, status=503)
    if endpoint == "auth":
        return JsonResponse(dvcqg.auth(_json_body(request)))
    if endpoint in ("integration", "share"):
        return JsonResponse(dvcqg.answer(endpoint, _json_body(request)))
    raise Http404


@require_POST
def vnpost_api(request, operation: str):
    """`apiGetToken`, then the operations with the header `access_token`."""
    if "vnpost" in _down:
        return JsonResponse({"Status": "503", "Message": "Hệ thống đang bảo trì"}, status=503)
    if operation == "apiGetToken":
        status, body = vnpost.token(_json_body(request))
    else:
        status, body = vnpost.answer(operation, _json_body(request), request.headers.get("access_token", ""))
    return JsonResponse(body, status=status)


# ---------------------------------------------------------------- VNeID (OpenID Connect)


def _issuer(request) -> str:
    return _base(request) + "/vneid"


@require_GET
def vneid_discovery(request):
    return JsonResponse(vneid.discovery(_issuer(request)))


@require_GET
def vneid_jwks(request):
    return JsonResponse(vneid.jwks())


@require_http_methods(["GET", "POST"])
@never_cache
def vneid_authorize(request):
    authorize_request = vneid.read_authorize(request.GET)
    context = {"authorize_request": authorize_request, "identities": vneid.identities().values()}
    if authorize_request.error:
        return render(request, "simulators/vneid.html", context, status=400)
    if request.method == "POST":
        if request.POST.get("choice") == "cancel":
            return redirect(vneid.complete_authorize(authorize_request, None))
        identity = request.POST.get("identity", "")
        if identity not in vneid.identities():
            context["error"] = "Vui lòng chọn một người dùng thử."
            return render(request, "simulators/vneid.html", context, status=400)
        return redirect(vneid.complete_authorize(authorize_request, identity))
    return render(request, "simulators/vneid.html", context)


@require_POST
def vneid_token(request):
    status, body = vneid.token(request.POST, request.headers.get("Authorization", ""), issuer=_issuer(request))
    return JsonResponse(body, status=status, headers={"Cache-Control": "no-store"})


@require_http_methods(["GET", "POST"])
def vneid_userinfo(request):
    status, body = vneid.userinfo(request.headers.get("Authorization", ""))
    return JsonResponse(body, status=status)


# ---------------------------------------------------------------- the tester's side


@require_GET
def healthz(request):
    return JsonResponse({"ok": True})


@require_POST
def control_config(request):
    """Where the merchant is and whether callbacks are sent: `{"cchc_url": …, "deliver": true}`."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "JSON expected"}, status=400)
    deliver = data.get("deliver")
    return JsonResponse(
        callbacks.configure(merchant_url=data.get("cchc_url"), deliver=None if deliver is None else bool(deliver))
    )


@require_POST
def control_reset(request):
    """Forget every transaction, receipt and callback (the test suite resets between tests)."""
    Callback.objects.all().delete()
    Message.objects.all().delete()
    messaging._registered.update({"sms": {}, "zalo": {}})
    Receipt.objects.filter(replaces__isnull=False).delete()
    Receipt.objects.all().delete()
    Transaction.objects.all().delete()
    Record.objects.all().delete()
    _down.clear()
    return JsonResponse({"ok": True})


@require_POST
def control_down(request):
    """Take a service down or bring it up: `{"service": "dvcqg", "down": true}` (DVCQG, VNPost)."""
    data = _json_body(request)
    if data.get("service") not in ("dvcqg", "vnpost"):
        return JsonResponse({"error": "service (dvcqg, vnpost) expected"}, status=400)
    if data.get("down"):
        _down.add(data["service"])
    else:
        _down.discard(data["service"])
    return JsonResponse({"down": sorted(_down)})


@require_GET
def control_dvcqg_dossiers(request):
    """What the portal was told: every dossier, or one (`?code=MaHoSo`), with its progress steps."""
    return JsonResponse({"dossiers": dvcqg.held(request.GET.get("code", ""))})


@require_POST
def control_dvcqg_lodge(request):
    """A citizen lodges a dossier on the portal: `{"agency_code", "national_code", "procedure_code", …fields}`."""
    data = _json_body(request)
    if not all(data.get(name) for name in ("agency_code", "national_code", "procedure_code")):
        return JsonResponse({"error": "agency_code, national_code and procedure_code expected"}, status=400)
    dvcqg.lodge(**{str(key): value for key, value in data.items()})
    return JsonResponse({"ok": True})


@require_GET
def control_vnpost_orders(request):
    return JsonResponse({"orders": vnpost.orders()})


@require_GET
def control_callbacks(request):
    rows = Callback.objects.order_by("id")
    if request.GET.get("service"):
        rows = rows.filter(service=request.GET["service"])
    if request.GET.get("reference"):
        rows = rows.filter(reference=request.GET["reference"])
    if request.GET.get("status"):
        rows = rows.filter(status=request.GET["status"])
    return JsonResponse({"callbacks": [row.as_dict() for row in rows]})


def _listed(request, model, key: str, filters: dict[str, str], fields: tuple[str, ...]) -> JsonResponse:
    """The simulator's rows of `model` in order, narrowed by the query parameters in `filters` (parameter →
    field), as `{key: [{field: value}]}`."""
    rows = model.objects.order_by("id")
    for parameter, field in filters.items():
        if request.GET.get(parameter):
            rows = rows.filter(**{field: request.GET[parameter]})
    return JsonResponse({key: [{name: getattr(row, name) for name in fields} for row in rows]})


@require_GET
def control_transactions(request):
    fields = ("gateway", "txn_ref", "amount", "transaction_status", "transaction_no", "refunded_amount")
    return _listed(request, Transaction, "transactions", {"reference": "txn_ref"}, fields)


@require_GET
def control_receipts(request):
    fields = ("provider", "key", "pattern", "series", "number", "amount", "status", "replaces_id")
    return _listed(request, Receipt, "receipts", {"provider": "provider"}, fields)


@require_GET
def control_messages(request):
    fields = ("channel", "message_id", "phone", "template_id", "content", "data")
    return _listed(request, Message, "messages", {"channel": "channel"}, fields)


@require_POST
def control_templates(request):
    """Register a message template with a provider: `{"channel": "zalo", "id": "…", "params": […]}`."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "JSON expected"}, status=400)
    if data.get("channel") not in ("sms", "zalo") or not data.get("id"):
        return JsonResponse({"error": "channel (sms, zalo) and id expected"}, status=400)
    messaging.register_template(data["channel"], str(data["id"]), data.get("params") or [])
    return JsonResponse({"templates": messaging.templates(data["channel"])})
