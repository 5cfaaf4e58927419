"""Writes for paper turned into data: the officer asks for a scanned component to be read, a task adds
the text layer and proposes the key fields, the officer confirms them and the paper enters the
applicant's data store with its fields and validity, for the next dossier to reuse."""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.audit.services import audit_record
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.core.text import fold
from cchc.dossiers.models import DossierDocument, StoredDocument

from .engine import OcrUnavailable, ocr
from .fields import FIELD_LABELS, propose
from .models import Digitisation
from .policies import may_digitise

State = Digitisation.State


@transaction.atomic(durable=True)
def digitisation_request(*, document: DossierDocument, officer: User) -> Digitisation:
    """Read a scanned component (at the counter, or the paper result): queued once; asking again after a
    failure tries again."""
    document = DossierDocument.objects.select_for_update().select_related("dossier").get(pk=document.pk)
    if not may_digitise(officer, document):
        raise PermissionDenied(_("Chỉ cán bộ Một cửa của cơ quan số hóa giấy tờ."), code="not_counter")
    if not document.file:
        raise ApplicationError(_("Giấy tờ chưa có bản quét."), code="no_scan")
    job, created = Digitisation.objects.get_or_create(document=document, defaults={"requested_by": officer})
    if not created and job.state != State.FAILED:
        return job
    job.state, job.error, job.requested_by = State.QUEUED, "", officer
    job.save(update_fields=["state", "error", "requested_by"])
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import digitise

    digitise.enqueue(job_id)


def digitisation_run(*, job_id: int) -> Digitisation:
    """The task: OCR outside any transaction, then the text layer, the text and the proposals saved."""
    job = Digitisation.objects.select_related("document").get(pk=job_id)
    if job.state != State.QUEUED:
        return job
    with job.document.file.open("rb") as scan:
        data = scan.read()
    try:
        result = ocr(data)
    except OcrUnavailable as exc:
        Digitisation.objects.filter(pk=job.pk, state=State.QUEUED).update(state=State.FAILED, error=str(exc))
        job.refresh_from_db()
        return job
    name = f"{hashlib.sha256(result.pdf).hexdigest()[:16]}.pdf"
    job.searchable.save(name, ContentFile(result.pdf), save=False)
    job.text = result.text[:200_000]
    job.proposed = {p.field: p.value for p in propose(result.text)}
    job.state = State.PROPOSED
    job.save(update_fields=["searchable", "text", "proposed", "state"])
    return job


@transaction.atomic(durable=True)
def digitisation_confirm(
    *, job: Digitisation, officer: User, fields: dict[str, str], valid_until: date | None = None
) -> Digitisation:
    """The officer confirms (or corrects) the key fields: the searchable paper enters the applicant's data
    store with its validity, and the fields stay with it."""
    job = (
        Digitisation.objects.select_for_update()
        .select_related("document__dossier", "document__component")
        .get(pk=job.pk)
    )
    if not may_digitise(officer, job.document):
        raise PermissionDenied(_("Chỉ cán bộ Một cửa của cơ quan số hóa giấy tờ."), code="not_counter")
    if job.state != State.PROPOSED:
        raise Conflict(_("Giấy tờ này không ở bước chờ xác nhận."), code="not_proposed")
    confirmed = {k: " ".join(str(v).split()) for k, v in fields.items() if k in FIELD_LABELS and str(v).strip()}
    dossier = job.document.dossier
    identifier = dossier.applicant_identifier
    if not identifier:
        raise ApplicationError(_("Hồ sơ chưa có số định danh hoặc mã số thuế của người nộp."), code="no_owner")
    with job.searchable.open("rb") as pdf:
        digest = hashlib.sha256(pdf.read()).hexdigest()
    stored, _created = StoredDocument.objects.get_or_create(
        owner_identifier=identifier,
        component_key=fold(job.document.component.name),
        sha256=digest,
        kind=StoredDocument.Kind.UPLOAD,
        deleted_at=None,
        defaults={
            "owner": dossier.applicant_user,
            "name": job.document.component.name,
            "file": job.searchable.name,
            "original_name": f"so-hoa-{job.document.original_name or 'giay-to'}",
            "content_type": "application/pdf",
            "size": job.searchable.size,
            "valid_until": valid_until,
            "source_dossier": dossier,
        },
    )
    job.state, job.confirmed, job.valid_until = State.CONFIRMED, confirmed, valid_until
    job.confirmed_by, job.confirmed_at, job.stored = officer, timezone.now(), stored
    job.save(update_fields=["state", "confirmed", "valid_until", "confirmed_by", "confirmed_at", "stored"])
    audit_record(
        action="digitisation.confirm",
        actor=officer,
        object_type="dossier_document",
        object_id=job.document_id,
        dossier_code=dossier.code or "",
        data={"fields": sorted(confirmed)},
    )
    return job
