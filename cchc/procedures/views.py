"""Public catalogue pages and the reform officer's import/export."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.accounts.models import Agency
from cchc.core import clock
from cchc.core.errors import ApplicationError
from cchc.core.files import protected_file_response
from cchc.core.text import fold

from .form_templates import FORMATS as FORM_FORMATS
from .forms import CatalogueFilterForm, CatalogueImportForm
from .selectors import (
    catalogue_specs,
    field_list_with_counts,
    offering_agencies,
    offering_for,
    procedure_appointment,
    procedure_catalogue,
    procedure_get_published,
    procedure_most_used,
    process_steps,
)
from .services import catalogue_import
from .spreadsheet import catalogue_to_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def home(request):
    return render(
        request,
        "procedures/home.html",
        {
            "form": CatalogueFilterForm(),
            "fields": field_list_with_counts(),
            "most_used": procedure_most_used(limit=6),
        },
    )


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    procedures = procedure_catalogue(
        q=filters.get("q") or "",
        field=filters.get("field") or "",
        level=filters.get("level"),
        unit=filters.get("unit") or "",
    )
    page = Paginator(procedures, settings.CCHC_CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/catalogue.html",
        {"form": form, "page": page, "query": query.urlencode(), "q": filters.get("q") or ""},
    )


def procedure_detail(request, code: str):
    procedure = procedure_get_published(code=code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    version = procedure.current_version
    agencies = offering_agencies(procedure)
    chosen = next((a for a in agencies if a.code == request.GET.get("co_quan", "")), None)
    if chosen is None and len(agencies) == 1:
        chosen = agencies[0]
    offering = offering_for(procedure=procedure, agency=chosen) if chosen is not None else None
    search = (request.GET.get("tim_co_quan") or "")[:100]
    words = fold(search).split()
    listed = [a for a in agencies if all(word in fold(a.name) for word in words)]
    appointment = procedure_appointment(version=version, received_at=clock.now(), agency=chosen)
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "version": version,
            "appointment": appointment,
            "agencies": agencies,
            "listed_agencies": listed,
            "agency_search": search,
            "chosen_agency": chosen,
            "offering": offering,
            "steps": process_steps(version, chosen.pk).select_related("unit") if offering else version.steps.all(),
            "online_level": offering.online_level_for(version) if offering else version.online_level,
        },
    )


def _published_component(code: str, pk: int):
    procedure = procedure_get_published(code=code)
    if procedure is None:
        return None
    return procedure.current_version.components.select_related("form_template").filter(pk=pk).first()


def component_template(request, code: str, pk: int):
    """The blank form of a component of a published procedure's version in force: public, like the
    catalogue. An uploaded file comes first; otherwise the imported template's `.docx`."""
    component = _published_component(code, pk)
    form = getattr(component, "form_template", None) if component is not None else None
    if component is not None and not component.template and form is not None:
        return form_template_download(request, code, pk, "docx")
    if component is None or not component.template:
        raise Http404(_("Không tìm thấy mẫu đơn."))
    stored = component.template.name.rsplit("/", 1)[-1]
    return protected_file_response(
        request,
        component.template,
        filename=component.template_name or stored,
        content_type=mimetypes.guess_type(stored)[0] or "application/octet-stream",
        as_attachment=True,
    )


def form_template_download(request, code: str, pk: int, fmt: str):
    """A form template of the version in force as `.docx` or `.pdf`, named as the catalogue names it."""
    component = _published_component(code, pk)
    form = getattr(component, "form_template", None) if component is not None else None
    stored = form.file_of(fmt) if form is not None else None
    if stored is None:
        raise Http404(_("Không tìm thấy mẫu đơn."))
    return protected_file_response(
        request, stored, filename=form.file_name(fmt), content_type=FORM_FORMATS[fmt], as_attachment=True
    )


@permission_required("procedures.view_procedure", raise_exception=True)
def catalogue_export(request):
    data = catalogue_to_workbook(catalogue_specs())
    response = HttpResponse(data, content_type=XLSX)
    filename = f"danh-muc-thu-tuc-{clock.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required("procedures.change_procedure", raise_exception=True)
def catalogue_import_view(request):
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    agencies = Agency.objects.all()
    agency = request.user.agency or agencies.first()
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            report = catalogue_import(agency=agency, data=form.cleaned_data["file"].read(), actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            problems = exc.details
        else:
            messages.success(
                request,
                _("Đã nhập danh mục: %(created)s thủ tục mới, %(new)s thủ tục có phiên bản mới, %(same)s không đổi.")
                % {"created": report.created, "new": report.new_versions, "same": report.unchanged},
            )
            return redirect("procedures:import")
    return render(request, "procedures/import.html", {"form": form, "problems": problems, "agency": agency})
