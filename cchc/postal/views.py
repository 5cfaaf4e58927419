"""The officer sends a ready result by post. (VNPost's simulator is the simulator server's:
cchc.simulators.vnpost.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.audit.services import client_ip
from cchc.core.errors import ApplicationError
from cchc.dossiers.selectors import dossier_visible_to

from . import services


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
