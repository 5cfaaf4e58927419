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
from cchc.procedures.selectors import process_steps

from .. import selectors
from ..forms_citizen import TrackingForm
from ..models import Dossier
from ..rules import mask_name
from ..workflow import OPEN, Action, Status

TEMPLATE = "dossiers/tracking/lookup.html"


def _public_view(dossier: Dossier) -> dict:
    version = dossier.procedure_version
    step = ""
    if dossier.status in OPEN and dossier.current_step:
        steps = process_steps(version, dossier.agency_id)
        step = steps.filter(order=dossier.current_step).values_list("name", flat=True).first() or ""
    return {
        "code": dossier.code,
        "procedure": version.name,
        "agency": dossier.agency.name,
        "status": dossier.status,
        "status_label": Status(dossier.status).label,
        "applicant": mask_name(dossier.applicant_name),
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "returned_at": dossier.returned_at,
        "paused": dossier.status == Status.WAITING_SUPPLEMENT,
        "current_step": step,
        "timeline": [
            {
                "at": event.at,
                "status_label": Status(event.to_status).label,
                "action_label": Action(event.action).label if event.action in Action.values else "",
            }
            for event in dossier.events.all()
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
        dossier = selectors.dossier_public_status(code=code)
        context["code"] = code
        if dossier is None:
            context["not_found"] = True
        else:
            context["result"] = _public_view(dossier)
    return render(request, TEMPLATE, context)


urlpatterns = [
    path("tra-cuu/", track, name="track"),
]
