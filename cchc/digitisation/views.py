"""The officer's pages: one scanned component or one dossier's paper result (read it, then confirm its key
fields into the data store), and the import of historical results (a zip of scans and a spreadsheet)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cchc.core.errors import ApplicationError
from cchc.dossiers.models import DossierDocument
from cchc.dossiers.selectors import dossier_visible_to

from . import imports, policies, services
from .forms import ConfirmForm, ImportForm, PaperResultForm
from .models import Digitisation, ImportBatch


def _document(request, code: str, pk: int) -> DossierDocument:
    dossier = dossier_visible_to(request.user).filter(code=code).first()
    document = DossierDocument.objects.filter(dossier=dossier, pk=pk).select_related("component").first()
    if dossier is None or document is None or not policies.may_digitise(request.user, document):
        raise Http404
    return document


def _confirm(request, job: Digitisation) -> ConfirmForm | None:
    """Handle the confirmation POST: None once confirmed, else the form with its errors."""
    form = ConfirmForm(request.POST)
    if form.is_valid():
        services.digitisation_confirm(
            job=job, officer=request.user, fields=form.key_fields(), valid_until=form.cleaned_data.get("valid_until")
        )
        messages.success(request, _("Đã xác nhận; giấy tờ đã vào kho dữ liệu của người nộp."))
        return None
    return form


@require_http_methods(["GET", "POST"])
@login_required
def document(request, code: str, pk: int):
    paper = _document(request, code, pk)
    job = Digitisation.objects.filter(document=paper).first()
    form = ConfirmForm(initial=job.proposed if job else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm" and job is not None:
                form = _confirm(request, job)
                if form is None:
                    return redirect("digitisation:document", code=code, pk=pk)
                status = 400
            else:
                services.digitisation_request(document=paper, officer=request.user)
                messages.success(request, _("Đã xếp lịch nhận dạng chữ; tải lại trang sau ít phút."))
                return redirect("digitisation:document", code=code, pk=pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = 400
    return render(
        request,
        "digitisation/document.html",
        {"title": paper.component.name, "dossier": paper.dossier, "job": job, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def paper_result(request, code: str):
    """The counter scans the paper result; once read, confirms its key fields into the data store."""
    dossier = dossier_visible_to(request.user).filter(code=code).select_related("procedure_version").first()
    if dossier is None or not policies.may_record_result(request.user, dossier):
        raise Http404
    job = Digitisation.objects.filter(dossier=dossier, source=Digitisation.Source.RESULT).first()
    initial = {**(job.proposed if job else {}), "valid_until": job.valid_until if job else None}
    form = ConfirmForm(initial=initial)
    upload = PaperResultForm()
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm" and job is not None:
                form = _confirm(request, job)
                if form is None:
                    return redirect("digitisation:paper_result", code=code)
                status = 400
            else:
                upload = PaperResultForm(request.POST, request.FILES)
                if upload.is_valid():
                    services.paper_result_record(
                        dossier=dossier,
                        officer=request.user,
                        scan=upload.cleaned_data["scan"],
                        number=upload.cleaned_data["number"],
                        issued_on=upload.cleaned_data["issued_on"],
                        valid_until=upload.cleaned_data["valid_until"],
                    )
                    messages.success(request, _("Đã lưu bản quét kết quả và xếp lịch nhận dạng chữ."))
                    return redirect("digitisation:paper_result", code=code)
                status = 400
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = 400
    return render(
        request,
        "digitisation/document.html",
        {
            "title": dossier.procedure_version.result_name,
            "dossier": dossier,
            "job": job,
            "form": form,
            "upload": upload,
            "is_result": True,
            "is_paper": services.is_paper_result(dossier),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_batches(request):
    """Historical results: upload a zip of scans and its spreadsheet; every row is checked first, and
    nothing is imported while any row is wrong."""
    agency = request.user.agency
    if agency is None or not policies.may_import(request.user, agency):
        raise Http404
    form, problems, status = ImportForm(), [], 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = imports.import_upload(
                    agency=agency,
                    actor=request.user,
                    archive=form.cleaned_data["archive"],
                    sheet=form.cleaned_data["sheet"],
                )
            except imports.RowsRejected as exc:
                problems, status = exc.problems, 400
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("Đã nhập %(new)s giấy tờ (%(old)s đã nhập trước đây); đang nhận dạng chữ.")
                    % {"new": batch.imported, "old": batch.skipped},
                )
                return redirect("digitisation:batch", pk=batch.pk)
        else:
            status = 400
    batches = ImportBatch.objects.filter(agency=agency)[:50]
    return render(
        request,
        "digitisation/imports.html",
        {"form": form, "problems": problems, "batches": batches, "columns": imports.COLUMNS},
        status=status,
    )


@login_required
def batch(request, pk: int):
    item = get_object_or_404(ImportBatch.objects.select_related("agency"), pk=pk)
    if not policies.may_import(request.user, item.agency):
        raise Http404
    jobs = item.items.order_by("pk")
    failed = any(job.state == Digitisation.State.FAILED for job in jobs)
    return render(request, "digitisation/batch.html", {"batch": item, "jobs": jobs, "failed": failed})


@require_POST
@login_required
def batch_retry(request, pk: int):
    """Read again the batch's scans whose reading failed (the others are left)."""
    item = get_object_or_404(ImportBatch.objects.select_related("agency"), pk=pk)
    if not policies.may_import(request.user, item.agency):
        raise Http404
    try:
        queued = services.historical_retry(agency=item.agency, actor=request.user, batch=item)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if queued:
            messages.success(request, _("Đã xếp lịch nhận dạng lại %(n)s bản quét bị lỗi.") % {"n": queued})
        else:
            messages.info(request, _("Không có bản quét nào bị lỗi cần nhận dạng lại."))
    return redirect("digitisation:batch", pk=item.pk)
