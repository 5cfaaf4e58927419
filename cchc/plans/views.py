"""Pages of the reform plan, its tasks, the units' commitments, the monthly briefing and the
remediation of last year's shortcomings (under /cai-cach/).

Reads go through `selectors` (another agency's or unit's record is a 404), writes through
`services`; a refusal becomes a form error or a message and nothing changes.
"""

import mimetypes
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core import clock
from cchc.core.errors import ApplicationError
from cchc.core.errors import PermissionDenied as Forbidden
from cchc.core.files import protected_file_response
from cchc.core.forms import add_application_error, error_status
from cchc.dossiers.views.office import staff_required

from . import policies, rules, selectors, services
from .documents import XLSX, briefing_pdf, briefing_xlsx
from .forms import (
    ActualForm,
    CommitmentTasksForm,
    DraftForm,
    PlanForm,
    ReportForm,
    TargetForm,
    TaskForm,
    TransitionForm,
)
from .policies import (
    may_countersign_commitment,
    may_edit_commitment,
    may_edit_plan,
    may_move_task,
    may_report,
    may_see_late,
    may_sign_commitment,
)
from .workflow import OPEN_TASK, TASK_TRANSITIONS, CommitmentStatus, TaskStatus, task_needs_reason

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.localdate().year
    return year if 2000 <= year <= 2100 else clock.localdate().year


def _fields(data) -> services.TaskFields:
    return services.TaskFields(
        title=data["title"],
        unit=data["unit"],
        deadline=data["deadline"],
        lead=data.get("lead"),
        description=data.get("description", ""),
        expected_output=data.get("expected_output", ""),
        code=data.get("code", ""),
    )


# ---------------------------------------------------------------- the plan and its tasks


@staff_required
@require_GET
def plan(request):
    user = request.user
    year = _year(request)
    the_plan = selectors.plan_for(user=user, year=year)
    units = selectors.units_of(user.agency_id).order_by("name") if user.agency_id else []
    unit = None
    if request.GET.get("unit"):
        unit = selectors.unit_get(agency_id=user.agency_id, code=request.GET["unit"])
    status = request.GET.get("status", "")
    status = status if status in TaskStatus.values else ""
    late_only = request.GET.get("late") == "1"
    tasks = []
    if the_plan is not None:
        tasks = selectors.task_list(user=user, plan=the_plan, unit=unit, status=status, late=late_only)
    context = {
        "year": year,
        "years": sorted({year, *selectors.plan_years(user=user)}, reverse=True),
        "plan": the_plan,
        "tasks": tasks,
        "late_count": sum(1 for t in tasks if t.is_late),
        "units": units,
        "unit": unit,
        "status": status,
        "late_only": late_only,
        "statuses": TaskStatus.choices,
        "can_edit": may_edit_plan(user, user.agency_id),
        "plan_form": PlanForm(
            initial={"year": year, "title": _("Kế hoạch cải cách hành chính năm %(year)s") % {"year": year}}
        ),
        "office_page": "plans",
    }
    return render(request, "plans/plan.html", context)


@staff_required
@require_POST
def plan_create(request):
    form = PlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_create(
                actor=request.user,
                year=data["year"],
                title=data["title"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã lập kế hoạch năm %(year)s.") % {"year": data["year"]})
        return redirect(f"{reverse('plans:plan')}?year={data['year']}")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("plans:plan")


@staff_required
@require_http_methods(["GET", "POST"])
def task_create(request):
    user = request.user
    year = _year(request)
    the_plan = selectors.plan_for(user=user, year=year)
    if the_plan is None:
        raise Http404(_("Chưa có kế hoạch năm này."))
    if not may_edit_plan(user, the_plan.agency_id):
        raise PermissionDenied
    form = TaskForm(request.POST or None, agency_id=user.agency_id)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                task = services.task_create(plan=the_plan, actor=user, fields=_fields(form.cleaned_data))
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã thêm nhiệm vụ %(code)s.") % {"code": task.code})
                return redirect("plans:task", pk=task.pk)
        else:
            status = 400
    return render(request, "plans/task_form.html", {"form": form, "plan": the_plan, "task": None}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    user = request.user
    task = selectors.task_get(user=user, pk=pk)
    if task is None:
        raise Http404(_("Không tìm thấy nhiệm vụ."))
    if not may_edit_plan(user, task.plan.agency_id):
        raise PermissionDenied
    initial = {
        "code": task.code,
        "title": task.title,
        "description": task.description,
        "unit": task.unit_id,
        "lead": task.lead_id,
        "deadline": task.deadline,
        "expected_output": task.expected_output,
    }
    form = TaskForm(request.POST or None, initial=initial, agency_id=user.agency_id)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.task_update(task=task, actor=user, fields=_fields(form.cleaned_data))
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã lưu nhiệm vụ %(code)s.") % {"code": task.code})
                return redirect("plans:task", pk=task.pk)
        else:
            status = 400
    return render(request, "plans/task_form.html", {"form": form, "plan": task.plan, "task": task}, status=status)


def _transition_buttons(task) -> list[dict]:
    labels = {
        TaskStatus.IN_PROGRESS: _("Mở lại, tiếp tục thực hiện")
        if task.status == TaskStatus.DONE
        else _("Bắt đầu thực hiện"),
        TaskStatus.DONE: _("Đánh dấu hoàn thành"),
        TaskStatus.CANCELLED: _("Hủy nhiệm vụ"),
    }
    return [
        {"to": to, "label": labels.get(to, TaskStatus(to).label), "reason": task_needs_reason(task.status, to)}
        for to in (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED)
        if to in TASK_TRANSITIONS[task.status]
    ]


@staff_required
@require_http_methods(["GET", "POST"])
def task_detail(request, pk: int):
    user = request.user
    task = selectors.task_get(user=user, pk=pk)
    if task is None:
        raise Http404(_("Không tìm thấy nhiệm vụ."))
    report_form = ReportForm()
    status = 200
    if request.method == "POST":
        if "chuyen" in request.POST:
            form = TransitionForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Yêu cầu không hợp lệ."))
                return redirect("plans:task", pk=task.pk)
            try:
                services.task_transition(
                    task=task,
                    actor=user,
                    to_status=form.cleaned_data["to_status"],
                    reason=form.cleaned_data["reason"],
                    expected_status=form.cleaned_data["expected_status"] or None,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã cập nhật trạng thái nhiệm vụ."))
            return redirect("plans:task", pk=task.pk)
        report_form = ReportForm(request.POST, request.FILES)
        if report_form.is_valid():
            data = report_form.cleaned_data
            try:
                services.task_report_add(
                    task=task,
                    actor=user,
                    percent=data["percent"],
                    text=data["text"],
                    evidence=data["evidence"],
                    link=data["link"],
                )
            except ApplicationError as exc:
                add_application_error(report_form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã ghi nhận báo cáo tiến độ."))
                return redirect("plans:task", pk=task.pk)
        else:
            status = 400
    today = clock.localdate()
    task.is_late = rules.is_late(deadline=task.deadline, is_open=task.status in OPEN_TASK, today=today)
    context = {
        "task": task,
        "report_form": report_form
        if task.status in OPEN_TASK and may_report(user, task, task.plan.agency_id)
        else None,
        "buttons": _transition_buttons(task) if may_move_task(user, task, task.plan.agency_id) else [],
        "can_edit": may_edit_plan(user, task.plan.agency_id) and task.status != TaskStatus.CANCELLED,
        "office_page": "plans",
    }
    return render(request, "plans/task.html", context, status=status)


@staff_required
@require_GET
def report_file(request, pk: int, report_pk: int):
    report = selectors.report_get(user=request.user, task_pk=pk, pk=report_pk)
    if report is None or not report.evidence:
        raise Http404(_("Không tìm thấy tệp minh chứng."))
    # The type comes from the stored name (its extension was set from the checked content), never
    # from the name the uploader chose: a PDF named page.html must not be served as HTML.
    content_type = mimetypes.guess_type(report.evidence.name)[0] or "application/octet-stream"
    return protected_file_response(
        request,
        report.evidence,
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=report.evidence_name or report.evidence.name.rsplit("/", 1)[-1],
    )


@staff_required
@require_GET
def late(request):
    user = request.user
    if not may_see_late(user):
        raise PermissionDenied
    try:
        tasks = selectors.late_tasks(user=user)
    except Forbidden:
        raise PermissionDenied from None
    context = {
        "tasks": tasks,
        "scope_unit": None if policies.sees_every_unit(user) else user.unit,
        "office_page": "plans",
    }
    return render(request, "plans/late.html", context)


# ---------------------------------------------------------------- commitments


@staff_required
@require_http_methods(["GET", "POST"])
def commitments(request):
    user = request.user
    year = _year(request) if request.method == "GET" else _year_post(request)
    draftable = policies.draftable_units(user, selectors.units_of(user.agency_id).order_by("name"))
    form = DraftForm(request.POST or None, units=draftable)
    if request.method == "POST":
        if form.is_valid():
            try:
                commitment = services.commitment_draft(actor=user, unit=form.cleaned_data["unit"], year=year)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("plans:commitment", pk=commitment.pk)
        else:
            messages.error(request, _("Cần chọn đơn vị."))
        return redirect(f"{reverse('plans:commitments')}?year={year}")
    rows = list(selectors.commitment_list(user=user, year=year))
    context = {
        "year": year,
        "commitments": rows,
        "form": form if draftable.exists() else None,
        "office_page": "plans",
    }
    return render(request, "plans/commitments.html", context)


def _year_post(request) -> int:
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return clock.localdate().year
    return year if 2000 <= year <= 2100 else clock.localdate().year


def _commitment_or_404(request, pk: int):
    commitment = selectors.commitment_get(user=request.user, pk=pk)
    if commitment is None:
        raise Http404(_("Không tìm thấy bản cam kết."))
    return commitment


@staff_required
@require_http_methods(["GET", "POST"])
def commitment_detail(request, pk: int):
    user = request.user
    commitment = _commitment_or_404(request, pk)
    target_form = TargetForm()
    task_choices = selectors.unit_tasks_for_commitment(commitment)
    tasks_form = CommitmentTasksForm(initial={"tasks": [t.pk for t in commitment.tasks.all()]}, queryset=task_choices)
    status = 200
    if request.method == "POST":
        try:
            if "them_chi_tieu" in request.POST:
                target_form = TargetForm(request.POST)
                if target_form.is_valid():
                    data = target_form.cleaned_data
                    services.commitment_target_add(
                        commitment=commitment,
                        actor=user,
                        label=data["label"],
                        indicator=data["indicator"],
                        comparison=data["comparison"],
                        target=data["target"],
                    )
                    messages.success(request, _("Đã thêm chỉ tiêu."))
                    return redirect("plans:commitment", pk=commitment.pk)
                status = 400
            elif "xoa_chi_tieu" in request.POST:
                services.commitment_target_remove(
                    commitment=commitment, actor=user, target_id=_int(request.POST.get("xoa_chi_tieu"))
                )
                messages.success(request, _("Đã bỏ chỉ tiêu."))
                return redirect("plans:commitment", pk=commitment.pk)
            elif "nhiem_vu" in request.POST:
                tasks_form = CommitmentTasksForm(request.POST, queryset=task_choices)
                if tasks_form.is_valid():
                    services.commitment_tasks_set(
                        commitment=commitment, actor=user, task_ids=[t.pk for t in tasks_form.cleaned_data["tasks"]]
                    )
                    messages.success(request, _("Đã lưu danh sách nhiệm vụ cam kết."))
                    return redirect("plans:commitment", pk=commitment.pk)
                status = 400
            elif "ket_qua" in request.POST:
                form = ActualForm(request.POST)
                if form.is_valid():
                    services.commitment_target_record_actual(
                        commitment=commitment,
                        actor=user,
                        target_id=form.cleaned_data["target_id"],
                        value=form.cleaned_data["value"],
                    )
                    messages.success(request, _("Đã cập nhật kết quả."))
                else:
                    messages.error(request, _("Kết quả là tỷ lệ từ 0 đến 100%."))
                return redirect("plans:commitment", pk=commitment.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("plans:commitment", pk=commitment.pk)
    editable = commitment.status == CommitmentStatus.DRAFT and may_edit_commitment(user, commitment)
    rows = selectors.target_rows(commitment)
    context = {
        "commitment": commitment,
        "rows": rows,
        "tasks": selectors.mark_late(commitment.tasks.all(), clock.localdate()),
        "editable": editable,
        "can_record": may_edit_commitment(user, commitment),
        "target_form": target_form if editable else None,
        "tasks_form": tasks_form if editable else None,
        "can_sign": commitment.status == CommitmentStatus.DRAFT and may_sign_commitment(user, commitment),
        "can_countersign": commitment.status == CommitmentStatus.SIGNED_BY_UNIT
        and may_countersign_commitment(user, commitment),
        "office_page": "plans",
    }
    return render(request, "plans/commitment.html", context, status=status)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@staff_required
@require_POST
def commitment_sign(request, pk: int):
    commitment = _commitment_or_404(request, pk)
    try:
        services.commitment_sign(commitment=commitment, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ký cam kết; chờ lãnh đạo Sở ký duyệt."))
    return redirect("plans:commitment", pk=commitment.pk)


@staff_required
@require_POST
def commitment_countersign(request, pk: int):
    commitment = _commitment_or_404(request, pk)
    try:
        services.commitment_countersign(commitment=commitment, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ký duyệt; bản cam kết đã được ký số và lưu."))
    return redirect("plans:commitment", pk=commitment.pk)


@staff_required
@require_GET
def commitment_pdf(request, pk: int):
    commitment = _commitment_or_404(request, pk)
    if not commitment.file:
        raise Http404(_("Bản cam kết chưa được ký duyệt."))
    filename = f"cam-ket-cchc-{commitment.unit.code.lower()}-{commitment.year}.pdf"
    return protected_file_response(
        request, commitment.file, content_type="application/pdf", as_attachment=True, filename=filename
    )


# ---------------------------------------------------------------- the monthly briefing


def _download(data: bytes, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def briefing(request):
    user = request.user
    units = selectors.briefing_units(user=user)
    if not units.exists():
        raise PermissionDenied
    today = clock.localdate()
    error = ""
    month_text = request.GET.get("month", "") or f"{today:%Y-%m}"
    parsed = rules.parse_month(month_text)
    if parsed is None:
        error = _("Tháng không hợp lệ: ghi theo dạng 2026-03 hoặc 03/2026.")
        parsed = (today.year, today.month)
    unit_code = request.GET.get("unit", "")
    unit = units.filter(code=unit_code).first() if unit_code else None
    if unit_code and unit is None:
        if selectors.unit_get(agency_id=user.agency_id, code=unit_code) is None:
            raise Http404(_("Không tìm thấy đơn vị."))
        raise PermissionDenied
    if unit is None:
        unit = units.filter(pk=user.unit_id).first() or units.first()
    try:
        report = selectors.briefing_for(user=user, unit=unit, year=parsed[0], month=parsed[1], today=today)
    except Forbidden:
        raise PermissionDenied from None
    chosen = request.GET.get("format", "html")
    if not error and chosen == "xlsx":
        return _download(
            briefing_xlsx(report), content_type=XLSX, filename=f"giao-ban-cchc-{report.slug}.xlsx", inline=False
        )
    if not error and chosen == "pdf":
        return _download(
            briefing_pdf(report),
            content_type="application/pdf",
            filename=f"giao-ban-cchc-{report.slug}.pdf",
            inline=True,
        )
    query = {"unit": unit.code, "month": f"{parsed[0]}-{parsed[1]:02d}"}
    context = {
        "briefing": report,
        "units": units,
        "month_value": query["month"],
        "error": error,
        "downloads": [
            (urlencode({**query, "format": "xlsx"}), _("Tải bảng tính Excel (.xlsx)")),
            (urlencode({**query, "format": "pdf"}), _("Tải bản PDF để in")),
        ],
        "office_page": "plans",
    }
    return render(request, "plans/briefing.html", context, status=400 if error else 200)


# ---------------------------------------------------------------- shortcomings of the last appraisal


@staff_required
@require_http_methods(["GET", "POST"])
def shortcomings(request):
    user = request.user
    if not policies.may_see_shortcomings(user):
        raise PermissionDenied
    year = _year(request) if request.method == "GET" else _year_post(request)
    the_plan = selectors.plan_for(user=user, year=year)
    par_year = selectors.last_appraised_year(agency_id=user.agency_id, before=year)
    if request.method == "POST":
        if the_plan is None or par_year is None:
            messages.error(request, _("Cần có kế hoạch năm %(year)s và kết quả thẩm định năm trước.") % {"year": year})
        else:
            try:
                created = services.remediation_tasks_from_appraisal(par_year=par_year, plan=the_plan, actor=user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                if created:
                    messages.success(request, _("Đã tạo %(n)s nhiệm vụ khắc phục.") % {"n": len(created)})
                else:
                    messages.info(request, _("Các tiêu chí bị trừ điểm đều đã có nhiệm vụ khắc phục."))
        return redirect(f"{reverse('plans:shortcomings')}?year={year}")
    rows = selectors.shortcomings(user=user, plan=the_plan, par_year=par_year) if par_year else []
    context = {
        "year": year,
        "plan": the_plan,
        "par_year": par_year,
        "rows": rows,
        "total_lost": sum((r.points_lost for r in rows), 0),
        "missing": sum(1 for r in rows if r.task is None),
        "can_create": the_plan is not None and par_year is not None and may_edit_plan(user, user.agency_id),
        "office_page": "plans",
    }
    return render(request, "plans/shortcomings.html", context)
