"""The citizen's page for choosing how they are told (and opting out), and the simulators' endpoints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cchc.audit.services import client_ip
from cchc.payments.checks import simulator_enabled

from . import simulator as providers_simulator
from .forms import PreferenceForm
from .selectors import preference_of
from .services import preference_update


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Tài khoản › Nhận thông báo: email, SMS, Zalo; untick all to opt out."""
    choice = preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            preference_update(user=request.user, ip=client_ip(request), **form.cleaned_data)
            messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
            return redirect("messaging:preferences")
    else:
        form = PreferenceForm(initial={"email": choice.email, "sms": choice.sms, "zalo": choice.zalo})
    return render(request, "messaging/preferences.html", {"form": form, "phone": request.user.phone})


@csrf_exempt  # server-to-server APIs authenticated by their credentials, as the providers' are
@require_POST
def simulator(request, name: str):
    if not simulator_enabled():
        raise Http404
    if name == "sms":
        return JsonResponse(providers_simulator.sms(request.body))
    if name == "zalo":
        return JsonResponse(
            providers_simulator.zalo(request.body, access_token=request.headers.get("access_token", ""))
        )
    raise Http404
