"""The staff back office: the desk (queues and lists), a dossier's page with its actions,
counter intake for walk-in applicants, and protected access to the uploaded files.

Reads go through `selectors` (which carry the access rule: another agency's or unit's
dossier is a 404), writes through `services`; an `ApplicationError` becomes a Vietnamese
message in `_apply`, the one place that maps it.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.models import User
from cchc.accounts.policies import is_centre_officer
from cchc.audit.services import audit_record, client_ip
from cchc.core.errors import ApplicationError, NotFound
from cchc.core.files import protected_file_response
from cchc.core.paging import CappedPaginator, capped_count
from cchc.core.ratelimit import hit
from cchc.procedures.selectors import (
    offering_agencies,
    procedure_catalogue,
    procedure_version_in_force,
    process_steps,
)

from .. import policies, selectors, services, timeliness, workflow
from ..documents import render_form
from ..forms_office import CounterIntakeForm, DeskFilterForm, ProcedureChoiceForm, action_form_class
from ..models import DossierEvent, DossierStep
from ..policies import available_actions, open_step
from ..regimes import legal_basis_of, regime_by_code
from ..rules import ApplicantData
from ..workflow import Action, Status
from .citizen import stored_file_response

PAGE_SIZE = settings.CCHC_OFFICE_PAGE_SIZE
# A dossier in these statuses is running against its due moment (not paused, not finished).
RUNNING = workflow.OPEN - {Status.RESULT_READY, Status.WAITING_SUPPLEMENT}
# Where the service's field names for the applicant map onto the intake form.
APPLICANT_FIELDS = {
    "kind": "applicant_kind",
    "name": "applicant_name",
    "id_number": "applicant_id_number",
    "tax_code": "applicant_tax_code",
    "phone": "applicant_phone",
    "email": "applicant_email",
    "address": "applicant_address",
}


def staff_required(view):
    """Signed-in members of staff only: anonymous visitors go to the login page, applicants get 403."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not policies.may_use_desk(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _apply(request, call) -> object | None:
    """Run a service call; a refusal becomes an error message and None (nothing changed)."""
    try:
        return call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return None


# ---------------------------------------------------------------- the desk


class Tab:
    RECEPTION = "cho-tiep-nhan"
    MINE = "viec-cua-toi"
    DUE_SOON = "sap-den-han"
    LATE = "qua-han"
    ALL = "tat-ca"


TAB_LABELS = {
    Tab.RECEPTION: gettext_lazy("Chờ tiếp nhận"),
    Tab.MINE: gettext_lazy("Việc của tôi"),
    Tab.DUE_SOON: gettext_lazy("Sắp đến hạn (trong 1 ngày làm việc)"),
    Tab.LATE: gettext_lazy("Quá hạn"),
    Tab.ALL: gettext_lazy("Tất cả hồ sơ"),
}


def _tabs_for(user) -> list[str]:
    tabs = []
    if policies.works_at_counter(user):
        tabs.append(Tab.RECEPTION)
    if not policies.desk_is_read_only(user):
        tabs.append(Tab.MINE)
    return [*tabs, Tab.DUE_SOON, Tab.LATE, Tab.ALL]


def _tab_queryset(tab: str, user, filters: dict | None = None):
    if tab == Tab.RECEPTION:
        return selectors.reception_queue(user=user)
    if tab == Tab.MINE:
        return selectors.work_queue(user=user)
    if tab == Tab.DUE_SOON:
        return selectors.dossiers_due_soon(user=user)
    if tab == Tab.LATE:
        return selectors.dossiers_late(user=user)
    filters = filters or {}
    return selectors.dossier_list(
        user=user,
        status=filters.get("status") or "",
        received_from=filters.get("received_from"),
        received_to=filters.get("received_to"),
        q=filters.get("q") or "",
    ).exclude(status=Status.DRAFT)  # an applicant's unsubmitted draft is not the agency's business yet


def _for_list(queryset):
    return selectors.dossier_list_rows(queryset)


def _mark_late(rows, now, user) -> list:
    rows = list(rows)
    # A participating agency is late on its own passage through another agency's dossier (liên thông).
    passages = selectors.late_on_own_passage(user=user, dossier_ids=[row.pk for row in rows], now=now)
    for row in rows:
        row.is_late = timeliness.is_late_now(row, now) or row.pk in passages
    return rows


@require_GET
@staff_required
def desk(request):
    user = request.user
    tabs = _tabs_for(user)
    tab = request.GET.get("muc") or tabs[0]
    if tab not in tabs:
        tab = tabs[0]
    q = (request.GET.get("q") or "").strip()[:100]
    found = _exact_code(user, q)
    if found is not None:  # a code typed whole opens its dossier: one step, not a list of one
        return redirect(_detail_url(found))
    filter_form = DeskFilterForm(request.GET if tab == Tab.ALL else None)
    filters = filter_form.cleaned_data if tab == Tab.ALL and filter_form.is_valid() else {}
    listed = _tab_queryset(tab, user, filters)
    if tab != Tab.ALL:
        listed = selectors.dossier_search(listed, q)
    page = CappedPaginator(_for_list(listed), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _mark_late(page.object_list, timezone.now(), user)
    query = request.GET.copy()
    query.pop("page", None)
    sections = []
    for key in tabs:
        count, more = capped_count(_tab_queryset(key, user))
        sections.append({"key": key, "label": TAB_LABELS[key], "count": count, "more": more, "active": key == tab})
    return render(
        request,
        "dossiers/office/desk.html",
        {
            "sections": sections,
            "tab": tab,
            "tab_label": TAB_LABELS[tab],
            "filter_form": filter_form if tab == Tab.ALL else None,
            "q": q,
            "page": page,
            "query": query.urlencode(),
            "can_intake": policies.works_at_counter(user),
            "recent": request.session.get(RECENT_SESSION_KEY, []),
        },
    )


def _exact_code(user, q: str):
    if len(q) < 10 or " " in q:
        return None
    return selectors.dossier_visible_to(user).filter(code=q.upper()).exclude(status=Status.DRAFT).first()


# The dossiers an officer acted on last, newest first, so the one just handled stays one click away.
RECENT_SESSION_KEY = "office_recent_dossiers"
RECENT_KEPT = 5


def _remember(request, dossier) -> None:
    entry = {"url": _detail_url(dossier), "label": dossier.code or str(dossier), "name": dossier.applicant_name}
    kept = [e for e in request.session.get(RECENT_SESSION_KEY, []) if e.get("url") != entry["url"]]
    request.session[RECENT_SESSION_KEY] = [entry, *kept][:RECENT_KEPT]


# ---------------------------------------------------------------- one dossier


def _find(request, *, code: str | None = None, pk: int | None = None):
    """The dossier if the user may see it; 404 otherwise (nothing about it leaks)."""
    if code is not None:
        dossier = selectors.dossier_get(user=request.user, code=code)
    else:
        dossier = selectors.dossier_get_by_pk(user=request.user, pk=pk)
        if dossier is not None and dossier.code:
            dossier = selectors.dossier_get(user=request.user, code=dossier.code)
        elif dossier is not None:
            prefetch_related_objects(
                [dossier],
                Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("at", "id")),
                Prefetch("steps", queryset=DossierStep.objects.select_related("assignee", "unit", "process_step")),
                "documents__component",
                "supplement_requests",
            )
    if dossier is None or dossier.status == Status.DRAFT:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def _detail_url(dossier) -> str:
    if dossier.code:
        return reverse("dossiers:office_detail", kwargs={"code": dossier.code})
    return reverse("dossiers:office_detail_by_id", kwargs={"pk": dossier.pk})


def _act_url(dossier, action: str) -> str:
    if dossier.code:
        return reverse("dossiers:office_act", kwargs={"code": dossier.code, "action": action})
    return reverse("dossiers:office_act_by_id", kwargs={"pk": dossier.pk, "action": action})


def _file_url(dossier, document) -> str:
    if dossier.code:
        return reverse("dossiers:office_file", kwargs={"code": dossier.code, "document_id": document.pk})
    return reverse("dossiers:office_file_by_id", kwargs={"pk": dossier.pk, "document_id": document.pk})


def _statutory_url(dossier, form_key: str) -> str | None:
    """The PDF of a statutory form, if the documents view can produce it for this dossier."""
    if not dossier.code:
        # Refused or sent back for supplementation at the counter: no code, printed from here.
        return reverse("dossiers:office_form_by_id", kwargs={"pk": dossier.pk, "form": form_key})
    try:
        return reverse("dossiers:document", kwargs={"code": dossier.code, "form": form_key})
    except NoReverseMatch:
        return None


def _statutory_forms(dossier) -> list[dict]:
    """The statutory forms that exist for this dossier, with their numbers in its regime."""
    keys = []
    has_apology = hasattr(dossier, "apology")
    if dossier.received_at:
        keys.append(("receipt", _("In 2 bản: 1 bản giao người nộp, 1 bản lưu.")))
    if dossier.supplement_requests.all():
        keys.append(("supplement_request", ""))
    if dossier.status == Status.REFUSED:
        keys.append(("refusal", ""))
    if has_apology:
        keys.append(("apology", ""))
    if dossier.status == Status.STOPPED:
        keys.append(("stop_notice", ""))
    if dossier.received_at:
        keys.append(("control_slip", ""))
    regime = regime_by_code(dossier.regime)
    forms = []
    for key, note in keys:
        spec = regime.form(key)
        if spec is None:
            continue
        forms.append(
            {"key": key, "number": spec.number, "title": spec.title, "url": _statutory_url(dossier, key), "note": note}
        )
    return forms


# The move that advances the dossier comes first, the ones that stop or reverse it last.
ACTION_ORDER = (
    Action.RECEIVE,
    Action.SUPPLEMENT,
    Action.FORWARD,
    Action.APPROVE,
    Action.SIGN_RESULT,
    Action.RESULT_READY,
    Action.RETURN_RESULT,
    Action.ASSIGN,
    Action.REQUEST_SUPPLEMENT,
    Action.APOLOGIZE,
    Action.SEND_BACK,
    Action.NOT_APPROVE,
    Action.REFUSE,
    Action.STOP,
)


def _action_rank(action: str) -> int:
    return ACTION_ORDER.index(action) if action in ACTION_ORDER else len(ACTION_ORDER)


def _assignable_staff(dossier, run) -> list[User]:
    if run is None:
        return []
    # On an inter-agency dossier, the people of the agency whose step is open.
    staff = User.objects.filter(
        agency_id=run.agency_id or dossier.agency_id, is_active=True, role__in=policies.assignable_roles(run)
    )
    if run.unit_id:
        staff = staff.filter(unit_id=run.unit_id)
    return list(staff.order_by("full_name", "username"))


def _action_form(action: str, dossier, *, components, run, data=None, files=None):
    form_class = action_form_class(action)
    extra = {}
    if action == Action.ASSIGN:
        extra["staff"] = _assignable_staff(dossier, run)
    if action == Action.SUPPLEMENT:
        extra["components"] = components
    return form_class(data, files, action=action, dossier=dossier, **extra)


def _render_detail(request, dossier, *, bound_form=None, status=200):
    user = request.user
    position = services.position_of(dossier)
    run = open_step(dossier)
    version = dossier.procedure_version
    components = list(version.components.all())
    process = list(process_steps(version, dossier.agency_id).select_related("unit", "agency"))
    actions = sorted(available_actions(user, dossier, position), key=_action_rank)
    forms = []
    for action in actions:
        if bound_form is not None and bound_form.action == action:
            form = bound_form
        else:
            form = _action_form(action, dossier, components=components, run=run)
        forms.append({"form": form, "url": _act_url(dossier, action), "multipart": action == Action.SUPPLEMENT})
    now = timezone.now()
    documents = list(dossier.documents.all())
    for document in documents:
        document.url = _file_url(dossier, document) if document.file else ""
    handed_in = {d.component_id for d in documents}
    steps = list(dossier.steps.all())
    for step in steps:
        step.is_late = step.finished_at is None and step.due_at < now and dossier.status in RUNNING
    segments = list(dossier.segments.all())
    for segment in segments:
        segment.is_late = timeliness.segment_is_late(segment, dossier=dossier, at=now)
    apology = getattr(dossier, "apology", None)  # the reverse one-to-one raises an AttributeError when absent
    current = next((s for s in process if s.order == dossier.current_step), None)
    return render(
        request,
        "dossiers/office/detail.html",
        {
            "dossier": dossier,
            "version": version,
            "process": process,
            "current_step": current,
            "open_run": run,
            "steps": steps,
            "segments": segments,
            "documents": documents,
            "missing_components": [c for c in components if c.pk not in handed_in],
            "supplement_requests": list(dossier.supplement_requests.all()),
            "apology": apology,
            "events": list(dossier.events.all()),
            "action_forms": forms,
            "statutory_forms": _statutory_forms(dossier),
            "is_late": timeliness.is_late_now(dossier, now),
            "legal_basis": legal_basis_of(dossier),
            "read_only": policies.desk_is_read_only(user),
            "can_open_store": policies.may_consult_applicant_store(user, dossier.agency_id),
            "can_digitise": policies.may_digitise(user, dossier),
        },
        status=status,
    )


@require_GET
@staff_required
def detail(request, code: str | None = None, pk: int | None = None):
    dossier = _find(request, code=code, pk=pk)
    services.dossier_record_view(dossier=dossier, user=request.user, ip=client_ip(request))
    return _render_detail(request, dossier)


@require_POST
@staff_required
def act(request, action: str, code: str | None = None, pk: int | None = None):
    dossier = _find(request, code=code, pk=pk)
    if action not in workflow.TRANSITIONS:
        raise Http404(_("Thao tác không tồn tại."))
    components = list(dossier.procedure_version.components.all()) if action == Action.SUPPLEMENT else []
    form = _action_form(
        action, dossier, components=components, run=open_step(dossier), data=request.POST, files=request.FILES
    )
    if not form.is_valid():
        message = _("Chưa thực hiện được “%(action)s”: hãy xem lại nội dung nhập.") % {"action": form.label}
        messages.error(request, message)
        return _render_detail(request, dossier, bound_form=form, status=400)
    data = form.cleaned_data
    action_input = services.ActionInput(
        comment=data.get("comment") or "",
        assignee=data.get("assignee") or "",
        items=data.get("items") or [],
        new_due_at=data.get("new_due_at"),
        return_method=data.get("return_method") or "",
        documents=[
            services.DocumentInput(component_id=cid, file=upload, paper=paper)
            for cid, upload, paper in (form.component_inputs() if action == Action.SUPPLEMENT else [])
        ],
    )
    outcome = _apply(
        request,
        lambda: services.dossier_act_with_follow_ons(
            dossier=dossier,
            actor=request.user,
            action=action,
            data=action_input,
            ip=client_ip(request),
            expected_status=data["expected_status"],
        ),
    )
    if outcome is not None:
        done = outcome.dossier
        _remember(request, done)
        labels = ", ".join(str(Action(a).label) for a in outcome.done)
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": labels})
        if outcome.stopped:
            messages.warning(request, _("Chưa làm tiếp được: %(reason)s") % {"reason": outcome.stopped})
        # A unit's specialist still sees the dossier after handing it on (it passed through the unit).
        if selectors.dossier_visible_to(request.user).filter(pk=done.pk).exists():
            return redirect(_detail_url(done))
        return redirect("dossiers:office_home")
    return redirect(_detail_url(dossier))


@require_GET
@staff_required
def office_file(request, document_id: int, code: str | None = None, pk: int | None = None):
    """Stream an uploaded or scanned document after the access check; never a public URL."""
    dossier = _find(request, code=code, pk=pk)
    document = next((d for d in dossier.documents.all() if d.pk == document_id), None)
    if document is None or not document.file:
        raise Http404(_("Không tìm thấy tệp."))
    if document.component.holds_personal_data:
        audit_record(
            action="dossier.document_view",
            actor=request.user,
            object_type="dossier_document",
            object_id=document.pk,
            dossier_code=dossier.code or "",
            ip=client_ip(request),
        )
    return protected_file_response(
        request,
        document.file,
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type or "application/octet-stream",
        as_attachment=False,
    )


@require_GET
@staff_required
def office_form_by_id(request, pk: int, form: str):
    """A statutory form (02, 03) of a dossier that has no code yet, after the access check."""
    dossier = _find(request, pk=pk)
    try:
        pdf = render_form(dossier=dossier, form=form)
    except NotFound as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ho-so-{dossier.pk}-{form}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- counter intake


def _counter_officer(view):
    @wraps(view)
    @staff_required
    def wrapped(request, *args, **kwargs):
        if not policies.works_at_counter(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "POST"])
@_counter_officer
def counter_new(request):
    user = request.user
    params = request.GET
    q = (params.get("q") or "").strip()[:200]
    # A centre's or a commune's counter receives for every agency of the province; another only for its own.
    offered = "" if is_centre_officer(user) else user.agency.code
    procedures = list(procedure_catalogue(q=q, agency=offered)[:200])
    if q and not params.get("thu_tuc") and _one_clear_match(procedures):
        params = params.copy()
        params["thu_tuc"] = procedures[0].code
    chooser = ProcedureChoiceForm(params or None, procedures=procedures)
    procedure = version = None
    code = (params.get("thu_tuc") or "").strip()
    if code:
        procedure = next((p for p in procedures if p.code == code), None)
        if procedure is None:
            procedure = procedure_catalogue(q="", agency=offered).filter(code=code).first()
        if procedure is not None:
            version = procedure_version_in_force(procedure=procedure, at=timezone.now())
        if version is None:
            messages.error(request, _("Không tìm thấy thủ tục %(code)s của cơ quan.") % {"code": code})
            procedure = None
    form = None
    suggested_items = ""
    status = 200
    agencies, resolving = [], None
    if version is not None:
        agencies = [a for a in offering_agencies(procedure) if policies.may_receive_for(user, a)]
        chosen = (params.get("co_quan") or "").strip()
        resolving = next((a for a in agencies if a.code == chosen), None)
        if resolving is None and len(agencies) == 1:
            resolving = agencies[0]
        if resolving is None:
            version = None  # the officer chooses the resolving agency first
    if version is not None:
        request.session[INTAKE_SESSION_KEY] = procedure.code  # the data store may be consulted for it
        components = list(version.components.order_by("order"))
        fee = services.fee_for(version, online=False)
        if request.method == "POST":
            form = CounterIntakeForm(request.POST, request.FILES, components=components, fee=fee)
            if form.is_valid():
                dossier = _counter_submit(request, form, procedure, resolving)
                if dossier is not None:
                    request.session.pop(INTAKE_SESSION_KEY, None)
                    return redirect("dossiers:counter_result", pk=dossier.pk)
            suggested_items = "\n".join(form.unticked_required())
            status = 400
        else:
            returning = selectors.applicant_last_known(user=user, identifier=params.get("nguoi_nop") or "")
            if params.get("nguoi_nop") and not returning:
                messages.info(request, _("Chưa có hồ sơ nào của người nộp này: nhập thông tin mới."))
            form = CounterIntakeForm(components=components, fee=fee, initial=returning or None)
    elif request.method == "POST":
        messages.error(request, _("Hãy chọn thủ tục trước khi tiếp nhận hồ sơ."))
        status = 400
    return render(
        request,
        "dossiers/office/counter.html",
        {
            "chooser": chooser,
            "q": q,
            "procedure": procedure,
            "version": version,
            "form": form,
            "suggested_items": suggested_items,
            "returning_id": (params.get("nguoi_nop") or "")[:14],
            "agencies": agencies,
            "resolving": resolving,
        },
        status=status,
    )


def _one_clear_match(procedures) -> bool:
    """One procedure found, or only one whose name holds the whole phrase typed (ranked first)."""
    if len(procedures) == 1:
        return True
    return len(procedures) > 1 and procedures[0].rank == 0 and procedures[1].rank > 0


def _counter_submit(request, form, procedure, agency):
    data = form.cleaned_data
    applicant = ApplicantData(
        kind=data["applicant_kind"],
        name=data["applicant_name"],
        id_number=data["applicant_id_number"],
        tax_code=data["applicant_tax_code"],
        phone=data["applicant_phone"],
        email=data["applicant_email"],
        address=data["applicant_address"],
    )
    documents = [
        services.DocumentInput(component_id=cid, file=upload, paper=paper)
        for cid, upload, paper in form.component_inputs()
    ]
    try:
        dossier = services.dossier_counter_intake(
            officer=request.user,
            procedure=procedure,
            agency=agency,
            applicant=applicant,
            return_method=data["return_method"],
            documents=documents,
            decision=data["decision"],
            reason=data["reason"],
            items=data["item_list"],
            sets=data["sets"],
            ip=client_ip(request),
            fee_taken=bool(data.get("fee_taken")),
        )
        if dossier.status == Status.RECEIVED:  # hand it on at once where the process says so
            outcome = services.dossier_follow_ons(
                dossier=dossier, actor=request.user, after=Action.RECEIVE, ip=client_ip(request)
            )
            dossier = outcome.dossier
            if outcome.stopped:
                messages.warning(request, _("Chưa làm tiếp được: %(reason)s") % {"reason": outcome.stopped})
    except ApplicationError as exc:
        if exc.code == "invalid_applicant" and exc.details:
            for key, message in exc.details:
                form.add_error(APPLICANT_FIELDS.get(key), message)
        messages.error(request, exc.message)
        return None
    message = _("Đã lưu kết quả kiểm tra hồ sơ: %(status)s.") % {"status": dossier.get_status_display()}
    messages.success(request, message)
    return dossier


@require_GET
@_counter_officer
def counter_result(request, pk: int):
    dossier = _find(request, pk=pk)
    return render(
        request,
        "dossiers/office/counter_result.html",
        {
            "dossier": dossier,
            "detail_url": _detail_url(dossier),
            "statutory_forms": _statutory_forms(dossier),
            "supplement_request": next(iter(dossier.supplement_requests.all()), None),
        },
    )


# The counter page keeps here the procedure whose intake the officer has open: the data store
# may be consulted for that intake only.
INTAKE_SESSION_KEY = "counter_intake_procedure"
# The purpose recorded in the audit log with every look-up and every file opened.
_STORE_PURPOSES = {
    "receive": gettext_lazy("Tiếp nhận hồ sơ trực tuyến của người nộp"),
    "counter_intake": gettext_lazy("Tiếp nhận hồ sơ tại Bộ phận Một cửa"),
}


def _store_lookup(request) -> selectors.StoreLookup | None:
    params = request.GET
    return selectors.store_lookup_scope(
        officer=request.user,
        dossier_code=(params.get("ho_so") or "").strip()[:40],
        procedure_code=(params.get("thu_tuc") or "").strip()[:20],
        identifier=(params.get("dinh_danh") or "")[:20],
        intake_procedure=request.session.get(INTAKE_SESSION_KEY, ""),
    )


def _store_rate_limited(request) -> bool:
    return not hit(
        scope="store_lookup",
        key=str(request.user.pk),
        limit=settings.CCHC_STORE_LOOKUPS_PER_HOUR,
        window=3600,
    )


@require_GET
@_counter_officer
def store_lookup(request):
    """At the counter: the applicant's stored documents of the kinds the procedure asks for, while
    their dossier is being received or taken at the counter (`selectors.store_lookup_scope`)."""
    if not {"ho_so", "thu_tuc", "dinh_danh"} & set(request.GET):
        return render(request, "dossiers/office/store_lookup.html", {"lookup": None})
    if _store_rate_limited(request):
        response = render(
            request,
            "dossiers/office/store_lookup.html",
            {"lookup": None, "limited": True},
            status=429,
        )
        response["Retry-After"] = "3600"
        return response
    lookup = _store_lookup(request)
    if lookup is None:
        raise Http404(_("Không tìm thấy hồ sơ đang tiếp nhận của người nộp này."))
    documents = selectors.store_documents_for_lookup(lookup=lookup).select_related("source_dossier")
    _audit_store(request, lookup, action="store.lookup", object_type="stored_documents", object_id=lookup.identifier)
    return render(
        request,
        "dossiers/office/store_lookup.html",
        {"lookup": lookup, "documents": documents, "query": request.GET.urlencode()},
    )


@require_GET
@_counter_officer
def store_lookup_file(request, pk: int):
    lookup = _store_lookup(request)
    document = selectors.store_documents_for_lookup(lookup=lookup).filter(pk=pk).first() if lookup else None
    if document is None:
        raise Http404(_("Không tìm thấy giấy tờ."))
    _audit_store(request, lookup, action="store.document_view", object_type="stored_document", object_id=document.pk)
    return stored_file_response(request, document)


def _audit_store(request, lookup, *, action: str, object_type: str, object_id) -> None:
    """Every look-up and every file opened, with the purpose it was allowed for."""
    audit_record(
        action=action,
        actor=request.user,
        object_type=object_type,
        object_id=object_id,
        dossier_code=lookup.dossier.code if lookup.dossier else "",
        reason=str(_STORE_PURPOSES[lookup.purpose]),
        ip=client_ip(request),
        data=lookup.audit_data(),
    )


urlpatterns = [
    path("can-bo/kho-du-lieu/", store_lookup, name="store_lookup"),
    path("can-bo/kho-du-lieu/<int:pk>/tep/", store_lookup_file, name="store_lookup_file"),
    path("can-bo/ho-so/", desk, name="office_home"),
    path("can-bo/tiep-nhan/", counter_new, name="counter_new"),
    path("can-bo/tiep-nhan/ket-qua/<int:pk>/", counter_result, name="counter_result"),
    # Dossiers refused or sent back for supplementation at the counter have no code yet.
    path("can-bo/ho-so/chua-co-ma/<int:pk>/", detail, name="office_detail_by_id"),
    path("can-bo/ho-so/chua-co-ma/<int:pk>/tep/<int:document_id>/", office_file, name="office_file_by_id"),
    path("can-bo/ho-so/chua-co-ma/<int:pk>/thao-tac/<str:action>/", act, name="office_act_by_id"),
    path("can-bo/ho-so/chua-co-ma/<int:pk>/mau/<str:form>/", office_form_by_id, name="office_form_by_id"),
    path("can-bo/ho-so/<str:code>/", detail, name="office_detail"),
    path("can-bo/ho-so/<str:code>/tep/<int:document_id>/", office_file, name="office_file"),
    path("can-bo/ho-so/<str:code>/thao-tac/<str:action>/", act, name="office_act"),
]
