"""The public status lookup: anyone with a dossier code sees where it stands, and nothing personal.

Only what the template needs leaves this module, as plain data: the masked name, statuses,
dates and step names; never the ID number, contact details, actors or reasons. Lookups are
limited per client address so codes cannot be enumerated.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.audit.services import client_ip
from cchc.core.ratelimit import hit

from .. import selectors
from ..forms_citizen import TrackingForm
from ..rules import mask_name
from ..workflow import OPEN, Action, Status

TEMPLATE = "dossiers/tracking/lookup.html"


def _public_view(found: selectors.PublicStatus) -> dict:
    step = selectors.public_current_step(found) if found.status in OPEN else None
    return {
        "code": found.code,
        "procedure": found.procedure,
        "agency": found.agency,
        "status": found.status,
        "status_label": Status(found.status).label,
        "applicant": mask_name(found.applicant_name),
        "submitted_at": found.submitted_at,
        "received_at": found.received_at,
        "due_at": found.due_at,
        "returned_at": found.returned_at,
        "paused": found.status == Status.WAITING_SUPPLEMENT,
        "current_step": step[1] if step else "",
        "timeline": [
            {
                "at": at,
                "status_label": Status(to_status).label,
                "action_label": Action(action).label if action in Action.values else "",
            }
            for at, action, to_status, _order, _step_name in found.events
        ],
    }


@require_GET
def track(request):
    form = TrackingForm(request.GET if "ma" in request.GET else None)
    context = {"form": form, "result": None, "not_found": False}
    if form.is_bound and form.is_valid():
        allowed = hit(
            scope="tracking",
            key=client_ip(request) or "",
            limit=settings.CCHC_LOOKUP_RATE_PER_MINUTE,
            window=60,
        )
        if not allowed:
            context["limited"] = _("Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng thử lại sau ít phút.")
            response = render(request, TEMPLATE, context, status=429)
            response["Retry-After"] = "60"
            return response
        code = form.cleaned_data["ma"]
        found = selectors.dossier_public_status_row(code=code)
        context["code"] = code
        if found is None:
            context["not_found"] = True
        else:
            context["result"] = _public_view(found)
    return render(request, TEMPLATE, context)


urlpatterns = [
    path("tra-cuu/", track, name="track"),
]
