"""Pieces every dossier write shares: the inputs, the row lock, the code, the history row and
audit event, step runs and the calendar."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.accounts.roles import UNIT_STEP_ROLES
from cchc.audit.services import audit_record, chain_of
from cchc.core import clock
from cchc.core.blobs import Blob, blobs_pending, blobs_put
from cchc.core.calendar import WorkingCalendar
from cchc.core.errors import ApplicationError, NotFound
from cchc.core.jobs import jobs_batched
from cchc.procedures.models import Component, Procedure, ProcedureVersion
from cchc.procedures.selectors import agency_calendar, offering_for, procedure_version_in_force, process_steps

from .. import hooks, workflow
from ..codes import format_dossier_code
from ..models import (
    DailySequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStep,
    StagedUpload,
)
from ..notifications import notify_applicant
from ..regimes import regime_at
from ..rules import ApplicantData, applicant_errors, judge
from ..uploads import check_upload
from ..workflow import Action, Status
from . import segments

A = Action
S = Status
MAX_SUCCESSORS = 10  # a chain of re-organisations is short; a cycle must not hang a dossier


@dataclass
class DocumentInput:
    """One component as handed in: an uploaded file, a paper copy, or both."""

    component_id: int
    file: object | None = None  # a Django UploadedFile
    paper: bool = False
    reused_from: DossierDocument | None = None
    staged: StagedUpload | None = None  # a file kept from a form sent back for another error


@dataclass
class ActionInput:
    comment: str = ""
    assignee: str = ""  # username, for assign
    items: list[str] = field(default_factory=list)  # for request_supplement
    new_due_at: datetime | None = None  # for apologize
    return_method: str = ""  # for return_result
    documents: list[DocumentInput] = field(default_factory=list)  # for supplement
    prepared: list["PreparedDocument"] = field(default_factory=list)  # set by dossier_act from `documents`
    prepared_action: object = None  # set by dossier_act: what the action's preparer made before the locks


# ---------------------------------------------------------------- helpers


def _calendar(dossier: Dossier) -> WorkingCalendar:
    return agency_calendar(dossier.agency)


def position_of(dossier: Dossier) -> workflow.Position:
    return workflow.Position(
        status=dossier.status,
        step=dossier.current_step,
        # Counted only where the rules read it (moving between steps); 0 elsewhere.
        step_count=(
            process_steps(dossier.procedure_version, dossier.agency_id).count()
            if dossier.status in workflow.STEPPING
            else 0
        ),
        received=dossier.received_at is not None,
        processing_supplements=dossier.processing_supplements,
        # The one-to-one accessor caches what it read (or what `remember_fresh` knew).
        apologized=getattr(dossier, "apology", None) is not None,
        regime=dossier.regime,
        electronic_result=dossier.procedure_version.result_type == ProcedureVersion.ResultType.ELECTRONIC,
        # The results app adds a one-to-one `signed_result` to Dossier.
        result_signed=hasattr(dossier, "signed_result"),
    )


def remember_fresh(dossier: Dossier, *, documents: list[DossierDocument], events: list[DossierEvent]) -> Dossier:
    """Tell a dossier just created what it holds, so that showing it reads nothing again: its
    documents and events as they were inserted, and no steps, requests, payments, apology or signed
    result."""
    known = {"documents": documents, "events": events, "steps": [], "supplement_requests": [], "segments": []}
    if hasattr(Dossier, "payments"):  # the payments app's reverse relation: no attempt yet
        known["payments"] = []
    dossier._prefetched_objects_cache = {}
    for name, rows in known.items():
        # The manager's own queryset (still filterable, read again when filtered) with its rows known.
        cached = getattr(dossier, name).all()
        cached._result_cache, cached._prefetch_done = list(rows), True
        dossier._prefetched_objects_cache[name] = cached
    for name in ("apology", "signed_result"):
        if hasattr(Dossier, name):
            dossier._state.fields_cache[name] = None
    return dossier


def _take_code(dossier: Dossier, at: datetime, *, store: bool = False) -> str:
    """The next code of the receiving one-stop point's day (docs/dossier-codes.md: the identifier
    and daily sequence are those of the point that received the dossier; online, the resolving
    agency's). The upsert locks the day's row until commit, so concurrent intakes queue behind
    each other and a rolled-back intake gives its number back: take it as late as the transaction
    allows (docs/architecture.md, "Lock order"). `store`: also write it on the dossier's row, already
    inserted without one."""
    point = dossier.reception_point or dossier.agency
    day = timezone.localdate(at)
    table = DailySequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [point.pk, day],
        )
        (sequence,) = cursor.fetchone()
        code = format_dossier_code(point.code, day, sequence)
        if store:
            cursor.execute(f"UPDATE {Dossier._meta.db_table} SET code = %s WHERE id = %s", [code, dossier.pk])  # noqa: S608
    return code


def _record(
    dossier: Dossier,
    *,
    action: str,
    from_status: str,
    actor: User | None,
    reason: str = "",
    at: datetime,
    ip: str | None = None,
    notify: bool = True,
) -> DossierEvent:
    """The dossier's history row for `action`, then what it announces (`_announce`)."""
    event = _event_add(dossier, action=action, from_status=from_status, actor=actor, reason=reason, at=at)
    _announce(dossier, event, from_status=from_status, actor=actor, reason=reason, ip=ip, notify=notify)
    return event


def _event_add(
    dossier: Dossier, *, action: str, from_status: str, actor: User | None, reason: str = "", at: datetime
) -> DossierEvent:
    """The history row alone (it does not name the dossier's code)."""
    step = None
    if dossier.current_step:  # before reception (a submission) no step runs: nothing to read
        step = process_steps(dossier.procedure_version, dossier.agency_id).filter(order=dossier.current_step).first()
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        step_order=dossier.current_step,
        step_name=step.name if step else "",
        actor=actor,
        actor_role=actor.role if actor else "",
        reason=reason,
        at=at,
    )


def _announce(
    dossier: Dossier,
    event: DossierEvent,
    *,
    from_status: str,
    actor: User | None,
    reason: str = "",
    ip: str | None = None,
    notify: bool = True,
) -> None:
    """What an event sets off in the same transaction: the applicant's notices, the other apps'
    receivers (`dossier_changed`) and the audit event. Each names the dossier's code."""
    action = event.action
    # The jobs the notices and the receivers queue are written together (one insert).
    with jobs_batched():
        # An apology keeps the status but gives a new appointment: the applicant must hear of it.
        if notify and (from_status != dossier.status or action == A.APOLOGIZE):
            notify_applicant(dossier=dossier, event=event)
        hooks.dossier_changed.send(sender=Dossier, dossier=dossier, event=event)
    # Last: the chain's head stays locked until the commit, so it is taken as late as possible.
    audit_record(
        action=f"dossier.{action}",
        # The chain of the point whose code the dossier bears, like the events other apps record.
        chain=chain_of(dossier.code) if dossier.code else dossier.agency.code,
        actor=actor,
        object_type="dossier",
        object_id=dossier.pk,
        dossier_code=dossier.code or "",
        from_status=from_status,
        to_status=dossier.status,
        reason=reason,
        ip=ip,
    )


def _open_step_run(dossier: Dossier, *, order: int, at: datetime, assignee: User | None = None) -> DossierStep:
    """Step `order` opens. On an inter-agency dossier (steps in more than one agency) the run
    records its agency and, when the step is another agency's than the one holding the dossier,
    the dossier changes hands (`segments`): the hand-over's history row follows the action's."""
    steps = list(process_steps(dossier.procedure_version, dossier.agency_id).select_related("unit", "agency"))
    process_step = next(step for step in steps if step.order == order)
    agencies = {step.order: _continuing(step.agency).pk if step.agency_id else dossier.agency_id for step in steps}
    inter_agency = segments.is_inter_agency(agencies)
    step_agency = _continuing(process_step.agency) if process_step.agency_id else dossier.agency
    calendar = agency_calendar(step_agency)
    due = calendar.add_working_hours(calendar.counting_start(at), process_step.hours)
    run = DossierStep.objects.create(
        dossier=dossier,
        process_step=process_step,
        order=order,
        agency_id=agencies[order] if inter_agency else None,
        unit=_step_unit(dossier, process_step),
        role=process_step.role,
        budget_hours=process_step.hours,
        assignee=assignee,
        started_at=at,
        due_at=due,
    )
    if inter_agency:
        source = segments.segment_enter(dossier, agency_id=agencies[order], order=order, at=at)
        if source is not None:
            dossier._pending_hand_over = (source, agencies[order])
    return run


def _continuing(agency):
    """The agency, or the successor that carries on its work once it ended (a merger)."""
    today = clock.localdate()
    for _hop in range(MAX_SUCCESSORS):
        if agency.valid_to is None or agency.valid_to >= today or agency.successor_id is None:
            break
        agency = agency.successor
    return agency


def _step_unit(dossier: Dossier, process_step):
    """The unit a step runs in: the step's own, or for a template step without one that a
    specialist or unit head takes, the lead unit of the offering of the agency the step runs in
    (the resolving agency's, unless the step names another)."""
    unit = process_step.unit
    if unit is not None:
        # A unit that ended hands its work to its successor (a merger, a re-organisation).
        today = clock.localdate()
        for _hop in range(MAX_SUCCESSORS):
            if unit.valid_to is None or unit.valid_to >= today or unit.successor_id is None:
                break
            unit = unit.successor
        return unit
    if process_step.role not in UNIT_STEP_ROLES:
        return None
    agency = _continuing(process_step.agency) if process_step.agency_id else dossier.agency
    offering = offering_for(procedure=dossier.procedure, agency=agency)
    return offering.unit if offering is not None else None


def _close_step_run(dossier: Dossier, *, at: datetime, actor: User | None, note: str = "") -> DossierStep | None:
    run = dossier.steps.filter(finished_at__isnull=True).first()
    if run is None:
        return None
    run.finished_at = at
    run.finished_by = actor
    run.outcome = judge(at, run.due_at)
    run.note = note
    run.save(update_fields=["finished_at", "finished_by", "outcome", "note"])
    return run


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("agency", "procedure", "procedure_version", "applicant_user")
        .get(pk=dossier.pk)
    )


@dataclass(frozen=True)
class PreparedDocument:
    """A component checked and its file stored (content-addressed), ready to be referenced."""

    component: Component
    file_name: str = ""
    original_name: str = ""
    content_type: str = ""
    size: int = 0
    sha256: str = ""
    paper: bool = False
    reused_from: DossierDocument | None = None
    staged: StagedUpload | None = None


def documents_prepare(documents: list[DocumentInput], *, components) -> list[PreparedDocument]:
    """Check every upload against `components` and store the files, before any transaction.

    Raises on the first bad one; files already stored then stay pending, and the sweep removes
    them a day later unless something references them meanwhile (`core.blobs`)."""
    by_id = {component.pk: component for component in components}
    prepared: list[PreparedDocument] = []
    blobs: list[Blob] = []
    for item in documents:
        component = by_id.get(item.component_id)
        if component is None:
            raise ApplicationError(
                _("Thành phần hồ sơ #%(id)s không thuộc thủ tục này.") % {"id": item.component_id},
                code="unknown_component",
            )
        if item.file is None and not item.paper and item.reused_from is None and item.staged is None:
            continue
        if item.reused_from is None and item.staged is None and item.file is not None:
            checked = check_upload(item.file, label=component.name)
            blob = Blob(File(item.file), checked.sha256, checked.extension)
            blobs.append(blob)
            prepared.append(
                PreparedDocument(
                    component,
                    file_name=blob.name,
                    original_name=getattr(item.file, "name", "")[:255],
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    paper=item.paper,
                )
            )
        else:
            staged = item.staged if item.reused_from is None else None
            prepared.append(PreparedDocument(component, paper=item.paper, reused_from=item.reused_from, staged=staged))
    blobs_put(blobs)
    return prepared


DOCUMENT_FIELDS = ["file", "original_name", "content_type", "size", "sha256", "paper_received", "digitised", "reused"]


def _attach(
    dossier: Dossier, prepared: list[PreparedDocument], *, actor: User | None, new: bool = False
) -> list[DossierDocument]:
    """Reference the prepared documents from `dossier` (one insert, one update at most).

    A replaced file is handed to the sweep once the transaction commits: another dossier or the
    data store may hold the same content."""
    existing = {} if new else {document.component_id: document for document in dossier.documents.all()}
    created: list[DossierDocument] = []
    changed: list[DossierDocument] = []
    released: list[str] = []
    for item in prepared:
        document = existing.get(item.component.pk) or DossierDocument(dossier=dossier, component=item.component)
        document.paper_received = document.paper_received or item.paper
        if item.reused_from is not None:
            source = _reusable(dossier, item)
            document.file, document.original_name = source.file.name, source.original_name
            document.content_type, document.size, document.sha256 = source.content_type, source.size, source.sha256
            document.digitised, document.reused = True, True
        elif item.staged is not None:
            staged = item.staged
            if staged.owner_id != actor_id(actor) or staged.component_id != item.component.pk:
                raise NotFound(_("Không tìm thấy tệp đã đính kèm."), code="staged_upload_not_found")
            if document.file and document.file.name != staged.file.name:
                released.append(document.file.name)
            document.file, document.original_name = staged.file.name, staged.original_name
            document.content_type, document.size, document.sha256 = staged.content_type, staged.size, staged.sha256
            document.digitised = True
            # The file now belongs to the dossier: the row goes, the file stays.
            StagedUpload.objects.filter(pk=staged.pk).delete()
        elif item.file_name:
            if document.file and document.file.name != item.file_name:
                released.append(document.file.name)
            document.file = item.file_name
            document.original_name = item.original_name
            document.content_type, document.size, document.sha256 = item.content_type, item.size, item.sha256
            document.digitised, document.reused = True, False
        (changed if document.pk else created).append(document)
    DossierDocument.objects.bulk_create(created)
    if changed:
        DossierDocument.objects.bulk_update(changed, DOCUMENT_FIELDS)
    if released:
        transaction.on_commit(lambda: blobs_pending(released))
    return created + changed


def _reusable(dossier: Dossier, item: PreparedDocument):
    """The stored document `item` reuses, when it belongs to the dossier's applicant."""
    source = item.reused_from
    owners = {dossier.applicant_identifier} - {""}
    if source.owner_id != dossier.applicant_user_id and source.owner_identifier not in owners:
        raise NotFound(_("Không tìm thấy giấy tờ trong kho dữ liệu."), code="stored_document_not_found")
    return source


def _missing_components(components, prepared: list[PreparedDocument]) -> list[str]:
    """Required components a new dossier lacks, from what is handed in (no query)."""
    have = {item.component.pk for item in prepared}
    return [c.name for c in components if c.required and c.pk not in have]


def identity_vouched(user: User | None, applicant: ApplicantData) -> bool:
    """The citizen applies for themself and VNeID verified who they are."""
    return bool(
        user is not None
        and user.identity_verified
        and applicant.kind == "citizen"
        and applicant.id_number.strip() == user.id_number
    )


def _sync_population(dossier: Dossier) -> None:
    """Components the national population database holds: recorded as taken from it when the applicant's
    identity is verified (no file asked for); otherwise such records without a file are withdrawn."""
    flagged = [c for c in dossier.procedure_version.components.all() if c.from_population_db]
    if not flagged:
        return
    if dossier.applicant_identity_verified:
        have = set(dossier.documents.filter(component__in=flagged).values_list("component_id", flat=True))
        DossierDocument.objects.bulk_create(
            DossierDocument(dossier=dossier, component=c, from_population_db=True) for c in flagged if c.pk not in have
        )
    else:
        dossier.documents.filter(from_population_db=True, file="", paper_received=False).delete()


def actor_id(actor: User | None) -> int | None:
    return actor.pk if actor is not None else None


def _missing_required(dossier: Dossier) -> list[str]:
    have = set(dossier.documents.values_list("component_id", flat=True))
    return [c.name for c in dossier.procedure_version.components.all() if c.required and c.pk not in have]


def _validate_applicant(applicant: ApplicantData) -> ApplicantData:
    errors = applicant_errors(applicant)
    if errors:
        raise ApplicationError(" ".join(errors.values()), code="invalid_applicant", details=list(errors.items()))
    return applicant.cleaned()


def _version_for(procedure: Procedure, at: datetime) -> ProcedureVersion:
    """The version in force at `at`: the procedure's current one when it is loaded already (a
    version is never published ahead of its date), else read."""
    if Procedure.current_version.is_cached(procedure):
        current = procedure.current_version
        published = current is not None and current.status == ProcedureVersion.Status.PUBLISHED
        if published and current.effective_from is not None and current.effective_from <= at:
            return current
    version = procedure_version_in_force(procedure=procedure, at=at)
    if version is None:
        raise ApplicationError(_("Thủ tục chưa được công bố."), code="procedure_not_published")
    return version


def _start_processing(dossier: Dossier, *, actor: User, at: datetime) -> None:
    """Reception: the clock starts (from the next opening if outside office hours), step 1 opens."""
    calendar = _calendar(dossier)
    dossier.received_at = at
    dossier.received_by = actor
    dossier.regime = regime_at(at).code
    dossier.counted_from = calendar.counting_start(at)
    dossier.due_at = dossier.procedure_version.due_moment(calendar, dossier.counted_from)
    dossier.original_due_at = dossier.deadline_at = dossier.due_at
    dossier.current_step = 1
    # An officer of another one-stop point (a centre receiving for this agency) hands step 1 to
    # the resolving agency's counter; at the agency's own counter the officer keeps it.
    _open_step_run(dossier, order=1, at=at, assignee=actor if actor.agency_id == dossier.agency_id else None)
