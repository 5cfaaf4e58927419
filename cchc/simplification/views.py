"""Pages of procedure review and simplification (/cai-cach/ra-soat/).

Reads go through `selectors` (another agency's round, or another unit's review for a unit head,
is a 404), writes through `services`; a refusal is shown on the page with its status and nothing
changes. Who may open the pages at all: `policies.may_view` (others get 403).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cchc.core import clock
from cchc.core.errors import ApplicationError
from cchc.core.forms import add_application_error, error_status

from . import costs, selectors, services
from .export import round_xlsx
from .forms import ChangeForm, ConcludeForm, CostForm, PeriodForm, ReviewAddForm, RoundForm
from .models import (
    ACTIVITY_LABELS,
    EXPENSE_LABELS,
    ProcedureReview,
    ProposedChange,
    ReviewRound,
    expense_field,
    hours_field,
)
from .policies import may_edit_review, may_manage_rounds, may_view, sees_whole_agency

DEFAULT_MONTHLY_INCOME = 7_040_000  # a suggestion only (320,000 đồng a day); each round states its own


def viewer_required(view):
    """Signed in, and a reform officer, administrator, leader or unit head of an agency: else 403."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_view(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# ---------------------------------------------------------------- rounds


@viewer_required
@require_http_methods(["GET", "POST"])
def rounds(request):
    user = request.user
    can_manage = may_manage_rounds(user)
    form = None
    status = 200
    if can_manage:
        today = clock.localdate()
        start, end = selectors.default_period(today)
        initial = {
            "year": today.year,
            "name": _("Rà soát, đơn giản hóa thủ tục hành chính năm %(year)s") % {"year": today.year},
            "period_start": start,
            "period_end": end,
            "monthly_income": f"{DEFAULT_MONTHLY_INCOME:,}".replace(",", "."),
        }
        form = RoundForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                round = services.round_create(actor=user, **data)
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Đã tạo đợt rà soát “%(name)s”.") % {"name": round.name})
                return redirect("simplification:round", pk=round.pk)
        else:
            status = 400
    context = {"rounds": selectors.rounds_for(user=user), "form": form, "can_manage": can_manage}
    return render(request, "simplification/rounds.html", context, status=status)


def _round_or_404(request, pk: int) -> ReviewRound:
    round = selectors.round_get(user=request.user, pk=pk)
    if round is None:
        raise Http404(_("Không tìm thấy đợt rà soát."))
    return round


@viewer_required
@require_http_methods(["GET", "POST"])
def round_detail(request, pk: int):
    user = request.user
    round = _round_or_404(request, pk)
    can_manage = may_manage_rounds(user) and round.is_open
    add_form = ReviewAddForm(
        request.POST if request.method == "POST" and request.POST.get("thao_tac") == "them" else None,
        procedures=selectors.addable_procedures(round=round),
    )
    status = 200
    if request.method == "POST":
        if not may_manage_rounds(user):
            raise PermissionDenied
        action = request.POST.get("thao_tac")
        try:
            if action == "ket_thuc":
                services.round_close(actor=user, round=round)
                messages.success(request, _("Đã kết thúc đợt rà soát; số liệu được giữ nguyên."))
                return redirect("simplification:round", pk=round.pk)
            if action == "them":
                if add_form.is_valid():
                    review = services.review_add(actor=user, round=round, procedure=add_form.cleaned_data["procedure"])
                    messages.success(
                        request, _("Đã thêm thủ tục %(code)s vào đợt rà soát.") % {"code": review.procedure.code}
                    )
                    return redirect("simplification:review", round_pk=round.pk, pk=review.pk)
                status = 400
            else:
                status = 400
                messages.error(request, _("Thao tác không hợp lệ."))
        except ApplicationError as exc:
            if action == "them" and exc.details:
                add_application_error(add_form, exc)
            else:
                messages.error(request, exc.message)
            status = error_status(exc)
        round = _round_or_404(request, pk)
    figures, totals = selectors.round_figures(user=user, round=round)
    context = {
        "round": round,
        "figures": figures,
        "totals": totals,
        "add_form": add_form if can_manage else None,
        "can_manage": can_manage,
        "whole_agency": sees_whole_agency(user),
    }
    return render(request, "simplification/round.html", context, status=status)


@viewer_required
@require_GET
def round_export(request, pk: int):
    round = _round_or_404(request, pk)
    data = round_xlsx(user=request.user, round=round)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ra-soat-tthc-{round.year}-{round.pk}.xlsx"'
    return response


# ---------------------------------------------------------------- a review


def _cost_initial(review: ProcedureReview) -> dict:
    initial = {
        "volume_override": review.volume_override,
        "volume_override_reason": review.volume_override_reason,
        "fees_after": review.fees_after,
    }
    for state in ("before", "after"):
        for name in CostForm().fields:
            if name.startswith(f"{state}_"):
                initial[name] = getattr(review, name)
    return initial


@viewer_required
@require_http_methods(["GET", "POST"])
def review_detail(request, round_pk: int, pk: int):
    user = request.user
    review = selectors.review_get(user=user, round_pk=round_pk, pk=pk)
    if review is None:
        raise Http404(_("Không tìm thấy thủ tục được rà soát."))
    action = request.POST.get("thao_tac") if request.method == "POST" else None
    posted = request.POST if request.method == "POST" else None
    cost_form = CostForm(posted if action == "chi_phi" else None, initial=_cost_initial(review))
    change_form = ChangeForm(posted if action == "them_phuong_an" else None, version=review.version)
    conclude_form = ConcludeForm(posted if action == "ket_luan" else None, initial={"conclusion": review.conclusion})
    status = 200
    if request.method == "POST":
        if not may_edit_review(user, review):
            raise PermissionDenied
        done, status = _review_action(request, review, action, cost_form, change_form, conclude_form)
        if done:
            return redirect("simplification:review", round_pk=review.round_id, pk=review.pk)
        review = selectors.review_get(user=user, round_pk=round_pk, pk=pk)
    editable = may_edit_review(user, review) and review.round.is_open
    context = {
        "review": review,
        "round": review.round,
        "figures": selectors.review_figures(review),
        "changes": selectors.changes_of(review),
        "evidence": selectors.review_evidence(review),
        "cost_form": cost_form if editable and review.status == ProcedureReview.Status.IN_PROGRESS else None,
        "change_form": change_form if editable and review.status == ProcedureReview.Status.IN_PROGRESS else None,
        "conclude_form": conclude_form if editable else None,
        "editable": editable,
        "in_progress": review.status == ProcedureReview.Status.IN_PROGRESS,
        "hour_rows": [
            (ACTIVITY_LABELS[a], getattr(review, hours_field("before", a)), getattr(review, hours_field("after", a)))
            for a in costs.ACTIVITIES
        ],
        "expense_rows": [
            (EXPENSE_LABELS[e], getattr(review, expense_field("before", e)), getattr(review, expense_field("after", e)))
            for e in costs.EXPENSES
        ],
    }
    return render(request, "simplification/review.html", context, status=status)


def _review_action(request, review, action, cost_form, change_form, conclude_form) -> tuple[bool, int]:
    """Run the posted action; (True, 302) when done, else (False, the error status)."""
    user = request.user
    form = {"chi_phi": cost_form, "them_phuong_an": change_form, "ket_luan": conclude_form}.get(action)
    try:
        if action == "chi_phi":
            if not cost_form.is_valid():
                return False, 400
            data = cost_form.cleaned_data
            services.review_update(
                actor=user,
                review=review,
                before=cost_form.values("before"),
                after=cost_form.values("after"),
                volume_override=data.get("volume_override"),
                volume_override_reason=data.get("volume_override_reason", ""),
            )
            messages.success(request, _("Đã lưu chi phí tuân thủ."))
        elif action == "them_phuong_an":
            if not change_form.is_valid():
                return False, 400
            data = change_form.cleaned_data
            services.change_add(
                actor=user,
                review=review,
                kind=data["kind"],
                description=data["description"],
                rationale=data["rationale"],
                component=change_form.component_object(),
                new_time_limit_value=data.get("new_time_limit_value"),
            )
            messages.success(request, _("Đã thêm phương án đơn giản hóa."))
        elif action == "xoa_phuong_an":
            change_pk = request.POST.get("phuong_an", "")
            change = (
                ProposedChange.objects.filter(review=review, pk=int(change_pk)).first()
                if change_pk.isascii() and change_pk.isdigit()
                else None
            )
            if change is None:
                raise Http404(_("Không tìm thấy phương án."))
            services.change_remove(actor=user, change=change)
            messages.success(request, _("Đã xóa phương án."))
        elif action == "ket_luan":
            if not conclude_form.is_valid():
                return False, 400
            services.review_conclude(actor=user, review=review, conclusion=conclude_form.cleaned_data["conclusion"])
            messages.success(request, _("Đã ghi kết luận rà soát."))
        elif action == "mo_lai":
            services.review_reopen(actor=user, review=review)
            messages.success(request, _("Đã mở lại để chỉnh sửa."))
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
            return False, 400
    except ApplicationError as exc:
        if form is not None and exc.details:
            add_application_error(form, exc)
        else:
            messages.error(request, exc.message)
        return False, error_status(exc)
    return True, 302


# ---------------------------------------------------------------- candidates


@viewer_required
@require_GET
def candidates(request):
    # A quarter by default: the whole agency's step runs are timed one by one (the yearly volume
    # is still counted over 12 months); a longer period can be asked for.
    start, end = selectors.default_period(days=selectors.CANDIDATES_DAYS)
    form = PeriodForm(request.GET or None, initial={"tu_ngay": start, "den_ngay": end})
    status = 200
    if request.GET:
        if form.is_valid():
            start, end = form.cleaned_data["tu_ngay"], form.cleaned_data["den_ngay"]
        else:
            status = 400
    rows = selectors.simplification_candidates(user=request.user, date_from=start, date_to=end)
    context = {
        "form": form,
        "rows": rows,
        "date_from": start,
        "date_to": end,
        "flagged": sum(1 for r in rows if r.flags),
        "whole_agency": sees_whole_agency(request.user),
    }
    return render(request, "simplification/candidates.html", context, status=status)


urlpatterns = [
    path("cai-cach/ra-soat/", rounds, name="rounds"),
    path("cai-cach/ra-soat/ung-vien/", candidates, name="candidates"),
    path("cai-cach/ra-soat/<int:pk>/", round_detail, name="round"),
    path("cai-cach/ra-soat/<int:pk>/xlsx/", round_export, name="round_xlsx"),
    path("cai-cach/ra-soat/<int:round_pk>/thu-tuc/<int:pk>/", review_detail, name="review"),
]
