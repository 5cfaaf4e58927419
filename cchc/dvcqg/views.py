"""The operator's page of the DVCQG synchronisation. (The portal's simulator is the simulator server's:
cchc.simulators.dvcqg.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.core.errors import ApplicationError

from . import selectors, services
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
    now = timezone.now()
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
