"""Statutory documents of a dossier, for whoever may see it, and the tracking book for staff."""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core import clock
from cchc.core.errors import ApplicationError, NotFound

from .. import policies
from ..documents import FORMS, render_form, tracking_book_pdf, tracking_book_xlsx
from ..selectors import dossier_get

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document(request, code: str, form: str):
    """A statutory form as PDF: the applicant for their own dossier, staff within their scope."""
    if form not in FORMS:
        raise Http404(_("Không có biểu mẫu này."))
    dossier = dossier_get(user=request.user, code=code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    try:
        data = render_form(dossier=dossier, form=form)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return _pdf_response(data, f"{code}-{form}.pdf")


class BookForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[("xlsx", gettext_lazy("Bảng tính Excel (.xlsx)")), ("pdf", gettext_lazy("PDF để in"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data


@login_required
def tracking_book(request):
    """The dossier tracking book (sổ theo dõi hồ sơ) of the officer's agency for a date range."""
    if not policies.may_keep_tracking_book(request.user):
        raise PermissionDenied
    today = clock.localdate()
    form = BookForm(request.GET or None, initial={"date_from": today.replace(day=1), "date_to": today})
    if request.GET and form.is_valid():
        data = form.cleaned_data
        arguments = {"agency": request.user.agency, "date_from": data["date_from"], "date_to": data["date_to"]}
        name = f"so-theo-doi-ho-so-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"
        try:
            if data["format"] == "pdf":
                return _pdf_response(tracking_book_pdf(**arguments), f"{name}.pdf")
            response = HttpResponse(tracking_book_xlsx(**arguments), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "dossiers/office/tracking_book.html",
        {"form": form, "today": today, "first_of_month": date(today.year, today.month, 1)},
    )


urlpatterns = [
    path("ho-so/<str:code>/van-ban/<str:form>/", document, name="document"),
    path("can-bo/so-theo-doi/", tracking_book, name="tracking_book"),
]
