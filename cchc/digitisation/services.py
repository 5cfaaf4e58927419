"""Writes for paper turned into data: the officer asks for a scanned component to be read, or records the
scan of a paper result; a task adds the text layer and proposes the key fields; the officer confirms them and
the paper enters the applicant's data store with its fields and validity, for the next dossier to reuse.

Historical results come in batches (`imports.py` reads and checks them; `historical_import` below writes
them): their spreadsheet's metadata is the confirmation, so the task stores each one once it is read.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, User
from cchc.accounts.roles import APPLICANT_ROLES
from cchc.audit.services import audit_record
from cchc.core import clock, jobs
from cchc.core.blobs import Blob, blobs_put
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.core.text import fold
from cchc.dossiers.models import Dossier, DossierDocument, StoredDocument
from cchc.dossiers.uploads import check_upload
from cchc.dossiers.workflow import Status
from cchc.procedures.models import ProcedureVersion

from .engine import OcrUnavailable, ocr
from .fields import FIELD_LABELS, propose
from .models import Digitisation, ImportBatch
from .policies import may_confirm, may_digitise, may_import, may_record_result

State = Digitisation.State
Source = Digitisation.Source
# A paper result exists once the dossier has one (ready at the counter, or already handed over).
RESULT_STATUSES = frozenset({Status.RESULT_READY, Status.RETURNED})
MAX_NUMBER = Digitisation._meta.get_field("number").max_length
BLOB_CHUNK = 20


def is_paper_result(dossier: Dossier) -> bool:
    return dossier.procedure_version.result_type == ProcedureVersion.ResultType.PAPER


@transaction.atomic(durable=True)
def digitisation_request(*, document: DossierDocument, officer: User) -> Digitisation:
    """Read a scanned component: queued once; asking again after a failure tries again."""
    document = DossierDocument.objects.select_for_update().select_related("dossier").get(pk=document.pk)
    if not may_digitise(officer, document):
        raise PermissionDenied(_("Chỉ cán bộ Một cửa của cơ quan số hóa giấy tờ."), code="not_counter")
    if not document.file:
        raise ApplicationError(_("Giấy tờ chưa có bản quét."), code="no_scan")
    job, created = Digitisation.objects.get_or_create(
        document=document, defaults={"requested_by": officer, "agency_id": document.dossier.agency_id}
    )
    if not created and job.state != State.FAILED:
        return job
    job.state, job.error, job.requested_by = State.QUEUED, "", officer
    job.save(update_fields=["state", "error", "requested_by"])
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def paper_result_record(
    *,
    dossier: Dossier,
    officer: User,
    scan,
    number: str = "",
    issued_on: date | None = None,
    valid_until: date | None = None,
) -> Digitisation:
    """The counter officer records the scan of a dossier's paper result (before handing it over, or after):
    the same reading task proposes its key fields, and once confirmed it enters the applicant's data store.

    Once per dossier; a scan whose reading failed may be replaced. The file is checked and stored before
    the transaction (`core.blobs`)."""
    dossier = Dossier.objects.select_related("procedure_version").get(pk=dossier.pk)
    _check_result(dossier, officer=officer, number=number, issued_on=issued_on, valid_until=valid_until)
    checked = check_upload(scan, label=_("Bản quét kết quả"))
    blob = Blob(File(scan), checked.sha256, checked.extension)
    blobs_put([blob])
    return _paper_result_save(
        dossier=dossier,
        officer=officer,
        scan_name=blob.name,
        sha256=checked.sha256,
        original_name=getattr(scan, "name", "")[:255],
        number=number.strip(),
        issued_on=issued_on,
        valid_until=valid_until,
    )


def _check_result(dossier: Dossier, *, officer: User, number: str, issued_on, valid_until) -> None:
    if not may_record_result(officer, dossier):
        raise PermissionDenied(_("Chỉ cán bộ Một cửa số hóa kết quả giải quyết."), code="not_counter")
    if not is_paper_result(dossier):
        raise ApplicationError(
            _("Thủ tục này trả kết quả điện tử đã ký số: không cần số hóa bản giấy."), code="electronic_result"
        )
    if dossier.status not in RESULT_STATUSES:
        raise Conflict(_("Hồ sơ chưa có kết quả để số hóa."), code="no_result_yet")
    if len(number.strip()) > MAX_NUMBER:
        raise ApplicationError(_("Số văn bản quá dài."), code="number_too_long")
    if issued_on and issued_on > clock.localdate():
        raise ApplicationError(_("Ngày cấp không được sau hôm nay."), code="issued_in_future")
    if issued_on and valid_until and valid_until < issued_on:
        raise ApplicationError(_("Ngày hết hiệu lực phải sau ngày cấp."), code="valid_before_issue")


@transaction.atomic(durable=True)
def _paper_result_save(*, dossier: Dossier, officer: User, scan_name: str, sha256: str, **values) -> Digitisation:
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version").get(pk=dossier.pk)
    if dossier.status not in RESULT_STATUSES:
        raise Conflict(_("Hồ sơ chưa có kết quả để số hóa."), code="no_result_yet")
    job = Digitisation.objects.select_for_update().filter(dossier=dossier, source=Source.RESULT).first()
    if job is not None and job.state != State.FAILED:
        raise Conflict(_("Kết quả của hồ sơ này đã được số hóa."), code="result_digitised")
    job = job or Digitisation(dossier=dossier, source=Source.RESULT, agency_id=dossier.agency_id)
    job.scan, job.sha256 = scan_name, sha256
    job.name = dossier.procedure_version.result_name
    job.owner_identifier, job.owner_name = dossier.applicant_identifier, dossier.applicant_name
    job.number, job.issued_on, job.valid_until = values["number"], values["issued_on"], values["valid_until"]
    job.original_name = values["original_name"]
    job.state, job.error, job.requested_by = State.QUEUED, "", officer
    job.save()
    audit_record(
        action="digitisation.result",
        actor=officer,
        object_type="dossier",
        object_id=dossier.pk,
        dossier_code=dossier.code or "",
        data={"sha256": sha256},
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    jobs.named("digitisation.digitise").enqueue(job_id)


def digitisation_run(*, job_id: int) -> Digitisation:
    """The task: OCR outside any transaction, then the text layer, the text and the proposals saved. A
    historical result is then stored at once: its spreadsheet row is the confirmation."""
    job = Digitisation.objects.select_related("document").get(pk=job_id)
    if job.state != State.QUEUED:
        return job
    with job.source_file.open("rb") as scan:
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
    if job.source == Source.HISTORICAL:
        with transaction.atomic():
            job = Digitisation.objects.select_for_update().get(pk=job.pk)
            fields = {"id_number": job.owner_identifier, "name": job.owner_name}
            _confirm(job, officer=job.requested_by, fields=fields, valid_until=job.valid_until)
    return job


@transaction.atomic(durable=True)
def digitisation_confirm(
    *, job: Digitisation, officer: User, fields: dict[str, str], valid_until: date | None = None
) -> Digitisation:
    """The officer confirms (or corrects) the key fields: the searchable paper enters the applicant's data
    store with its validity, and the fields stay with it."""
    job = (
        Digitisation.objects.select_for_update(of=("self",))
        .select_related("document__dossier", "document__component", "dossier", "agency")
        .get(pk=job.pk)
    )
    if not may_confirm(officer, job):
        raise PermissionDenied(_("Chỉ cán bộ Một cửa của cơ quan số hóa giấy tờ."), code="not_counter")
    return _confirm(job, officer=officer, fields=fields, valid_until=valid_until)


def _owner_of(job: Digitisation) -> tuple[str, User | None, Dossier | None]:
    """Whose data store the paper enters: the dossier's applicant, or for a historical result the
    verified account of its ID number (if any; the counter finds it by the number in any case)."""
    dossier = job.document.dossier if job.document_id else job.dossier
    if dossier is not None:
        return dossier.applicant_identifier, dossier.applicant_user, dossier
    owner = User.objects.filter(
        id_number=job.owner_identifier, identity_verified=True, role__in=APPLICANT_ROLES
    ).first()
    return job.owner_identifier, owner, None


def _confirm(job: Digitisation, *, officer: User | None, fields: dict[str, str], valid_until) -> Digitisation:
    if job.state != State.PROPOSED:
        raise Conflict(_("Giấy tờ này không ở bước chờ xác nhận."), code="not_proposed")
    confirmed = {k: " ".join(str(v).split()) for k, v in fields.items() if k in FIELD_LABELS and str(v).strip()}
    identifier, owner, dossier = _owner_of(job)
    if not identifier:
        raise ApplicationError(_("Hồ sơ chưa có số định danh hoặc mã số thuế của người nộp."), code="no_owner")
    if job.source == Source.COMPONENT:
        name, kind = job.document.component.name, StoredDocument.Kind.UPLOAD
        original = f"so-hoa-{job.document.original_name or 'giay-to'}"
    else:
        name, kind = job.name, StoredDocument.Kind.RESULT
        original = f"so-hoa-{job.original_name or 'ket-qua'}"
    if original.rsplit(".", 1)[-1].lower() != "pdf":
        original = f"{original.rsplit('.', 1)[0]}.pdf"
    with job.searchable.open("rb") as pdf:
        digest = hashlib.sha256(pdf.read()).hexdigest()
    stored, _created = StoredDocument.objects.get_or_create(
        owner_identifier=identifier,
        component_key=fold(name),
        sha256=digest,
        kind=kind,
        deleted_at=None,
        defaults={
            "owner": owner,
            "name": name,
            "file": job.searchable.name,
            "original_name": original[:255],
            "content_type": "application/pdf",
            "size": job.searchable.size,
            "valid_until": valid_until,
            "source_dossier": dossier,
        },
    )
    job.state, job.confirmed, job.valid_until = State.CONFIRMED, confirmed, valid_until
    job.confirmed_by, job.confirmed_at, job.stored = officer, clock.now(), stored
    job.save(update_fields=["state", "confirmed", "valid_until", "confirmed_by", "confirmed_at", "stored"])
    audit_record(
        action="digitisation.confirm",
        actor=officer,
        object_type="dossier_document" if job.document_id else "digitisation",
        object_id=job.document_id or job.pk,
        dossier_code=(dossier.code or "") if dossier else "",
        chain=None if dossier else job.agency.code,
        data={"fields": sorted(confirmed), "source": job.source},
    )
    return job


def historical_import(*, agency: Agency, actor: User | None, sheet_name: str, rows, files) -> ImportBatch:
    """Import checked rows of historical results (`imports.check_rows`: every row valid, or nothing comes
    here). A scan imported before (same SHA-256) is skipped, so running the same import again adds nothing.
    The scans are stored before the transaction; each one is read by the task, then stored."""
    if actor is not None and not may_import(actor, agency):
        raise PermissionDenied(
            _("Chỉ cán bộ Một cửa hoặc cán bộ CCHC của cơ quan nhập kết quả cũ."), code="not_allowed"
        )
    seen = set(
        Digitisation.objects.filter(source=Source.HISTORICAL, sha256__in=[row.sha256 for row in rows]).values_list(
            "sha256", flat=True
        )
    )
    new = [row for row in rows if row.sha256 not in seen]
    for start in range(0, len(new), BLOB_CHUNK):  # a few scans in memory at a time
        blobs_put(
            [Blob(files.read(row.file_name), row.sha256, row.extension) for row in new[start : start + BLOB_CHUNK]]
        )
    return _historical_save(agency=agency, actor=actor, sheet_name=sheet_name, rows=rows, new=new)


@transaction.atomic(durable=True)
def _historical_save(*, agency: Agency, actor: User | None, sheet_name: str, rows, new) -> ImportBatch:
    from cchc.core.blobs import blob_name

    batch = ImportBatch.objects.create(
        agency=agency,
        sheet_name=sheet_name[:255],
        rows=len(rows),
        imported=len(new),
        skipped=len(rows) - len(new),
        imported_by=actor,
    )
    jobs = Digitisation.objects.bulk_create(
        [
            Digitisation(
                source=Source.HISTORICAL,
                agency=agency,
                batch=batch,
                scan=blob_name(row.sha256, row.extension),
                original_name=row.file_name.rsplit("/", 1)[-1][:255],
                sha256=row.sha256,
                name=row.name,
                number=row.number,
                issued_on=row.issued_on,
                valid_until=row.valid_until,
                owner_identifier=row.identifier,
                owner_name=row.owner_name,
                requested_by=actor,
            )
            for row in new
        ],
        ignore_conflicts=False,
    )
    audit_record(
        action="digitisation.import",
        actor=actor,
        chain=agency.code,
        object_type="import_batch",
        object_id=batch.pk,
        data={"rows": batch.rows, "imported": batch.imported, "skipped": batch.skipped},
    )
    ids = [job.pk for job in jobs] if all(job.pk for job in jobs) else list(batch.items.values_list("pk", flat=True))
    transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
    return batch


@transaction.atomic(durable=True)
def historical_retry(*, agency: Agency, actor: User | None, batch: ImportBatch | None = None) -> int:
    """Read again the historical scans whose reading failed (of one batch, or of all the agency's): each
    failed row is queued again, the others are left as they are, so asking twice queues nothing more.
    Returns how many were queued; audited when any was."""
    if actor is not None and not may_import(actor, agency):
        raise PermissionDenied(
            _("Chỉ cán bộ Một cửa hoặc cán bộ CCHC của cơ quan nhập kết quả cũ."), code="not_allowed"
        )
    if batch is not None and batch.agency_id != agency.pk:
        raise PermissionDenied(_("Đợt nhập này không thuộc cơ quan."), code="other_agency")
    failed = Digitisation.objects.select_for_update().filter(
        source=Source.HISTORICAL, agency=agency, state=State.FAILED
    )
    if batch is not None:
        failed = failed.filter(batch=batch)
    ids = list(failed.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    Digitisation.objects.filter(pk__in=ids).update(state=State.QUEUED, error="")
    audit_record(
        action="digitisation.retry",
        actor=actor,
        chain=agency.code,
        object_type="import_batch" if batch is not None else "agency",
        object_id=batch.pk if batch is not None else agency.pk,
        data={"rows": ids},
    )
    transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
    return len(ids)
