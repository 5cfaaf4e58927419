"""The statutory report page: the table on screen, or the same as .xlsx or PDF, for the officer's
agency and a month, a quarter or a year. Read only; GET with the period in the address, so a
report can be bookmarked and works without JavaScript."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cchc.accounts.models import Agency
from cchc.accounts.policies import oversees_province
from cchc.core import clock
from cchc.core.errors import ApplicationError
from cchc.core.replica import replica_reads

from . import policies
from .statutory import (
    MONTH,
    PERIOD_KINDS,
    TITLE,
    parse_period,
    statutory_report,
    statutory_report_pdf,
    statutory_report_xlsx,
    template_context,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = (
    ("html", gettext_lazy("Xem trên màn hình")),
    ("xlsx", gettext_lazy("Bảng tính Excel (.xlsx)")),
    ("pdf", gettext_lazy("PDF để in")),
)


class StatutoryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại kỳ báo cáo"), choices=PERIOD_KINDS)
    period = forms.CharField(
        label=gettext_lazy("Kỳ báo cáo"),
        max_length=10,
        help_text=gettext_lazy("Tháng: 2026-11 hoặc 11/2026; quý: 2026-Q4 hoặc Q4/2026; năm: 2026."),
    )
    format = forms.ChoiceField(label=gettext_lazy("Định dạng"), choices=FORMATS, widget=forms.RadioSelect)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if "kind" not in data or "period" not in data:
            return data
        try:
            period = parse_period(data["kind"], data["period"])
        except ApplicationError as exc:
            self.add_error("period", exc.message)
            return data
        if period.start > self.today:
            self.add_error("period", _("Kỳ báo cáo chưa bắt đầu."))
        data["report_period"] = period
        return data


def _download(data: bytes, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _coverage(request) -> dict:
    """Whose dossiers: the user's agency's (default); `province=1`: the whole province, for a provincial
    leader or reform office (their default); `centre=CODE`: what a one-stop point received, for the
    province's overseers or that point's own staff. 403 otherwise, 404 for an unknown code."""
    user = request.user
    wide = oversees_province(user)
    code = (request.GET.get("centre") or "").strip()
    if code:
        centre = Agency.objects.filter(code=code).first()
        if centre is None:
            raise Http404(_("Không tìm thấy nơi tiếp nhận “%(code)s”.") % {"code": code})
        if not wide and (centre.pk != user.agency_id or not policies.reads_agency_reports(user)):
            raise PermissionDenied
        return {"centre": centre}
    if request.GET.get("province") not in (None, "", "0") and not wide:
        raise PermissionDenied
    return {"province": wide and request.GET.get("province") != "0"}


@replica_reads
@require_GET
@login_required
def statutory(request):
    """Leaders, the reform officer, administrators and one-stop officers of an agency: 403 for
    everyone else (applicants, specialists, unit heads)."""
    user = request.user
    if not policies.may_read_statutory_report(user):
        raise PermissionDenied
    today = clock.localdate()
    data = request.GET or {"kind": MONTH, "period": f"{today:%Y-%m}", "format": "html"}
    form = StatutoryForm(data, today=today)
    context = {"form": form, "title": TITLE}
    if form.is_valid():
        period = form.cleaned_data["report_period"]
        try:
            report = statutory_report(
                agency=user.agency, period_start=period.start, period_end=period.end, **_coverage(request)
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            chosen = form.cleaned_data["format"]
            filename = f"bao-cao-giai-quyet-tthc-{period.slug}"
            if chosen == "xlsx":
                return _download(
                    statutory_report_xlsx(report), content_type=XLSX, filename=f"{filename}.xlsx", inline=False
                )
            if chosen == "pdf":
                return _download(
                    statutory_report_pdf(report),
                    content_type="application/pdf",
                    filename=f"{filename}.pdf",
                    inline=True,
                )
            query = {"kind": form.cleaned_data["kind"], "period": form.cleaned_data["period"]}
            query |= {k: request.GET[k] for k in ("centre", "province") if request.GET.get(k)}
            context |= template_context(report)
            context["downloads"] = [
                (urlencode({**query, "format": "xlsx"}), _("Tải bảng tính Excel (.xlsx)")),
                (urlencode({**query, "format": "pdf"}), _("Tải bản PDF để in")),
            ]
    return render(request, "reports/statutory/page.html", context)


urlpatterns = [
    path("can-bo/bao-cao/giai-quyet-tthc/", statutory, name="statutory"),
]
