"""The officer's page of one scanned paper: read it, then confirm its key fields into the data store."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.core.errors import ApplicationError
from cchc.dossiers.models import DossierDocument
from cchc.dossiers.selectors import dossier_visible_to

from . import policies, services
from .forms import ConfirmForm
from .models import Digitisation


def _document(request, code: str, pk: int) -> DossierDocument:
    dossier = dossier_visible_to(request.user).filter(code=code).first()
    document = DossierDocument.objects.filter(dossier=dossier, pk=pk).select_related("component").first()
    if dossier is None or document is None or not policies.may_digitise(request.user, document):
        raise Http404
    return document


@require_http_methods(["GET", "POST"])
@login_required
def document(request, code: str, pk: int):
    paper = _document(request, code, pk)
    job = Digitisation.objects.filter(document=paper).first()
    form = ConfirmForm(initial=job.proposed if job else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm" and job is not None:
                form = ConfirmForm(request.POST)
                if form.is_valid():
                    services.digitisation_confirm(
                        job=job,
                        officer=request.user,
                        fields=form.key_fields(),
                        valid_until=form.cleaned_data.get("valid_until"),
                    )
                    messages.success(request, _("Đã xác nhận; giấy tờ đã vào kho dữ liệu của người nộp."))
                    return redirect("digitisation:document", code=code, pk=pk)
                status = 400
            else:
                services.digitisation_request(document=paper, officer=request.user)
                messages.success(request, _("Đã xếp lịch nhận dạng chữ; tải lại trang sau ít phút."))
                return redirect("digitisation:document", code=code, pk=pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = 400
    return render(
        request,
        "digitisation/document.html",
        {"paper": paper, "dossier": paper.dossier, "job": job, "form": form},
        status=status,
    )
