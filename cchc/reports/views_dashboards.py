"""Dashboards: the leader's (the whole agency), a unit's (its head, or a leader choosing it) and
each officer's own, for a month chosen with `?thang=YYYY-MM` (the current month by default); and
the list of dossiers behind each figure that the index's lists do not already give.

Figures come from `dashboards` (aggregate queries, see there), charts from `charts` (SVG drawn
here, no JavaScript, no CDN). `ApplicationError` is mapped in `_scope`: 403 and 404 as such,
anything else as a message on the page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cchc.accounts.models import User
from cchc.core import clock
from cchc.core.errors import ApplicationError, NotFound
from cchc.core.errors import PermissionDenied as ReportForbidden
from cchc.core.replica import replica_reads
from cchc.dossiers import timeliness
from cchc.dossiers.models import DossierStep
from cchc.procedures.models import ProcessStep

from . import charts, dashboards, policies, selectors
from .charts import Bar, Cell, Point, number, percent

PAGE_SIZE = settings.CCHC_OFFICE_PAGE_SIZE
MONTH = "thang"


# ---------------------------------------------------------------- shared


def _staff(request) -> None:
    if not policies.may_open_reports(request.user):
        raise PermissionDenied


def _scope(call):
    """(result, None), or (None, message) for bad input; refusals and unknown codes are raised."""
    try:
        return call(), None
    except ReportForbidden as exc:
        raise PermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ApplicationError as exc:
        return None, exc.message


def _month(request) -> tuple[int, int, str | None]:
    today = clock.localdate()
    try:
        year, month = dashboards.parse_month(request.GET.get(MONTH), today=today)
    except ApplicationError as exc:
        return today.year, today.month, exc.message
    return year, month, None


def _list_url(kind: str, **params) -> str:
    return reverse("reports:dashboard_list") + "?" + urlencode({"loai": kind, **{k: v for k, v in params.items() if v}})


def _nav(user, month_value: str = "") -> list[dict]:
    """The dashboards `user` may open, for the same month."""
    query = "?" + urlencode({MONTH: month_value}) if month_value else ""
    items = []
    if policies.reads_agency_reports(user):
        items.append({"key": "leader", "label": _("Toàn cơ quan"), "url": reverse("reports:dashboard_leader") + query})
    if policies.reads_unit_reports(user):
        items.append({"key": "unit", "label": _("Đơn vị"), "url": reverse("reports:dashboard_unit") + query})
    items.append({"key": "officer", "label": _("Cá nhân"), "url": reverse("reports:dashboard_officer") + query})
    return items


def _months(year: int, month: int) -> list[dict]:
    """The form's months; an older month asked for in the address is offered too."""
    choices = dashboards.month_choices(today=clock.localdate())
    value = f"{year}-{month:02d}"
    if all(choice["value"] != value for choice in choices):
        choices.append({"value": value, "label": f"{month:02d}/{year}"})
    return choices


def _base_context(request, *, page: str, year: int, month: int, error: str | None) -> dict:
    first, last = dashboards.month_bounds(year, month)
    return {
        "dashboard_page": page,
        "dashboards": _nav(request.user, f"{year}-{month:02d}"),
        "year": year,
        "month": month,
        "month_value": f"{year}-{month:02d}",
        "month_label": f"{month:02d}/{year}",
        "first_day": first,
        "last_day": last,
        "months": _months(year, month),
        "error": error,
        "today": clock.localdate(),
    }


# ---------------------------------------------------------------- charts from the figures


def _points_text(points, maximum) -> str:
    return _("%(points)s/%(max)s điểm") % {"points": number(points, 2), "max": number(maximum, 2)}


def groups_chart(index: dict, *, chart_id: str, index_url: str) -> charts.Chart:
    """The six groups' points against their maxima on the national scale (and what could be
    measured this period)."""
    bars = []
    for position, group in enumerate(index["groups"], start=1):
        bars.append(
            Bar(
                label=group["name"],
                value=group["points"],
                maximum=group["max"] or None,
                text=_points_text(group["points"], group["max"]),
                href=f"{index_url}#nhom-{position}",
                cells=(number(group["measured_max"], 2),),
            )
        )
    return charts.bar_chart(
        chart_id=chart_id,
        title=_("Điểm của 6 nhóm chỉ số so với điểm tối đa (thang 100 điểm)"),
        bars=bars,
        columns=(_("Nhóm chỉ số"), _("Điểm đạt/điểm tối đa"), _("Điểm tối đa của các chỉ số đo được trong kỳ")),
    )


def trend_charts(trend: list[dict], *, prefix: str) -> tuple[charts.Chart, charts.Chart]:
    share_points, progress_points = [], []
    for month in trend:
        share_points.append(
            Point(
                label=month["label"],
                tick=f"{month['month']:02d}/{month['year'] % 100:02d}",
                value=month["share"],
                text=percent(month["share"]),
                cells=(
                    Cell(number(month["on_time"], 0), month["drilldown"]["numerator"]),
                    Cell(number(month["counted"], 0), month["drilldown"]["denominator"]),
                ),
            )
        )
        progress_points.append(
            Point(
                label=month["label"],
                tick=f"{month['month']:02d}/{month['year'] % 100:02d}",
                value=month["points"],
                text=number(month["points"], 2),
                cells=(number(month["measured_max"], 2) if month["measured_max"] is not None else "–",),
            )
        )
    group_max = next((m["max"] for m in trend if m["max"]), 20)
    share = charts.line_chart(
        chart_id=f"{prefix}-dung-han",
        title=_("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn theo tháng"),
        points=share_points,
        columns=(_("Tháng"), _("Tỷ lệ"), _("Trước hạn, đúng hạn"), _("Hồ sơ được tính")),
        empty=_("Chưa có hồ sơ nào được tính trong 12 tháng."),
    )
    progress = charts.column_chart(
        chart_id=f"{prefix}-tien-do",
        title=_("Điểm nhóm Tiến độ giải quyết theo tháng (tối đa %(max)s)") % {"max": number(group_max, 2)},
        points=progress_points,
        columns=(_("Tháng"), _("Điểm"), _("Điểm tính được")),
        y_max=group_max,
        empty=_("Chưa có điểm tiến độ nào trong 12 tháng."),
    )
    return share, progress


def _share_tone(share: float | None) -> str:
    return "muted" if share is None else ""


# ---------------------------------------------------------------- pages


@replica_reads
@require_GET
@login_required
def home(request):
    """The dashboard of the user's role."""
    _staff(request)
    if policies.reads_agency_reports(request.user):
        return redirect("reports:dashboard_leader")
    if policies.confined_to_own_unit(request.user):
        return redirect("reports:dashboard_unit")
    return redirect("reports:dashboard_officer")


@replica_reads
@require_GET
@login_required
def leader(request):
    _staff(request)
    if not policies.reads_agency_reports(request.user):
        raise PermissionDenied(
            _("Bảng điều khiển của lãnh đạo dành cho Lãnh đạo Sở và cán bộ phụ trách cải cách hành chính.")
        )
    year, month, error = _month(request)
    scope, scope_error = _scope(
        lambda: dashboards.leader_scope(
            user=request.user,
            year=year,
            month=month,
            agency=request.GET.get("agency", ""),
            centre=request.GET.get("centre", ""),
            province=request.GET.get("province", ""),
        )
    )
    context = _base_context(request, page="leader", year=year, month=month, error=error or scope_error)
    if scope is not None:
        data = dashboards.leader_dashboard(scope)
        context.update(_index_context(data, scope, prefix="ld"))
        context.update(
            {
                "units": data["units"],
                "units_chart": charts.bar_chart(
                    chart_id="ld-don-vi",
                    title=_("Đơn vị xếp theo tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"),
                    bars=[
                        Bar(
                            label=row["name"],
                            value=row["share"],
                            maximum=100,
                            text=percent(row["share"]) + f" ({row['on_time']}/{row['counted']})",
                            tone=_share_tone(row["share"]),
                        )
                        for row in data["units"]
                    ],
                    columns=(_("Đơn vị"), _("Tỷ lệ")),
                    empty=_("Chưa có hồ sơ nào được tính trong tháng."),
                ),
                "late": [
                    {**row, "url": _list_url(dashboards.LIST_LATE, unit=row["code"] or "khong")} for row in data["late"]
                ],
                "late_total": sum(row["late"] for row in data["late"]),
                "late_chart": charts.bar_chart(
                    chart_id="ld-qua-han",
                    title=_("Hồ sơ đang quá hạn theo đơn vị đang xử lý"),
                    bars=[
                        Bar(label=row["name"], value=row["late"], text=number(row["late"], 0), tone="bad")
                        for row in data["late"]
                    ],
                    columns=(_("Đơn vị"), _("Số hồ sơ")),
                    empty=_("Không có hồ sơ nào đang quá hạn."),
                ),
                "late_all_url": _list_url(dashboards.LIST_LATE),
            }
        )
    return render(request, "reports/dashboards/leader.html", context)


def _index_context(data: dict, scope, *, prefix: str) -> dict:
    index_url = reverse("reports:index") + "?" + urlencode(scope.params())
    share, progress = trend_charts(data["trend"], prefix=prefix)
    on_time = next(
        (i for g in data["index"]["groups"] for i in g["indicators"] if i["code"] == dashboards.ON_TIME), None
    )
    return {
        "scope": scope,
        "index": data["index"],
        "band": data["band"],
        "index_url": index_url,
        "on_time": on_time,
        "groups_chart": groups_chart(data["index"], chart_id=f"{prefix}-nhom", index_url=index_url),
        "trend_share_chart": share,
        "trend_points_chart": progress,
    }


@replica_reads
@require_GET
@login_required
def unit(request):
    _staff(request)
    if not policies.reads_unit_reports(request.user):
        raise PermissionDenied(_("Bảng điều khiển của đơn vị dành cho trưởng đơn vị và lãnh đạo."))
    year, month, error = _month(request)
    asked = (request.GET.get("unit") or "").strip()
    scope, scope_error = _scope(lambda: dashboards.unit_scope(user=request.user, year=year, month=month, unit=asked))
    context = _base_context(request, page="unit", year=year, month=month, error=error or scope_error)
    context["asked_unit"] = asked
    if policies.reads_agency_reports(request.user) and request.user.agency is not None:
        context["unit_choices"] = selectors.scope_choices(user=request.user, agency=request.user.agency)["units"]
    if scope is not None:
        data = dashboards.unit_dashboard(scope)
        context.update(_index_context(data, scope, prefix="dv"))
        month_value = context["month_value"]
        officers = []
        for row in data["officers"]:
            username = row["officer"].username if row["officer"] else ""
            links = {
                key: _list_url(
                    dashboards.LIST_STEPS, unit=scope.unit.code, officer=username, outcome=outcome, thang=month_value
                )
                if username
                else ""
                for key, outcome in (("steps", ""), ("on_time", "on_time"), ("late", "late"))
            }
            officers.append({**row, "links": links})
        ranked = [row for row in officers if row["steps"]]
        context.update(
            {
                "unit": scope.unit,
                "officers": officers,
                "officers_chart": charts.bar_chart(
                    chart_id="dv-can-bo",
                    title=_("Cán bộ xếp theo tỷ lệ bước xử lý trước hạn, đúng hạn"),
                    bars=[
                        Bar(
                            label=str(row["officer"] or _("Chưa phân công")),
                            value=row["share"],
                            maximum=100,
                            text=percent(row["share"]) + f" ({row['on_time']}/{row['steps']})",
                            tone=_share_tone(row["share"]),
                        )
                        for row in ranked
                    ],
                    columns=(_("Cán bộ"), _("Tỷ lệ")),
                    empty=_("Chưa có bước xử lý nào hoàn thành trong tháng."),
                ),
                "late": [
                    {
                        **row,
                        "url": _list_url(
                            dashboards.LIST_LATE,
                            unit=scope.unit.code,
                            assignee=row["officer"].username if row["officer"] else "khong",
                        ),
                    }
                    for row in data["late"]
                ],
                "late_total": sum(row["late"] for row in data["late"]),
                "late_chart": charts.bar_chart(
                    chart_id="dv-qua-han",
                    title=_("Hồ sơ đang quá hạn của đơn vị theo người xử lý"),
                    bars=[
                        Bar(
                            label=str(row["officer"] or _("Chưa phân công")),
                            value=row["late"],
                            text=number(row["late"], 0),
                            tone="bad",
                        )
                        for row in data["late"]
                    ],
                    columns=(_("Người xử lý"), _("Số hồ sơ")),
                    empty=_("Không có hồ sơ nào của đơn vị đang quá hạn."),
                ),
                "late_all_url": _list_url(dashboards.LIST_LATE, unit=scope.unit.code),
            }
        )
    return render(request, "reports/dashboards/unit.html", context)


@replica_reads
@require_GET
@login_required
def officer(request):
    _staff(request)
    year, month, error = _month(request)
    first, last = dashboards.month_bounds(year, month)
    data, scope_error = _scope(lambda: dashboards.officer_dashboard(user=request.user, date_from=first, date_to=last))
    context = _base_context(request, page="officer", year=year, month=month, error=error or scope_error)
    if data is not None:
        steps = data["steps"]
        month_value = context["month_value"]
        context.update(
            {
                "data": data,
                "steps_url": _list_url(dashboards.LIST_STEPS, officer=request.user.username, thang=month_value),
                "steps_on_time_url": _list_url(
                    dashboards.LIST_STEPS, officer=request.user.username, outcome="on_time", thang=month_value
                ),
                "steps_late_url": _list_url(
                    dashboards.LIST_STEPS, officer=request.user.username, outcome="late", thang=month_value
                ),
                "work_url": reverse("dossiers:office_home") + "?muc=viec-cua-toi",
                "work_late_url": _list_url(dashboards.LIST_MINE),
                "steps_chart": charts.bar_chart(
                    chart_id="cn-buoc",
                    title=_("Bước xử lý bạn hoàn thành trong tháng, theo kết quả"),
                    bars=[
                        Bar(_("Trước hạn"), steps["early"], text=number(steps["early"], 0), tone="good"),
                        Bar(
                            _("Đúng hạn"),
                            steps["on_time"] - steps["early"],
                            text=number(steps["on_time"] - steps["early"], 0),
                            tone="good",
                        ),
                        Bar(_("Quá hạn"), steps["late"], text=number(steps["late"], 0), tone="bad"),
                    ]
                    if steps["steps"]
                    else [],
                    columns=(_("Kết quả"), _("Số bước")),
                    empty=_("Bạn chưa hoàn thành bước xử lý nào trong tháng."),
                ),
            }
        )
    return render(request, "reports/dashboards/officer.html", context)


# ---------------------------------------------------------------- the lists behind the figures


def _for_list(queryset):
    """What a dossier row shows (as on the desk), in a fixed number of queries."""
    step_name = ProcessStep.objects.filter(
        version_id=OuterRef("procedure_version_id"), order=OuterRef("current_step")
    ).values("name")[:1]
    open_run = DossierStep.objects.filter(dossier_id=OuterRef("pk"), finished_at__isnull=True)
    return queryset.select_related("procedure_version", "procedure").annotate(
        current_step_name=Subquery(step_name),
        holder_name=Subquery(open_run.values("assignee__full_name")[:1]),
        holder_username=Subquery(open_run.values("assignee__username")[:1]),
    )


OUTCOME_LABELS = {"on_time": gettext_lazy("trước hạn, đúng hạn"), "late": gettext_lazy("quá hạn")}


@replica_reads
@require_GET
@login_required
def dossier_list(request):
    """`?loai=qua-han` late now (by `unit`, `assignee`; "khong" for none); `?loai=buoc` dossiers
    with a step finished in the month (by `unit`, `officer`, `outcome`); `?loai=viec-cua-toi-qua-han`
    the user's own late work. Always within what the user may see."""
    _staff(request)
    user = request.user
    kind = request.GET.get("loai") or dashboards.LIST_LATE
    now = clock.now()
    year, month, error = _month(request)
    first, last = dashboards.month_bounds(year, month)
    agency = user.agency
    filters = []

    def unit_named(code: str):
        found = selectors.unit_by_code(agency=agency, code=code, on=last) if agency is not None else None
        if found is None:
            raise Http404(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": code})
        filters.append(_("Đơn vị: %(name)s") % {"name": found.name})
        return found

    def officer_named(username: str):
        found = User.objects.filter(username=username, agency=agency).first() if agency is not None else None
        if found is None or not policies.is_officer(found):
            raise Http404(_("Không tìm thấy cán bộ “%(name)s”.") % {"name": username})
        filters.append(_("Cán bộ: %(name)s") % {"name": found})
        return found

    unit_code = (request.GET.get("unit") or "").strip()
    if kind == dashboards.LIST_LATE:
        title = _("Hồ sơ đang quá hạn")
        assignee_name = (request.GET.get("assignee") or "").strip()
        unit_ = unit_named(unit_code) if unit_code and unit_code != "khong" else None
        if unit_code == "khong":
            filters.append(_("Chưa chuyển đến đơn vị xử lý"))
        assignee = officer_named(assignee_name) if assignee_name and assignee_name != "khong" else None
        if assignee_name == "khong":
            filters.append(_("Chưa phân công người xử lý"))
        rows = dashboards.late_list(
            user=user,
            now=now,
            unit=unit_,
            no_unit=unit_code == "khong",
            assignee=assignee,
            unassigned=assignee_name == "khong",
        )
    elif kind == dashboards.LIST_STEPS:
        officer_name = (request.GET.get("officer") or "").strip()
        if officer_name and officer_name != user.username and not policies.reads_unit_reports(user):
            raise PermissionDenied(_("Bạn chỉ xem được danh sách bước xử lý của chính mình."))
        unit_ = unit_named(unit_code) if unit_code else None
        if policies.confined_to_own_unit(user) and unit_ is not None and unit_.pk != user.unit_id:
            raise PermissionDenied(_("Trưởng đơn vị chỉ xem được danh sách của đơn vị mình."))
        officer_ = officer_named(officer_name) if officer_name else None
        outcome = request.GET.get("outcome") or ""
        outcome = outcome if outcome in OUTCOME_LABELS else ""
        title = _("Hồ sơ có bước xử lý hoàn thành từ %(start)s đến %(end)s") % {
            "start": f"{first:%d/%m/%Y}",
            "end": f"{last:%d/%m/%Y}",
        }
        if outcome:
            filters.append(_("Kết quả bước: %(outcome)s") % {"outcome": OUTCOME_LABELS[outcome]})
        scope = selectors.make_scope(date_from=first, date_to=last)
        rows = dashboards.steps_list(
            user=user, start=scope.start, end=scope.end, unit=unit_, officer=officer_, outcome=outcome
        )
    elif kind == dashboards.LIST_MINE:
        title = _("Việc của tôi đang quá hạn")
        rows = dashboards.my_late_list(user=user, now=now)
    else:
        raise Http404(_("Không có danh sách này."))

    page = Paginator(_for_list(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row.is_late = timeliness.is_late_now(row, now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/dashboards/list.html",
        {
            "title": title,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "error": error,
            "dashboards": _nav(user),
            "back_url": reverse("reports:dashboard_home"),
        },
    )


urlpatterns = [
    path("can-bo/bang-dieu-khien/", home, name="dashboard_home"),
    path("can-bo/bang-dieu-khien/lanh-dao/", leader, name="dashboard_leader"),
    path("can-bo/bang-dieu-khien/don-vi/", unit, name="dashboard_unit"),
    path("can-bo/bang-dieu-khien/ca-nhan/", officer, name="dashboard_officer"),
    path("can-bo/bang-dieu-khien/danh-sach/", dossier_list, name="dashboard_list"),
]
