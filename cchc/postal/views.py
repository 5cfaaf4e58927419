"""The officer sends a ready result by post; the VNPost simulator's endpoints."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cchc.audit.services import client_ip
from cchc.core.errors import ApplicationError
from cchc.core.integrations import simulator_only
from cchc.dossiers.selectors import dossier_visible_to

from . import services
from . import simulator as vnpost


@require_POST
@login_required
def send(request, code: str):
    dossier = dossier_visible_to(request.user).filter(code=code).first()
    if dossier is None:
        raise Http404
    try:
        services.shipment_request(dossier=dossier, officer=request.user, ip=client_ip(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã yêu cầu VNPost nhận bưu gửi; mã vận đơn hiện trên hồ sơ khi có."))
    return redirect("dossiers:office_detail", code=code)


def _body(request) -> dict:
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return body if isinstance(body, dict) else {}


@csrf_exempt  # server to server, authenticated by the customer's key and secret
@require_POST
@simulator_only
def simulator_token(request):
    status, body = vnpost.token(_body(request))
    return JsonResponse(body, status=status)


def _operation(name):
    @csrf_exempt  # server to server, authenticated by the access_token header
    @require_POST
    @simulator_only
    def view(request):
        status, body = vnpost.answer(name, _body(request), request.headers.get("access_token", ""))
        return JsonResponse(body, status=status)

    return view


simulator_create = _operation("apiCreateOrder")
simulator_tracking = _operation("apiGetOrderTracking")
simulator_cancel = _operation("apiCancelOrder")
