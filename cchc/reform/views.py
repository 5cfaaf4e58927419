"""PAR Index pages under /cai-cach/chi-so-par/: the year's index, a criterion, loading and exporting
the criteria template, the appraisal and the comparison with the self-assessment and earlier years.

Reads go through `selectors` (the agency's staff only: another agency's year is a 404), writes
through `services`; a refusal becomes a form error or a message and changes nothing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.audit.services import client_ip
from cchc.core import clock
from cchc.core.errors import ApplicationError
from cchc.core.files import protected_file_response
from cchc.core.forms import add_application_error

from . import criteria_file, policies, selectors, services
from .exports import par_year_workbook
from .forms import AppraisalForm, CriterionForm, EvidenceForm, TemplateLoadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOST_SHOWN = 10
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}
SCORE_ERROR_FIELDS = {
    "bad_score": "self_score",
    "score_out_of_range": "self_score",
    "parent_score": "self_score",
    "computed_score": "self_score",
    "notes_too_long": "notes",
    "unit_not_found": "responsible_unit",
}


def reform_staff_required(view):
    """Signed-in staff of an agency: anonymous visitors go to the login page, everyone else gets 403."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not policies.may_view(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _year_param(request) -> int | None:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) != 4:
        raise Http404(_("Không tìm thấy năm đánh giá."))
    return int(raw)


def _par_year(request, year: int | None):
    par_year = selectors.par_year_for(user=request.user, year=year)
    if par_year is None and year is not None:
        raise Http404(_("Không tìm thấy năm đánh giá."))
    return par_year


def _criterion(request, year: int, code: str):
    criterion = selectors.criterion_for(user=request.user, year=year, code=code)
    if criterion is None:
        raise Http404(_("Không tìm thấy tiêu chí."))
    return criterion


# ---------------------------------------------------------------- the index


@reform_staff_required
@require_GET
def par_index(request):
    par_year = _par_year(request, _year_param(request))
    years = list(selectors.par_years_visible_to(request.user).order_by("-year").values_list("year", flat=True))
    may_manage = policies.may_manage(request.user)
    if par_year is None:
        return render(request, "reform/par_index_empty.html", {"may_manage": may_manage})
    result = selectors.par_index(par_year=par_year)
    context = {
        "par_year": par_year,
        "result": result,
        "years": years,
        "may_manage": may_manage,
        "lost_top": result.lost[:LOST_SHOWN],
        "lost_rest": result.lost[LOST_SHOWN:],
    }
    return render(request, "reform/par_index.html", context)


# ---------------------------------------------------------------- a criterion


@reform_staff_required
@require_http_methods(["GET", "POST"])
def criterion_detail(request, year: int, code: str):
    criterion = _criterion(request, year, code)
    row = selectors.criterion_scored(criterion=criterion)
    may_edit = policies.may_edit_criterion(request.user, criterion)
    may_assign = policies.may_manage(request.user, criterion.par_year.agency_id)
    may_score = row is not None and row.may_edit_score
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not may_edit:
        raise PermissionDenied
    initial = {
        "self_score": _vn(criterion.self_score),
        "notes": criterion.notes,
        "responsible_unit": criterion.responsible_unit_id,
    }
    score_form = CriterionForm(
        request.POST if action == "score" else None,
        initial=initial,
        criterion=criterion,
        may_score=may_score,
        may_assign=may_assign,
    )
    evidence_form = EvidenceForm(
        request.POST if action == "evidence" else None, request.FILES if action == "evidence" else None
    )
    status = 200
    if action == "score":
        if score_form.is_valid():
            data = score_form.cleaned_data
            try:
                services.criterion_update(
                    criterion=criterion,
                    actor=request.user,
                    self_score=(data.get("self_score") or None) if may_score else None,
                    notes=data["notes"],
                    responsible_unit=data["responsible_unit"] if may_assign else criterion.responsible_unit,
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                field = SCORE_ERROR_FIELDS.get(exc.code)
                score_form.add_error(field if field in score_form.fields else None, exc.message)
                status = exc.status if 400 <= exc.status < 500 else 400
            else:
                messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": criterion.code})
                return redirect("reform:criterion", year=year, code=code)
        else:
            status = 400
    elif action == "evidence":
        if evidence_form.is_valid():
            data = evidence_form.cleaned_data
            try:
                services.evidence_add(
                    criterion=criterion,
                    actor=request.user,
                    title=data["title"],
                    file=data["file"],
                    link=data["link"],
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                field = "link" if exc.code in ("bad_link", "dossier_not_found", "link_too_long") else "file"
                if exc.code == "file_or_link":
                    field = None
                evidence_form.add_error(field, exc.message)
                status = exc.status if 400 <= exc.status < 500 else 400
            else:
                messages.success(request, _("Đã thêm tài liệu kiểm chứng."))
                return redirect("reform:criterion", year=year, code=code)
        else:
            status = 400
    elif action is not None:
        status = 400
    context = {
        "criterion": criterion,
        "par_year": criterion.par_year,
        "row": row,
        "children": selectors.criterion_children(criterion),
        "evidence": selectors.criterion_evidence(criterion),
        "may_edit": may_edit,
        "may_score": may_score,
        "score_form": score_form if may_edit else None,
        "evidence_form": evidence_form if may_edit else None,
    }
    return render(request, "reform/criterion.html", context, status=status)


@reform_staff_required
@require_POST
def evidence_remove(request, year: int, code: str, pk: int):
    criterion = _criterion(request, year, code)
    evidence = selectors.evidence_for(user=request.user, pk=pk)
    if evidence is None or evidence.criterion_id != criterion.pk:
        raise Http404(_("Không tìm thấy tài liệu kiểm chứng."))
    try:
        services.evidence_remove(evidence=evidence, actor=request.user, ip=client_ip(request))
    except ApplicationError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tài liệu kiểm chứng “%(title)s”.") % {"title": evidence.title})
    return redirect("reform:criterion", year=year, code=code)


@reform_staff_required
@require_GET
def evidence_file(request, pk: int):
    evidence = selectors.evidence_for(user=request.user, pk=pk)
    if evidence is None or not evidence.file:
        raise Http404(_("Không tìm thấy tài liệu kiểm chứng."))
    name = evidence.original_name or evidence.file.name.rsplit("/", 1)[-1]
    return protected_file_response(
        request,
        evidence.file,
        content_type=evidence.content_type or "application/octet-stream",
        as_attachment=evidence.content_type not in INLINE_TYPES,
        filename=name,
    )


def _vn(value) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",")


# ---------------------------------------------------------------- the template


@reform_staff_required
@require_http_methods(["GET", "POST"])
def template_load(request):
    if not policies.may_manage(request.user):
        raise PermissionDenied
    form = TemplateLoadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload is not None:
                data, filename = upload.read(), upload.name
            else:
                data, filename = criteria_file.SAMPLE_TEMPLATE.read_bytes(), criteria_file.SAMPLE_TEMPLATE.name
            year = form.cleaned_data["year"]
            try:
                services.par_year_load(
                    agency=request.user.agency,
                    year=year,
                    data=data,
                    filename=filename,
                    actor=request.user,
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                problems = [str(p) for p in exc.details]
                status = exc.status if 400 <= exc.status < 500 else 400
            else:
                messages.success(request, _("Đã nạp bộ tiêu chí năm %(year)s.") % {"year": year})
                return redirect(f"{reverse('reform:par_index')}?year={year}")
        else:
            status = 400
    return render(request, "reform/load.html", {"form": form, "problems": problems}, status=status)


@reform_staff_required
@require_GET
def template_export(request, year: int):
    par_year = _par_year(request, year)
    response = HttpResponse(par_year_workbook(par_year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bo-tieu-chi-chi-so-cchc-{year}.xlsx"'
    return response


@reform_staff_required
@require_GET
def sample_export(request):
    spec = criteria_file.read_yaml(criteria_file.SAMPLE_TEMPLATE.read_bytes())
    response = HttpResponse(criteria_file.write_workbook(spec), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="bo-tieu-chi-mau-chi-so-cchc.xlsx"'
    return response


# ---------------------------------------------------------------- appraisal and comparison


@reform_staff_required
@require_http_methods(["GET", "POST"])
def appraisal(request, year: int):
    par_year = _par_year(request, year)
    if not policies.may_manage(request.user, par_year.agency_id):
        raise PermissionDenied
    leaves = selectors.appraisal_leaves(par_year=par_year)
    initial = {"appraised_on": par_year.appraised_on or clock.localdate()}
    form = AppraisalForm(request.POST or None, initial=initial, leaves=leaves)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.par_year_appraise(
                    par_year=par_year,
                    actor=request.user,
                    scores=form.scores(),
                    appraised_on=form.cleaned_data["appraised_on"],
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                by_code = {leaf.code: form.field_name(leaf) for leaf in leaves} | {"appraised_on": "appraised_on"}
                add_application_error(form, exc, by_code)
                status = exc.status if 400 <= exc.status < 500 else 400
            else:
                messages.success(request, _("Đã lưu kết quả thẩm định năm %(year)s.") % {"year": year})
                return redirect("reform:comparison", year=year)
        else:
            status = 400
    return render(request, "reform/appraisal.html", {"par_year": par_year, "form": form}, status=status)


def _difference(row):
    """Appraised − self-assessed, as the two columns beside it show them (a domain's from its totals)."""
    scored = row.scored
    if scored.appraised_score is None or scored.computed_score is None:
        return None
    return scored.appraised_score - scored.computed_score


@reform_staff_required
@require_GET
def comparison(request, year: int):
    par_year = _par_year(request, year)
    result = selectors.par_index(par_year=par_year)
    earlier = selectors.earlier_years(par_year=par_year)
    rows = [
        {
            "row": row,
            "difference": _difference(row),
            "earlier": [year_.by_code.get(row.scored.code) for year_ in earlier],
        }
        for row in result.rows
    ]
    context = {
        "par_year": par_year,
        "result": result,
        "rows": rows,
        "earlier": earlier,
        "may_manage": policies.may_manage(request.user, par_year.agency_id),
    }
    return render(request, "reform/comparison.html", context)


urlpatterns = [
    path("cai-cach/chi-so-par/", par_index, name="par_index"),
    path("cai-cach/chi-so-par/nap-bo-tieu-chi/", template_load, name="template_load"),
    path("cai-cach/chi-so-par/bo-tieu-chi-mau.xlsx", sample_export, name="sample_export"),
    path("cai-cach/chi-so-par/kiem-chung/<int:pk>/", evidence_file, name="evidence_file"),
    path("cai-cach/chi-so-par/<int:year>/bo-tieu-chi.xlsx", template_export, name="template_export"),
    path("cai-cach/chi-so-par/<int:year>/tham-dinh/", appraisal, name="appraisal"),
    path("cai-cach/chi-so-par/<int:year>/so-sanh/", comparison, name="comparison"),
    path("cai-cach/chi-so-par/<int:year>/tieu-chi/<str:code>/", criterion_detail, name="criterion"),
    path(
        "cai-cach/chi-so-par/<int:year>/tieu-chi/<str:code>/kiem-chung/<int:pk>/xoa/",
        evidence_remove,
        name="evidence_remove",
    ),
]
