"""The VNeID simulator's endpoints (cchc.accounts.vneid_simulator), served only while the simulators are on."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.integrations import simulator_only

from . import vneid_simulator as vneid


@require_GET
@simulator_only
def discovery(request):
    return JsonResponse(vneid.discovery())


@require_GET
@simulator_only
def jwks(request):
    return JsonResponse(vneid.jwks())


@require_http_methods(["GET", "POST"])
@never_cache
@simulator_only
def authorize(request):
    authorize_request = vneid.read_authorize(request.GET)
    context = {"authorize_request": authorize_request, "identities": vneid.identities().values()}
    if authorize_request.error:
        return render(request, "accounts/vneid_simulator.html", context, status=400)
    if request.method == "POST":
        if request.POST.get("choice") == "cancel":
            return redirect(vneid.complete_authorize(authorize_request, None))
        identity = request.POST.get("identity", "")
        if identity not in vneid.identities():
            context["error"] = _("Vui lòng chọn một người dùng thử.")
            return render(request, "accounts/vneid_simulator.html", context, status=400)
        return redirect(vneid.complete_authorize(authorize_request, identity))
    return render(request, "accounts/vneid_simulator.html", context)


@csrf_exempt  # server to server, authenticated by the client's secret
@require_POST
@simulator_only
def token(request):
    status, body = vneid.token(request.POST, request.headers.get("Authorization", ""))
    return JsonResponse(body, status=status, headers={"Cache-Control": "no-store"})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@simulator_only
def userinfo(request):
    status, body = vneid.userinfo(request.headers.get("Authorization", ""))
    return JsonResponse(body, status=status)
