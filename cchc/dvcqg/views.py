"""The operator's page of the DVCQG synchronisation, and the simulator's endpoints."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cchc.core import clock
from cchc.core.errors import ApplicationError
from cchc.core.integrations import simulator_only

from . import selectors, services
from . import simulator as portal
from .client import sync_enabled
from .models import OutboxMessage
from .tasks import pull_national_dossiers

PAGE_SIZE = 50


def _operator(request):
    if not selectors.may_operate(request.user):
        raise PermissionDenied


@require_GET
@login_required
def operator(request):
    """Every agency change told (or to tell) the portal: state, attempts, last error; the dossiers pulled."""
    _operator(request)
    outbox = selectors.outbox_visible_to(request.user)
    state = request.GET.get("trang-thai", "")
    if state in OutboxMessage.State.values:
        outbox = outbox.filter(state=state)
    page = Paginator(outbox.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    agency_ids = None if request.user.agency_id is None else [request.user.agency_id]
    figure = selectors.sync_in_time(agency_ids=agency_ids, start=now.replace(day=1, hour=0, minute=0), end=now)
    return render(
        request,
        "dvcqg/operator.html",
        {
            "enabled": sync_enabled(),
            "summary": selectors.outbox_summary(user=request.user),
            "page": page,
            "state": state,
            "states": OutboxMessage.State.choices,
            "pulled": selectors.national_dossiers_for(user=request.user)[:20],
            "figure": figure,
        },
    )


@require_POST
@login_required
def retry(request, pk: int):
    _operator(request)
    message = selectors.outbox_visible_to(request.user).filter(pk=pk).first()
    if message is None:
        raise Http404
    try:
        services.outbox_retry(message=message, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xếp lịch gửi lại thông điệp #%(id)s.") % {"id": pk})
    return redirect("dvcqg:operator")


@require_POST
@login_required
def pull(request):
    _operator(request)
    if not sync_enabled():
        messages.error(request, _("Chưa cấu hình kết nối Cổng DVCQG."))
    else:
        pull_national_dossiers.enqueue()
        messages.success(request, _("Đã xếp lịch lấy hồ sơ nộp trên Cổng DVCQG."))
    return redirect("dvcqg:operator")


# ---------------------------------------------------------------- the simulator


def _body(request) -> dict:
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return body if isinstance(body, dict) else {}


def _simulated(answerer):
    @csrf_exempt  # server to server, authenticated by the session in the body
    @require_POST
    @simulator_only
    def view(request):
        if portal.is_down():
            return JsonResponse({"error_code": -1, "message": "Hệ thống đang bảo trì"}, status=503)
        return JsonResponse(answerer(_body(request)))

    return view


simulator_auth = _simulated(portal.auth)
simulator_integration = _simulated(lambda body: portal.answer("integration", body))
simulator_share = _simulated(lambda body: portal.answer("share", body))
