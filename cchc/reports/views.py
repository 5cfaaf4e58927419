"""Service-quality pages: the index for a period and scope (staff), the list behind each figure
(staff, through the access rules of dossiers and complaints), and the public monthly quality
table (no sign-in, no personal data, cached for ten minutes).

Reads go through `selectors`, which also decide who may see which scope; an `ApplicationError`
becomes a 403/404 or a message on the page in `_scope_or_error`, the one place that maps it.
"""

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.models import Agency
from cchc.audit.services import client_ip
from cchc.core import clock
from cchc.core.errors import ApplicationError, NotFound
from cchc.core.errors import PermissionDenied as ReportForbidden
from cchc.core.forms import add_application_error
from cchc.core.replica import replica_reads
from cchc.dossiers import timeliness
from cchc.dossiers.selectors import dossier_list_rows

from . import policies, selectors, services
from .config import NATIONAL_ENTERED, indicator_spec, national_mode
from .forms import NationalFigureForm, national_indicator_choices
from .policies import may_enter_national_figures
from .rankings import parse_ranking, ranking, ranking_period

PAGE_SIZE = settings.CCHC_OFFICE_PAGE_SIZE
PUBLIC_CACHE_SECONDS = 600
PROVINCE_CHOICE = "toan-tinh"
PART_LABELS = {"numerator": gettext_lazy("Tử số"), "denominator": gettext_lazy("Mẫu số")}


def _scope_or_error(request):
    """The scope asked for, or (None, message) for bad input; 403 and 404 are raised as such."""
    try:
        return selectors.report_scope(user=request.user, params=request.GET), None
    except ReportForbidden as exc:
        raise PermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ApplicationError as exc:
        return None, exc.message


def _staff(request) -> None:
    if not policies.may_open_reports(request.user):
        raise PermissionDenied


def _choices(request, scope) -> dict:
    agency = scope.agency if scope is not None else request.user.agency
    if agency is None:
        return {}
    return selectors.scope_choices(user=request.user, agency=agency)


@replica_reads
@require_GET
@login_required
def index(request):
    _staff(request)
    scope, error = _scope_or_error(request)
    result = selectors.service_index_for(scope) if scope is not None else None
    return render(
        request,
        "reports/index.html",
        {
            "scope": scope,
            "error": error,
            "result": result,
            "choices": _choices(request, scope),
            "asked": request.GET,
            "scope_query": urlencode(scope.params()) if scope is not None else "",
            "can_enter_national": may_enter_national_figures(request.user) and national_mode() == NATIONAL_ENTERED,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def national_figures(request):
    """The reform officer enters, month by month, the figures the national portal shows for the
    indicators CCHC cannot measure itself; the index reads them (`selectors.national_figures`)."""
    user = request.user
    if not may_enter_national_figures(user):
        raise PermissionDenied
    form = NationalFigureForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.national_figure_set(
                    agency=user.agency,
                    indicator=data["indicator"],
                    month=data["month"],
                    numerator=data["numerator"],
                    denominator=data["denominator"],
                    source=data["source"],
                    actor=user,
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = 400
            else:
                messages.success(request, _("Đã lưu số liệu tháng %(month)s.") % {"month": f"{data['month']:%m/%Y}"})
                return redirect("reports:national_figures")
        else:
            status = 400
    names = dict(national_indicator_choices())
    rows = list(selectors.national_figure_list(agency=user.agency))
    for row in rows:
        row.indicator_name = names.get(row.indicator, row.indicator)
    return render(
        request,
        "reports/national_figures.html",
        {"form": form, "rows": rows, "mode": national_mode(), "entered": NATIONAL_ENTERED},
        status=status,
    )


@require_POST
@login_required
def national_figure_delete(request, pk: int):
    if not may_enter_national_figures(request.user):
        raise PermissionDenied
    try:
        services.national_figure_delete(figure_id=pk, actor=request.user, ip=client_ip(request))
    except NotFound as exc:
        raise Http404(exc.message) from None
    messages.success(request, _("Đã xóa số liệu: tháng đó chỉ số được tính 0 điểm."))
    return redirect("reports:national_figures")


def _for_list(queryset):
    return dossier_list_rows(queryset)


def _ordered(kind: str, rows):
    if kind == "dossiers":
        return _for_list(rows).order_by("-finished_at", "-received_at", "-id")
    if kind == "complaints":
        return rows.select_related("dossier", "procedure", "unit").order_by("due_at", "id")
    return rows.select_related("current_version__unit").order_by("code")


@replica_reads
@require_GET
@login_required
def drilldown(request, code: str, part: str):
    _staff(request)
    part = selectors.SLUG_PARTS.get(part)
    spec = indicator_spec(code)
    if part is None or spec is None or code not in selectors.LISTS:
        raise Http404(_("Không có danh sách này."))
    scope, error = _scope_or_error(request)
    page = kind = None
    if scope is not None:
        try:
            kind, rows = selectors.indicator_items(code=code, part=part, scope=scope)
        except NotFound as exc:
            raise Http404(exc.message) from None
        rows = _ordered(kind, selectors.visible_items(user=request.user, kind=kind, rows=rows))
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        if kind == "dossiers":
            now = clock.now()
            page.object_list = list(page.object_list)
            for row in page.object_list:
                row.is_late = timeliness.is_late_now(row, now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/drilldown.html",
        {
            "spec": spec,
            "part": part,
            "part_label": PART_LABELS[part],
            "scope": scope,
            "error": error,
            "kind": kind,
            "page": page,
            "query": query.urlencode(),
            "back_query": query.urlencode(),
        },
    )


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


MEASURES = (
    ("on_time", gettext_lazy("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn")),
    ("online", gettext_lazy("Tỷ lệ hồ sơ nộp trực tuyến")),
    ("satisfaction", gettext_lazy("Chỉ số hài lòng của người dân, doanh nghiệp")),
)


def _measure_tables(table: dict) -> list[dict]:
    """One table per measure: the agency, then each unit and each procedure, month by month."""

    labels = [month["label"] for month in table["months"]]

    def values(months: list[dict], key: str) -> list:
        # Each value with its month's label: on a phone the table is a stack of cards, one line a month.
        return [(label, month[key]) for label, month in zip(labels, months, strict=True)]

    return [
        {
            "key": key,
            "label": label,
            "unit_rows": [{"name": _("Toàn cơ quan"), "values": values(table["total"], key)}]
            + [{"name": row["name"], "values": values(row["months"], key)} for row in table["units"]],
            "procedure_rows": [
                {"code": row["code"], "name": row["name"], "values": values(row["months"], key)}
                for row in table["procedures"]
            ],
        }
        for key, label in MEASURES
    ]


LEVEL_LABELS = [
    (Agency.Level.COMMUNE.value, Agency.Level.COMMUNE.label),
    (Agency.Level.DEPARTMENT.value, Agency.Level.DEPARTMENT.label),
]


@replica_reads
@require_GET
def rankings_page(request):
    """Public: departments or communes ranked by the service index for a month, a quarter or a year;
    each total links to the index page with its drill-down to the dossiers (for staff who may see it)."""
    today = clock.localdate()
    asked = {
        "level": request.GET.get("cap") or "commune",
        "year": request.GET.get("nam") or str(today.year),
        "month": request.GET.get("thang") or "",
        "quarter": request.GET.get("quy") or "",
    }
    rows, error, period = [], None, None
    try:
        checked = parse_ranking(**asked)
    except ApplicationError as exc:
        error = exc.message
    else:
        rows = ranking(**checked)
        period = ranking_period(year=checked["year"], month=checked["month"], quarter=checked["quarter"])
    return render(
        request,
        "reports/rankings.html",
        {"rows": rows, "error": error, "asked": asked, "period": period, "levels": LEVEL_LABELS},
    )


@replica_reads
@require_GET
def transparency(request):
    """Public: on-time share, online share and satisfaction, per unit and per procedure, month by month."""
    today = clock.localdate()
    agencies = list(selectors.public_agencies())
    if not agencies:
        raise Http404(_("Chưa có cơ quan nào công bố thủ tục."))
    centres = list(selectors.public_centres())
    # Whose table: an agency (`co-quan`), what a one-stop point received (`noi-tiep-nhan`), or the
    # whole province (`co-quan=toan-tinh`).
    whole_province = request.GET.get("co-quan") == PROVINCE_CHOICE
    centre = next((c for c in centres if c.code == request.GET.get("noi-tiep-nhan")), None)
    agency = None
    if not whole_province and centre is None:
        agency = next((a for a in agencies if a.code == request.GET.get("co-quan")), agencies[0])
    year = _int(request.GET.get("nam"), today.year)
    month = _int(request.GET.get("thang"), today.month)
    error = None
    if not (2000 <= year <= today.year and 1 <= month <= 12) or date(year, month, 1) > today:
        error = _("Tháng, năm không hợp lệ: hiển thị tháng hiện tại.")
        year, month = today.year, today.month
    whose = f"a{agency.pk}" if agency is not None else (f"c{centre.pk}" if centre is not None else "province")
    key = f"reports:transparency:{whose}:{year}:{month}"
    table = cache.get(key)
    if table is None:
        table = selectors.quality_by_month(agency=agency, centre=centre, year=year, month=month)
        cache.set(key, table, PUBLIC_CACHE_SECONDS)
    return render(
        request,
        "reports/transparency.html",
        {
            "agencies": agencies,
            "agency": agency,
            "centres": centres,
            "centre": centre,
            "whole_province": whole_province,
            "province_choice": PROVINCE_CHOICE,
            "year": year,
            "month": month,
            "years": list(range(today.year, today.year - 5, -1)),
            "month_numbers": list(range(1, 13)),
            "months": table["months"],
            "measures": _measure_tables(table),
            "error": error,
        },
    )


urlpatterns = [
    path("can-bo/bao-cao/chi-so/", index, name="index"),
    path("can-bo/bao-cao/chi-so/so-lieu-cong-dvcqg/", national_figures, name="national_figures"),
    path(
        "can-bo/bao-cao/chi-so/so-lieu-cong-dvcqg/<int:pk>/xoa/", national_figure_delete, name="national_figure_delete"
    ),
    path("can-bo/bao-cao/chi-so/<str:code>/<str:part>/", drilldown, name="drilldown"),
    path("cong-khai/chat-luong-phuc-vu/", transparency, name="transparency"),
    path("cong-khai/xep-hang/", rankings_page, name="rankings"),
]
