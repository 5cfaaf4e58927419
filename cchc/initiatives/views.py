"""Initiative pages: the register (filter by unit and status), one initiative with its effect on
the linked indicators, and the forms to register, edit and move it along its lifecycle.

Reads go through `selectors` (another unit's initiative is a 404), writes through `services`; a
refusal becomes a form error or a message and changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.audit.services import client_ip
from cchc.core.errors import ApplicationError
from cchc.core.forms import add_application_error, error_status
from cchc.dossiers.views.office import staff_required

from . import selectors, services
from .forms import InitiativeForm, StatusForm
from .models import Initiative
from .policies import may_edit, may_register

PAGE_SIZE = 20


def _get(request, pk: int) -> Initiative:
    initiative = selectors.initiative_get(user=request.user, pk=pk)
    if initiative is None:
        raise Http404(_("Không tìm thấy sáng kiến."))
    return initiative


@staff_required
@require_GET
def initiative_list(request):
    error = ""
    try:
        unit, status = selectors.parse_filters(
            user=request.user, unit_code=request.GET.get("unit", ""), status=request.GET.get("status", "")
        )
        rows = selectors.initiatives_list(user=request.user, unit=unit, status=status)
    except ApplicationError as exc:
        error, unit, status = exc.message, None, ""
        rows = Initiative.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "error": error,
        "units": selectors.filter_units(user=request.user),
        "statuses": Initiative.Status.choices,
        "selected": {"unit": unit.code if unit else "", "status": status},
        "can_register": may_register(request.user),
    }
    return render(request, "initiatives/list.html", context, status=400 if error else 200)


@staff_required
@require_GET
def initiative_detail(request, pk: int):
    initiative = _get(request, pk)
    editable = may_edit(request.user, initiative)
    context = {
        "initiative": initiative,
        "effect": selectors.initiative_effect(initiative=initiative),
        "window_months": selectors.window_months(),
        "can_edit": editable,
        "status_form": StatusForm(current=initiative.status) if editable else None,
    }
    return render(request, "initiatives/detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    if not may_register(request.user):
        raise DjangoPermissionDenied
    units = selectors.editable_units(user=request.user)
    initial = {"unit": request.user.unit_id} if units.filter(pk=request.user.unit_id).exists() else {}
    form = InitiativeForm(request.POST if request.method == "POST" else None, units=units, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                initiative = services.initiative_create(
                    user=request.user, data=form.to_input(), status=form.cleaned_data["status"], ip=client_ip(request)
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã đăng ký sáng kiến “%(title)s”.") % {"title": initiative.title})
                return redirect("initiatives:detail", pk=initiative.pk)
        else:
            status = 400
    return render(request, "initiatives/form.html", {"form": form, "initiative": None}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk: int):
    initiative = _get(request, pk)
    if not may_edit(request.user, initiative):
        raise DjangoPermissionDenied
    units = selectors.editable_units(user=request.user)
    posted = request.method == "POST"
    form = InitiativeForm(
        request.POST if posted else None,
        units=units,
        editing=initiative,
        initial=InitiativeForm.initial_from(initiative),
    )
    status = 200
    if posted:
        if form.is_valid():
            try:
                services.initiative_update(
                    initiative=initiative, user=request.user, data=form.to_input(), ip=client_ip(request)
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("initiatives:detail", pk=initiative.pk)
        else:
            status = 400
    return render(request, "initiatives/form.html", {"form": form, "initiative": initiative}, status=status)


@staff_required
@require_POST
def initiative_status(request, pk: int):
    initiative = _get(request, pk)
    form = StatusForm(request.POST, current=initiative.status)
    if not form.is_valid():
        messages.error(request, _("Chọn trạng thái mới hợp lệ."))
        return redirect("initiatives:detail", pk=initiative.pk)
    try:
        initiative = services.initiative_set_status(
            initiative=initiative,
            user=request.user,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Sáng kiến chuyển sang “%(status)s”.") % {"status": initiative.get_status_display()}
        )
    return redirect("initiatives:detail", pk=initiative.pk)


urlpatterns = [
    path("cai-cach/sang-kien/", initiative_list, name="list"),
    path("cai-cach/sang-kien/them/", initiative_create, name="create"),
    path("cai-cach/sang-kien/<int:pk>/", initiative_detail, name="detail"),
    path("cai-cach/sang-kien/<int:pk>/sua/", initiative_edit, name="edit"),
    path("cai-cach/sang-kien/<int:pk>/trang-thai/", initiative_status, name="status"),
]
