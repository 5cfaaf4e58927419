"""The citizen's page for choosing how they are told (and opting out). (The SMS and Zalo simulators are
the simulator server's: cchc.simulators.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.audit.services import client_ip

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
