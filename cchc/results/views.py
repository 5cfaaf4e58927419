"""Pages of electronic results: staff compose and preview, the applicant downloads, anyone verifies.

Signing itself is the `sign_result` action of the dossier (the office detail page's action form
or the API), so it passes the same checks and history as every other action.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from cchc.audit.services import client_ip
from cchc.core.errors import ApplicationError
from cchc.core.files import protected_file_response
from cchc.core.ratelimit import hit
from cchc.dossiers.forms_office import action_form_class
from cchc.dossiers.policies import available_actions
from cchc.dossiers.rules import mask_name
from cchc.dossiers.selectors import dossier_get
from cchc.dossiers.services import position_of
from cchc.dossiers.views.office import staff_required
from cchc.dossiers.workflow import Action

from . import selectors, services
from .forms import ComposeForm, VerifyUploadForm
from .policies import COMPOSABLE, is_electronic, may_compose
from .rendering import Composition, verification_url
from .verification import verify_pdf, verify_stored

VERIFY_TEMPLATE = "results/verify.html"


def _composer_dossier(request, code: str):
    dossier = dossier_get(user=request.user, code=code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    if not may_compose(request.user, dossier):
        raise PermissionDenied
    return dossier


def _sign_form(request, dossier):
    """The `sign_result` action form, when the user may sign now (it posts to the office action view)."""
    if Action.SIGN_RESULT not in available_actions(request.user, dossier, position_of(dossier)):
        return None
    form = action_form_class(Action.SIGN_RESULT)(action=Action.SIGN_RESULT, dossier=dossier)
    url = reverse("dossiers:office_act", kwargs={"code": dossier.code, "action": Action.SIGN_RESULT})
    return {"form": form, "url": url, "multipart": False}


@require_http_methods(["GET", "POST"])
@staff_required
def compose(request, code: str):
    dossier = _composer_dossier(request, code)
    electronic = is_electronic(dossier)
    signed = selectors.signed_result_of(dossier)
    draft = selectors.draft_of(dossier)
    editable = electronic and signed is None and dossier.status in COMPOSABLE
    status = 200
    if request.method == "POST":
        form = ComposeForm(request.POST)
        if not editable:
            messages.error(request, _("Không sửa được nội dung kết quả của hồ sơ này lúc này."))
            return redirect("results:compose", code=dossier.code)
        if form.is_valid():
            data = form.cleaned_data
            composition = Composition(
                number=data["number"],
                body=data["body"],
                valid_until=data["valid_until"],
                notes=data["notes"],
                signer_title=data["signer_title"],
            )
            try:
                services.result_draft_save(
                    dossier=dossier, user=request.user, composition=composition, ip=client_ip(request)
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã lưu nội dung kết quả; bản xem trước đã được cập nhật."))
                return redirect(reverse("results:compose", kwargs={"code": dossier.code}) + "#xem-truoc")
        status = 400
    else:
        initial = {"signer_title": draft.signer_title} if draft else {}
        if draft:
            initial.update(number=draft.number, body=draft.body, valid_until=draft.valid_until, notes=draft.notes)
        form = ComposeForm(initial=initial)
    preview_url = reverse("results:preview", kwargs={"code": dossier.code})
    if draft:
        preview_url += f"?v={int(draft.updated_at.timestamp())}"  # a new composition is never served from cache
    return render(
        request,
        "results/compose.html",
        {
            "dossier": dossier,
            "version": dossier.procedure_version,
            "electronic": electronic,
            "signed": signed,
            "draft": draft,
            "editable": editable,
            "form": form,
            "preview_url": preview_url,
            "sign": _sign_form(request, dossier) if electronic and signed is None else None,
            "verification_url": verification_url(signed.pk) if signed else "",
        },
        status=status,
    )


@require_GET
@staff_required
@xframe_options_sameorigin  # shown inline on the compose page
def preview(request, code: str):
    dossier = _composer_dossier(request, code)
    if not is_electronic(dossier):
        raise Http404(_("Thủ tục này trả kết quả bản giấy."))
    if selectors.signed_result_of(dossier) is not None:
        return redirect("results:download", code=dossier.code)
    response = HttpResponse(services.result_preview(dossier=dossier, user=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="xem-truoc-ket-qua-{dossier.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def result_file_response(request, result, *, code: str):
    return protected_file_response(
        request, result.file, filename=f"ket-qua-{code}.pdf", content_type="application/pdf", as_attachment=True
    )


@require_GET
@login_required
def download(request, code: str):
    result = selectors.result_for(user=request.user, code=code)
    if result is None:
        raise Http404(_("Hồ sơ chưa có kết quả điện tử."))
    return result_file_response(request, result, code=code)


# ---------------------------------------------------------------- public verification


def _limited(request):
    if hit(scope="result_verify", key=client_ip(request) or "", limit=settings.CCHC_LOOKUP_RATE_PER_MINUTE):
        return None
    response = render(
        request,
        VERIFY_TEMPLATE,
        {
            "form": VerifyUploadForm(),
            "limited": _("Bạn đã kiểm tra quá nhiều lần trong một phút; vui lòng thử lại sau."),
        },
        status=429,
    )
    response["Retry-After"] = "60"
    return response


def public_facts(result) -> dict:
    """What anyone holding the document may see about it: nothing beyond the masked name."""
    dossier = result.dossier
    return {
        "id": result.pk,
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "result_name": result.name,
        "number": result.number,
        "agency": dossier.agency.name,
        "applicant": mask_name(dossier.applicant_name),
        "signer_name": result.signer_name,
        "signed_at": result.signed_at,
        "sha256": result.sha256,
    }


@require_GET
def verify(request, pk):
    limited = _limited(request)
    if limited is not None:
        return limited
    result = selectors.result_public(pk=pk)
    if result is None:
        raise Http404(_("Không tìm thấy kết quả điện tử."))
    context = {
        "report": verify_stored(result),
        "facts": public_facts(result),
        "form": VerifyUploadForm(),
        "stored": True,
    }
    return render(request, VERIFY_TEMPLATE, context)


@require_http_methods(["GET", "POST"])
def verify_upload(request):
    if request.method == "GET":
        return render(request, VERIFY_TEMPLATE, {"form": VerifyUploadForm()})
    limited = _limited(request)
    if limited is not None:
        return limited
    form = VerifyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, VERIFY_TEMPLATE, {"form": form}, status=400)
    report = verify_pdf(form.cleaned_data["file"].read())
    context = {
        "report": report,
        "facts": public_facts(report.record) if report.record else None,
        "form": VerifyUploadForm(),
        "uploaded_name": form.cleaned_data["file"].name,
    }
    return render(request, VERIFY_TEMPLATE, context)


urlpatterns = [
    path("can-bo/ho-so/<str:code>/ket-qua/", compose, name="compose"),
    path("can-bo/ho-so/<str:code>/ket-qua/xem-truoc.pdf", preview, name="preview"),
    path("ho-so/<str:code>/ket-qua.pdf", download, name="download"),
    path("ket-qua/xac-minh/", verify_upload, name="verify_upload"),
    path("ket-qua/xac-minh/<uuid:pk>/", verify, name="verify"),
]
