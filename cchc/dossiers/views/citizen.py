"""Pages for citizens and businesses: submitting online, "my dossiers", supplementing, withdrawing.

Every read goes through `selectors` (which only ever return the user's own dossiers) and
every write through `services`; an `ApplicationError` becomes a message or a form error in
`_show_error`. Another person's dossier or draft is a 404.
"""

import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cchc.accounts.policies import is_applicant
from cchc.accounts.roles import applicant_kind, staff_role_label
from cchc.audit.services import client_ip
from cchc.core.errors import ApplicationError
from cchc.core.files import protected_file_response
from cchc.procedures.models import ProcedureVersion
from cchc.procedures.selectors import offering_agencies, procedure_get_published

from .. import hooks, selectors, services
from ..documents import date_line
from ..forms_citizen import ApplicantForm, SupplementForm, UploadForm, WithdrawForm
from ..models import Dossier, ReturnMethod
from ..policies import available_actions
from ..services import ActionInput
from ..workflow import Action, Status

PAGE_SIZE = 20
# Start-form tokens already turned into drafts, so a re-sent form (back button, double
# click) opens the same draft instead of making another.
SESSION_DRAFT_TOKENS = "cchc_draft_tokens"


def applicant_required(view):
    """Logged in, and a citizen or business: staff get a clear notice instead of the page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_applicant(request.user):
            return _notice(
                request,
                title=_("Trang dành cho công dân, doanh nghiệp"),
                message=_(
                    "Tài khoản cán bộ không nộp và theo dõi hồ sơ tại đây. "
                    "Vui lòng dùng trang nghiệp vụ hoặc đăng nhập bằng tài khoản công dân, doanh nghiệp."
                ),
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


def _notice(request, *, title: str, message: str, status: int = 200, procedure=None):
    return render(
        request,
        "dossiers/citizen/notice.html",
        {"title": title, "message": message, "procedure": procedure},
        status=status,
    )


def _show_error(request, exc: ApplicationError, form=None) -> None:
    """The one place a refused write becomes visible: on the form when there is one, else a message."""
    if form is not None:
        form.add_error(None, exc.message)
    else:
        messages.error(request, exc.message)


# ---------------------------------------------------------------- submitting online


def _initial_applicant(user, version: ProcedureVersion) -> dict:
    """Once-only: every applicant field from the account's profile (its last dossier), editable."""
    initial = {
        "kind": applicant_kind(user.role),
        "return_method": default_return_method(version),
    }
    return initial | selectors.applicant_profile(user=user)


def default_return_method(version: ProcedureVersion) -> str:
    """A full online service with an electronic result returns it online; otherwise at the counter."""
    electronic = version.result_type == ProcedureVersion.ResultType.ELECTRONIC
    if version.online_level >= ProcedureVersion.OnlineLevel.FULL and electronic:
        return ReturnMethod.ONLINE.value
    return ReturnMethod.COUNTER.value


def _initial_from_draft(draft: Dossier) -> dict:
    return {
        "kind": draft.applicant_kind,
        "name": draft.applicant_name,
        "id_number": draft.applicant_id_number,
        "tax_code": draft.applicant_tax_code,
        "phone": draft.applicant_phone,
        "email": draft.applicant_email,
        "address": draft.applicant_address,
        "return_method": draft.return_method,
        # Another one-stop point chosen for collecting the result ("" is the resolving agency's counter).
        "return_point": draft.return_point.code
        if draft.return_point_id and draft.return_point_id != draft.agency_id
        else "",
    }


def _own_draft(request, pk: int) -> Dossier:
    draft = selectors.dossier_get_by_pk(user=request.user, pk=pk)
    if draft is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return draft


def _to_dossier_page(dossier: Dossier):
    """A draft that is no longer one: its page. Without a code (a refusal at the counter) there is none."""
    if not dossier.code:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return redirect("dossiers:my_detail", code=dossier.code)


@applicant_required
@require_http_methods(["GET", "POST"])
def submit_start(request, code: str):
    procedure = procedure_get_published(code=code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    version = procedure.current_version
    if version.online_level < ProcedureVersion.OnlineLevel.PARTIAL:
        return _notice(
            request,
            title=_("Thủ tục chưa nộp trực tuyến được"),
            message=_("Thủ tục này nộp trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính công ích."),
            procedure=procedure,
        )
    agencies = offering_agencies(procedure)
    agency = next((a for a in agencies if a.code == request.GET.get("co_quan", "")), None)
    if agency is None and len(agencies) != 1:
        # Several agencies offer it (every commune, say): the applicant chooses on the procedure's page.
        return redirect(reverse("procedures:detail", args=[procedure.code]) + "#chon-co-quan")
    agency = agency or agencies[0]
    step = hooks.submission_prerequisite_url(request.user, request.get_full_path())
    if step:  # e.g. the privacy notice in force, not accepted yet
        return redirect(step)
    components = list(version.components.all())
    posted = request.method == "POST"
    token = request.POST.get("token", "") if posted else uuid.uuid4().hex
    tokens = request.session.get(SESSION_DRAFT_TOKENS, {})
    if posted and token in tokens:
        return redirect("dossiers:draft_review", pk=tokens[token])
    form = ApplicantForm(
        request.POST if posted else None,
        version=version,
        agency=agency,
        initial=_initial_applicant(request.user, version),
    )
    uploads = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        components=components,
        stored=list(selectors.store_documents_for(user=request.user)),
        staged=list(selectors.staged_uploads_for(user=request.user, token=token)) if posted else None,
        from_population_db=request.user.identity_verified,
        eforms=True,
    )
    if posted and all([form.is_valid(), uploads.is_valid()]):
        try:
            draft = services.dossier_create_draft(
                user=request.user,
                procedure=procedure,
                applicant=form.applicant(),
                return_method=form.cleaned_data["return_method"],
                return_point=form.cleaned_data["return_point"],
                documents=uploads.documents() + _eform_documents(uploads, form, agency),
                agency=agency,
            )
        except ApplicationError as exc:
            _show_error(request, exc, form)
        else:
            if token:
                tokens = dict(list(tokens.items())[-19:]) | {token: draft.pk}
                request.session[SESSION_DRAFT_TOKENS] = tokens
            return redirect("dossiers:draft_review", pk=draft.pk)
    if posted:
        _keep_passed_uploads(request, uploads, token=token)
    return _render_form(
        request, procedure=procedure, version=version, form=form, uploads=uploads, token=token, agency=agency
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, pk: int):
    draft = _own_draft(request, pk)
    if draft.status != Status.DRAFT:
        return _to_dossier_page(draft)
    version = draft.procedure_version
    components = list(version.components.select_related("form_template"))
    existing = {d.component_id: d for d in draft.documents.all()}
    posted = request.method == "POST"
    form = ApplicantForm(
        request.POST if posted else None, version=version, agency=draft.agency, initial=_initial_from_draft(draft)
    )
    uploads = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        components=components,
        existing=existing,
        stored=list(selectors.store_documents_for(user=request.user)),
        staged=list(selectors.staged_uploads_for(user=request.user, token=_draft_token(draft))) if posted else None,
        from_population_db=draft.applicant_identity_verified,
        eforms=True,
    )
    if posted and all([form.is_valid(), uploads.is_valid()]):
        try:
            draft = _save_edited_draft(
                draft=draft,
                user=request.user,
                form=form,
                documents=uploads.documents() + _eform_documents(uploads, form, draft.agency),
            )
        except ApplicationError as exc:
            _show_error(request, exc, form)
        else:
            return redirect("dossiers:draft_review", pk=draft.pk)
    if posted:
        _keep_passed_uploads(request, uploads, token=_draft_token(draft), draft=draft)
    return _render_form(
        request,
        procedure=draft.procedure,
        version=version,
        form=form,
        uploads=uploads,
        draft=draft,
        agency=draft.agency,
    )


def _eform_documents(uploads: UploadForm, form: ApplicantForm, agency) -> list:
    """The applications filled online, rendered as PDF before the service's transaction opens."""
    if not uploads.eforms:
        return []
    return uploads.eform_documents(
        applicant=form.applicant(),
        addressee=agency.name,
        date_line=date_line(agency.place_name, timezone.localdate()),
    )


def _draft_token(draft: Dossier) -> str:
    return f"draft-{draft.pk}"


def _keep_passed_uploads(request, uploads: UploadForm, *, token: str, draft: Dossier | None = None) -> None:
    """A send refused for another reason keeps the files that passed their checks, so the
    applicant fixes the field and continues instead of choosing every file again."""
    if not token:
        return
    kept = [
        services.staged_upload_keep(user=request.user, token=token, component=component, upload=upload, draft=draft)
        for component, upload in uploads.passed_uploads()
    ]
    uploads.keep_staged(kept)


def _render_form(
    request, *, procedure, version, form, uploads, token: str = "", draft: Dossier | None = None, agency=None
):
    context = {
        "procedure": procedure,
        "agency": agency,
        "version": version,
        "form": form,
        "uploads": uploads,
        "token": token,
        "draft": draft,
        "error_forms": [f for f in (form, uploads) if f.errors],
        "max_upload_bytes": settings.CCHC_UPLOAD_MAX_BYTES,
    }
    return render(request, "dossiers/citizen/submit_form.html", context)


def _save_edited_draft(*, draft: Dossier, user, form: ApplicantForm, documents) -> Dossier:
    return services.dossier_update_draft(
        dossier=draft,
        user=user,
        applicant=form.applicant(),
        return_method=form.cleaned_data["return_method"],
        return_point=form.cleaned_data["return_point"],
        documents=documents,
    )


def _component_rows(dossier: Dossier) -> list[dict]:
    documents = {d.component_id: d for d in dossier.documents.all()}
    return [{"component": c, "document": documents.get(c.pk)} for c in dossier.procedure_version.components.all()]


@applicant_required
@require_http_methods(["GET", "POST"])
def draft_review(request, pk: int):
    draft = _own_draft(request, pk)
    if request.method == "POST":
        was_draft = draft.status == Status.DRAFT
        step = hooks.submission_prerequisite_url(request.user, request.path) if was_draft else None
        if step:
            return redirect(step)
        try:
            dossier = services.dossier_submit(dossier=draft, user=request.user, ip=client_ip(request))
        except ApplicationError as exc:
            _show_error(request, exc)
            return redirect("dossiers:draft_review", pk=draft.pk)
        if was_draft:
            messages.success(
                request,
                _("Đã nộp hồ sơ. Mã hồ sơ của bạn là %(code)s; hãy ghi lại để tra cứu.") % {"code": dossier.code},
            )
        else:
            messages.info(request, _("Hồ sơ này đã được nộp trước đó, không nộp lại."))
        return _to_dossier_page(dossier)
    if draft.status != Status.DRAFT:
        return _to_dossier_page(draft)
    rows = _component_rows(draft)
    missing = [r["component"].name for r in rows if r["component"].required and r["document"] is None]
    return render(
        request,
        "dossiers/citizen/draft_review.html",
        {"draft": draft, "rows": rows, "missing": missing},
    )


# ---------------------------------------------------------------- my dossiers


@applicant_required
def my_list(request):
    dossiers = selectors.dossier_list(user=request.user)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/citizen/my_list.html", {"page": page})


def _own_dossier(request, code: str) -> Dossier:
    dossier = selectors.dossier_get(user=request.user, code=code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def _statutory_documents(dossier: Dossier) -> list[dict]:
    """Links to the statutory documents the applicant may download, where that page exists."""
    wanted = []
    if dossier.received_at is not None:
        wanted.append(("receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")))
    links = []
    for form, label in wanted:
        try:
            url = reverse("dossiers:document", kwargs={"code": dossier.code, "form": form})
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": label})
    return links


# Reasons written for the applicant; notes between officers (forward, assign, approve…) stay internal.
APPLICANT_FACING_REASONS = frozenset(
    {
        Action.REQUEST_SUPPLEMENT,
        Action.REFUSE,
        Action.NOT_APPROVE,
        Action.STOP,
        Action.APOLOGIZE,
        Action.WITHDRAW,
        Action.SUPPLEMENT,
        Action.RETURN_RESULT,
    }
)


def _timeline(dossier: Dossier, user) -> list[dict]:
    rows = []
    for event in dossier.events.all():
        if event.actor_id is not None and event.actor_id == user.pk:
            who = _("Bạn")
        else:
            who = staff_role_label(event.actor_role)
        rows.append(
            {
                "at": event.at,
                "action": Action(event.action).label if event.action in Action.values else event.action,
                "status": Status(event.to_status).label,
                "step": event.step_name,
                "who": who,
                "reason": event.reason if event.action in APPLICANT_FACING_REASONS else "",
            }
        )
    return rows


def _open_request(dossier: Dossier):
    return next((r for r in dossier.supplement_requests.all() if r.answered_at is None), None)


def _supplement_form(dossier: Dossier, open_request, data=None, files=None) -> SupplementForm:
    components = list(dossier.procedure_version.components.all())
    return SupplementForm(data, files, components=components, requested=open_request.items if open_request else [])


def _detail(request, dossier: Dossier, *, supplement_form=None, withdraw_form=None, status: int = 200):
    position = services.position_of(dossier)
    actions = available_actions(request.user, dossier, position)
    open_run = next((s for s in dossier.steps.all() if s.finished_at is None), None)
    open_request = _open_request(dossier)
    if Action.SUPPLEMENT in actions and open_request is not None:
        supplement_form = supplement_form or _supplement_form(dossier, open_request)
    else:
        supplement_form = None
    if Action.WITHDRAW in actions:
        withdraw_form = withdraw_form or WithdrawForm(initial={"expected_status": dossier.status})
    else:
        withdraw_form = None
    context = {
        "dossier": dossier,
        "status_label": Status(dossier.status).label,
        "current_step": open_run.process_step.name if open_run else "",
        "paused": dossier.status == Status.WAITING_SUPPLEMENT,
        "timeline": _timeline(dossier, request.user),
        "documents": list(dossier.documents.all()),
        "open_request": open_request,
        "supplement_form": supplement_form,
        "withdraw_form": withdraw_form,
        "statutory_documents": _statutory_documents(dossier),
    }
    return render(request, "dossiers/citizen/my_detail.html", context, status=status)


@applicant_required
def my_detail(request, code: str):
    dossier = _own_dossier(request, code)
    services.dossier_record_view(dossier=dossier, user=request.user, ip=client_ip(request))
    return _detail(request, dossier)


@applicant_required
@require_POST
def supplement(request, code: str):
    dossier = _own_dossier(request, code)
    form = _supplement_form(dossier, _open_request(dossier), request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, dossier, supplement_form=form, status=400)
    try:
        services.dossier_act(
            dossier=dossier,
            actor=request.user,
            action=Action.SUPPLEMENT,
            data=ActionInput(comment=form.cleaned_data["comment"], documents=form.documents()),
            ip=client_ip(request),
            expected_status=Status.WAITING_SUPPLEMENT,
        )
    except ApplicationError as exc:
        _show_error(request, exc)
    else:
        messages.success(request, _("Đã gửi giấy tờ bổ sung. Hồ sơ được tiếp tục giải quyết."))
    return redirect("dossiers:my_detail", code=dossier.code)


@applicant_required
@require_POST
def withdraw(request, code: str):
    dossier = _own_dossier(request, code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail(request, dossier, withdraw_form=form, status=400)
    try:
        services.dossier_act(
            dossier=dossier,
            actor=request.user,
            action=Action.WITHDRAW,
            data=ActionInput(comment=form.cleaned_data["reason"]),
            ip=client_ip(request),
            expected_status=form.cleaned_data["expected_status"] or None,
        )
    except ApplicationError as exc:
        _show_error(request, exc)
    else:
        messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("dossiers:my_detail", code=dossier.code)


@applicant_required
def store(request):
    """The applicant's data store: documents handed in before and results, reusable (once-only)."""
    documents = selectors.store_documents_for(user=request.user).select_related("source_dossier")
    return render(request, "dossiers/citizen/store.html", {"documents": documents})


@applicant_required
@require_POST
def store_delete(request, pk: int):
    document = selectors.store_documents_for(user=request.user).filter(pk=pk).first()
    if document is None:
        raise Http404(_("Không tìm thấy giấy tờ."))
    try:
        services.store_document_delete(document=document, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa “%(name)s” khỏi kho dữ liệu.") % {"name": document.name})
    return redirect("dossiers:store")


@applicant_required
def store_file(request, pk: int):
    document = selectors.store_documents_for(user=request.user).filter(pk=pk).first()
    if document is None or not document.file:
        raise Http404(_("Không tìm thấy giấy tờ."))
    return stored_file_response(request, document)


def stored_file_response(request, document):
    return protected_file_response(
        request,
        document.file,
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type or "application/octet-stream",
        as_attachment=False,
    )


urlpatterns = [
    path("kho-du-lieu/", store, name="store"),
    path("kho-du-lieu/<int:pk>/xoa/", store_delete, name="store_delete"),
    path("kho-du-lieu/<int:pk>/tep/", store_file, name="store_file"),
    path("thu-tuc/<str:code>/nop-ho-so/", submit_start, name="submit_start"),
    path("ho-so/", my_list, name="my_list"),
    path("ho-so/nhap/<int:pk>/", draft_review, name="draft_review"),
    path("ho-so/nhap/<int:pk>/sua/", draft_edit, name="draft_edit"),
    path("ho-so/<str:code>/", my_detail, name="my_detail"),
    path("ho-so/<str:code>/bo-sung/", supplement, name="supplement"),
    path("ho-so/<str:code>/rut/", withdraw, name="withdraw"),
]
