"""Pages: the privacy notice (public), accepting it, the applicant's data page (export, requests),
and the reform officer's desk of data requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cchc.accounts.policies import is_applicant
from cchc.audit.services import audit_record, client_ip
from cchc.core import clock
from cchc.core.errors import ApplicationError

from . import selectors, services
from .exports import export_json, export_zip
from .forms import DataRequestForm, HandleForm
from .models import NoticeAcceptance
from .policies import may_handle_data_requests


def _paragraphs(notice) -> list[dict]:
    blocks = [block.strip() for block in (notice.body if notice else "").split("\n\n") if block.strip()]
    return [{"heading": b.startswith("##"), "text": b.lstrip("#").strip()} for b in blocks]


@require_GET
def notice(request):
    current = selectors.notice_current()
    return render(request, "privacy/notice.html", {"notice": current, "paragraphs": _paragraphs(current)})


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def accept(request):
    current = selectors.notice_current()
    if request.method == "POST" and current is not None and request.POST.get("dong_y"):
        services.notice_accept(user=request.user, context=NoticeAcceptance.Context.SUBMISSION, ip=client_ip(request))
        return redirect(_safe_next(request))
    error = request.method == "POST"
    return render(
        request,
        "privacy/accept.html",
        {"notice": current, "paragraphs": _paragraphs(current), "next": _safe_next(request), "error": error},
        status=400 if error else 200,
    )


def _applicant(request):
    if not is_applicant(request.user):
        raise Http404(_("Trang này dành cho công dân, doanh nghiệp."))


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    _applicant(request)
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.data_request_create(
                user=request.user,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã gửi yêu cầu; cơ quan sẽ trả lời trong thời hạn quy định."))
            return redirect("privacy:my_data")
    return render(
        request,
        "privacy/my_data.html",
        {"form": form, "requests": selectors.data_requests_of(user=request.user), "notice": selectors.notice_current()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def my_data_download(request, fmt: str):
    _applicant(request)
    stamp = clock.localdate().strftime("%Y%m%d")
    audit_record(
        action="privacy.export",
        actor=request.user,
        object_type="user",
        object_id=request.user.pk,
        ip=client_ip(request),
        data={"format": fmt},
    )
    if fmt == "zip":
        response = HttpResponse(export_zip(request.user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.zip"'
    else:
        response = HttpResponse(export_json(request.user), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def _officer(request):
    if not may_handle_data_requests(request.user):
        raise Http404(_("Không tìm thấy."))


@login_required
@require_GET
def request_list(request):
    _officer(request)
    rows = selectors.data_requests_for_officer(user=request.user)
    return render(request, "privacy/request_list.html", {"rows": rows, "now": clock.now()})


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk: int):
    _officer(request)
    data_request = selectors.data_requests_for_officer(user=request.user).filter(pk=pk).first()
    if data_request is None:
        raise Http404(_("Không tìm thấy yêu cầu."))
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.data_request_handle(
                data_request=data_request,
                officer=request.user,
                decision=form.cleaned_data["decision"],
                outcome=form.cleaned_data["outcome"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã ghi kết quả xử lý yêu cầu."))
            return redirect("privacy:request_list")
    return render(request, "privacy/request_detail.html", {"item": data_request, "form": form})
