"""Intake: online drafts and submission, and the walk-in dossier at the counter."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, User
from cchc.accounts.roles import APPLICANT_ROLES, RECEIVES_AT_COUNTER
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.procedures.models import Procedure, ProcedureVersion
from cchc.procedures.selectors import resolving_agency, resolving_offer

from .. import hooks, policies
from ..models import (
    Channel,
    Dossier,
    ReturnMethod,
    SupplementRequest,
)
from ..regimes import regime_at
from ..rules import ApplicantData
from ..workflow import Action, Status
from .common import (
    DocumentInput,
    _announce,
    _attach,
    _event_add,
    _lock,
    _missing_components,
    _missing_required,
    _record,
    _reusable,
    _start_processing,
    _sync_population,
    _take_code,
    _validate_applicant,
    _version_for,
    documents_prepare,
    identity_vouched,
    remember_fresh,
)
from .datastore import _store_documents

A = Action
S = Status


def _resolver(procedure: Procedure, agency: Agency | None) -> Agency:
    """The resolving agency: the one chosen (which must offer the procedure) or the only one."""
    return resolving_agency(procedure=procedure, agency_code=agency.code if agency is not None else "")


def _return_point(return_method: str, return_point: Agency | None, default: Agency) -> Agency | None:
    """Where a result returned at a counter is collected: the point chosen (a one-stop point of
    the province) or `default`; none for results sent online or by post."""
    if return_method != ReturnMethod.COUNTER:
        return None
    if return_point is None:
        return default
    if return_point.pk != default.pk and not return_point.receives_for_province:
        raise ApplicationError(
            _("Nơi trả kết quả phải là một Trung tâm Phục vụ hành chính công hoặc Bộ phận Một cửa cấp xã."),
            code="invalid_return_point",
        )
    return return_point


def dossier_create_draft(
    *,
    user: User,
    procedure: Procedure,
    applicant: ApplicantData,
    return_method: str,
    documents: list[DocumentInput],
    agency: Agency | None = None,
    return_point: Agency | None = None,
) -> Dossier:
    """An online dossier being prepared: saved with its files, not yet submitted. `agency` is the
    resolving agency the applicant chose (required when several offer the procedure)."""
    now = clock.now()
    applicant, version, agency = _online_intake(
        user=user,
        procedure=procedure,
        applicant=applicant,
        return_method=return_method,
        agency_code=agency.code if agency is not None else "",
        at=now,
    )
    prepared = documents_prepare(documents, components=version.components.all())
    with transaction.atomic(durable=True):
        dossier = _new_dossier(
            procedure=procedure,
            version=version,
            agency=agency,
            reception_point=agency,
            return_point=_return_point(return_method, return_point, agency),
            channel=Channel.ONLINE,
            return_method=return_method,
            applicant=applicant,
            applicant_user=user,
            at=now,
        )
        _attach(dossier, prepared, actor=user, new=True)
        _sync_population(dossier)
    return dossier


def _online_intake(
    *,
    user: User,
    procedure: Procedure,
    applicant: ApplicantData,
    return_method: str,
    agency_code: str,
    at: datetime,
) -> tuple[ApplicantData, ProcedureVersion, Agency]:
    """The checks every online intake makes before anything is stored: who, what, which version,
    which resolving agency (the one with `agency_code`, or the only one)."""
    if user.role not in APPLICANT_ROLES:
        raise PermissionDenied(_("Chỉ công dân, doanh nghiệp nộp hồ sơ trực tuyến."), code="not_applicant")
    applicant = _validate_applicant(applicant)
    if return_method not in ReturnMethod.values:
        raise ApplicationError(_("Hình thức nhận kết quả không hợp lệ."), code="invalid_return_method")
    agency, offering = resolving_offer(procedure=procedure, agency_code=agency_code)
    version = _version_for(procedure, at)
    level = offering.online_level_for(version) if offering is not None else version.online_level
    if level < ProcedureVersion.OnlineLevel.PARTIAL:
        raise ApplicationError(
            _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến; vui lòng nộp tại Bộ phận Một cửa."),
            code="not_online",
        )
    return applicant, version, agency


def _new_dossier(
    *,
    procedure: Procedure,
    version: ProcedureVersion,
    agency: Agency,
    reception_point: Agency,
    return_point: Agency | None,
    channel: str,
    return_method: str,
    applicant: ApplicantData,
    applicant_user: User | None,
    at: datetime,
    sets: int = 1,
    save: bool = True,
) -> Dossier:
    """A draft of `version` for `agency` to resolve, under the regime in force at `at`, with the fee
    its channel pays."""
    dossier = Dossier(
        agency=agency,
        reception_point=reception_point,
        return_point=return_point,
        procedure=procedure,
        procedure_version=version,
        regime=regime_at(at).code,
        status=S.DRAFT,
        channel=channel,
        return_method=return_method,
        sets=sets,
        fee_amount=fee_for(version, online=channel == Channel.ONLINE),
        applicant_user=applicant_user,
        applicant_identity_verified=channel == Channel.ONLINE and identity_vouched(applicant_user, applicant),
        **_applicant_fields(applicant),
    )
    if save:
        dossier.save(force_insert=True)
    return dossier


def fee_for(version: ProcedureVersion, *, online: bool) -> int:
    """The fees and charges due for a dossier of `version` (the online price when submitted online)."""
    return sum(fee.amount_for(online=online) for fee in version.fees.all())


def _applicant_fields(applicant: ApplicantData) -> dict:
    return {
        "applicant_kind": applicant.kind,
        "applicant_name": applicant.name,
        "applicant_id_number": applicant.id_number,
        "applicant_tax_code": applicant.tax_code,
        "applicant_phone": applicant.phone,
        "applicant_email": applicant.email,
        "applicant_address": applicant.address,
    }


def _applicant_of(dossier: Dossier) -> ApplicantData:
    return ApplicantData(
        kind=dossier.applicant_kind, name=dossier.applicant_name, id_number=dossier.applicant_id_number
    )


def dossier_update_draft(
    *,
    dossier: Dossier,
    user: User,
    applicant: ApplicantData,
    return_method: str,
    documents: list[DocumentInput],
    return_point: Agency | None = None,
) -> Dossier:
    """Change a draft before it is submitted: applicant, return method (and point), and the files handed
    in again (a component without a new file keeps its own). A submitted dossier is not changed."""
    applicant = _validate_applicant(applicant)
    if return_method not in ReturnMethod.values:
        raise ApplicationError(_("Hình thức nhận kết quả không hợp lệ."), code="invalid_return_method")
    prepared = documents_prepare(documents, components=dossier.procedure_version.components.all())
    with transaction.atomic(durable=True):
        dossier = _lock(dossier)
        if dossier.applicant_user_id != user.pk:
            raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
        if dossier.status != S.DRAFT:
            raise Conflict(_("Hồ sơ đã nộp, không sửa được nữa."), code="not_draft")
        fields = {**_applicant_fields(applicant), "applicant_identity_verified": identity_vouched(user, applicant)}
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.return_method = return_method
        dossier.return_point = _return_point(return_method, return_point, dossier.agency)
        dossier.save(update_fields=[*fields, "return_method", "return_point", "updated_at"])
        _attach(dossier, prepared, actor=user)
        _sync_population(dossier)
    return dossier


def dossier_submit(*, dossier: Dossier, user: User, ip: str | None = None) -> Dossier:
    """Submit a draft: it gets its code and joins the reception queue. Submitting again changes nothing."""
    with transaction.atomic(durable=True):
        dossier = _lock(dossier)
        if dossier.applicant_user_id != user.pk:
            raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
        if dossier.status != S.DRAFT:
            return dossier
        vouched = identity_vouched(user, _applicant_of(dossier))
        if vouched != dossier.applicant_identity_verified:  # verified (or no longer) since the draft was saved
            dossier.applicant_identity_verified = vouched
            dossier.save(update_fields=["applicant_identity_verified", "updated_at"])
        _sync_population(dossier)
        missing = _missing_required(dossier)
        if missing:
            raise ApplicationError(
                _("Còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(missing)},
                code="missing_documents",
                details=missing,
            )
        refusal = hooks.guard_refusal(dossier, A.SUBMIT)
        if refusal:
            raise PermissionDenied(refusal, code="submission_not_allowed_yet")
        now = clock.now()
        dossier.status = S.SUBMITTED
        dossier.submitted_at = now
        dossier.code = _take_code(dossier, now)
        dossier.save(update_fields=["status", "submitted_at", "code", "updated_at"])
        _store_documents(dossier, dossier.documents.select_related("component"))
        _record(dossier, action=A.SUBMIT, from_status=S.DRAFT, actor=user, at=now, ip=ip)
    return dossier


def dossier_submit_online(
    *,
    user: User,
    procedure: Procedure,
    applicant: ApplicantData,
    return_method: str,
    documents: list[DocumentInput],
    idempotency_key: str = "",
    ip: str | None = None,
    agency: Agency | None = None,
    agency_code: str = "",
    return_point: Agency | None = None,
) -> tuple[Dossier, bool]:
    """Create and submit in one go (the API). The same idempotency key returns the same dossier.
    The resolving agency is `agency`, or the one of the procedure's offerings with `agency_code`.

    Everything that can be refused is checked and the files are stored before the transaction
    opens; the transaction takes the day's number, inserts the dossier and its documents in bulk,
    keeps the papers in the data store and records the event."""
    key = (idempotency_key or "").strip()[:100]
    if key:
        # Only the id (a repeat is rare): the whole row is read when there is one.
        existing = Dossier.objects.filter(applicant_user=user, idempotency_key=key).values_list("pk", flat=True)
        if existing:
            return Dossier.objects.get(pk=existing[0]), False
    now = clock.now()
    applicant, version, agency = _online_intake(
        user=user,
        procedure=procedure,
        applicant=applicant,
        return_method=return_method,
        agency_code=agency.code if agency is not None else agency_code,
        at=now,
    )
    components = version.components.all()
    dossier = _new_dossier(
        procedure=procedure,
        version=version,
        agency=agency,
        reception_point=agency,
        return_point=_return_point(return_method, return_point, agency),
        channel=Channel.ONLINE,
        return_method=return_method,
        applicant=applicant,
        applicant_user=user,
        at=now,
        save=False,
    )
    refusal = hooks.guard_refusal(dossier, A.SUBMIT)
    if refusal:
        raise PermissionDenied(refusal, code="submission_not_allowed_yet")
    prepared = documents_prepare(documents, components=components)
    for item in prepared:
        if item.reused_from is not None:
            _reusable(dossier, item)
    missing = _missing_components(components, prepared)
    if missing:
        raise ApplicationError(
            _("Còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(missing)},
            code="missing_documents",
            details=missing,
        )
    try:
        with transaction.atomic(durable=True):
            dossier.status, dossier.submitted_at, dossier.idempotency_key = S.SUBMITTED, now, key
            dossier.save(force_insert=True)  # without its code yet
            attached = _attach(dossier, prepared, actor=user, new=True)
            _store_documents(dossier, attached)
            # What the receivers of the event read (the DVCQG outbox: the documents) is known.
            remember_fresh(dossier, documents=attached, events=[])
            event = _event_add(dossier, action=A.SUBMIT, from_status=S.DRAFT, actor=user, at=now)
            # Last, what queues the point's other intakes until the commit: the day's number (then the
            # notices, the receivers and the audit event that name it, and the audit chain's head).
            dossier.code = _take_code(dossier, now, store=True)
            _announce(dossier, event, from_status=S.DRAFT, actor=user, ip=ip)
    except IntegrityError:
        existing = Dossier.objects.filter(applicant_user=user, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False
    return remember_fresh(dossier, documents=attached, events=[event]), True


def dossier_counter_intake(
    *,
    officer: User,
    procedure: Procedure,
    applicant: ApplicantData,
    return_method: str,
    documents: list[DocumentInput],
    decision: str,
    reason: str = "",
    items: list[str] | None = None,
    sets: int = 1,
    applicant_user: User | None = None,
    ip: str | None = None,
    agency: Agency | None = None,
    return_point: Agency | None = None,
    fee_taken: bool = False,
) -> Dossier:
    """A walk-in dossier at the one-stop counter, after the completeness check.

    `fee_taken`: on reception the officer also took the fee in cash (in this transaction).

    `decision`: "receive" (complete: code, appointment, receipt), "supplement"
    (incomplete: the instruction of form 02, not received) or "refuse" (outside
    competence: form 03 with its reason). `agency` is the resolving agency (required when
    several offer the procedure); the officer's agency is the reception point. An officer of a
    centre or a commune receives for any agency of the province (Decree 118/2025), an officer
    of another agency only for their own.
    """
    if officer.role not in RECEIVES_AT_COUNTER or officer.agency_id is None:
        raise PermissionDenied(_("Chỉ cán bộ Một cửa của cơ quan tiếp nhận hồ sơ tại quầy."), code="not_counter")
    agency = _resolver(procedure, agency)
    if not policies.may_receive_for(officer, agency):
        raise PermissionDenied(_("Chỉ cán bộ Một cửa của cơ quan tiếp nhận hồ sơ tại quầy."), code="not_counter")
    if decision not in ("receive", "supplement", "refuse"):
        raise ApplicationError(_("Kết quả kiểm tra hồ sơ không hợp lệ."), code="invalid_decision")
    applicant = _validate_applicant(applicant)
    if return_method not in ReturnMethod.values:
        raise ApplicationError(_("Hình thức nhận kết quả không hợp lệ."), code="invalid_return_method")
    reason = (reason or "").strip()
    items = [i.strip() for i in (items or []) if i and i.strip()]
    if decision == "refuse" and not reason:
        raise ApplicationError(_("Cần ghi rõ lý do từ chối tiếp nhận."), code="reason_required")
    if decision == "supplement" and not items:
        raise ApplicationError(_("Cần liệt kê giấy tờ phải bổ sung, hoàn thiện."), code="items_required")
    if not 1 <= sets <= 20:
        raise ApplicationError(_("Số bộ hồ sơ phải từ 1 đến 20."), code="invalid_sets")
    now = clock.now()
    version = _version_for(procedure, now)
    components = version.components.all()
    prepared = documents_prepare(documents, components=components)
    with transaction.atomic(durable=True):
        dossier = _new_dossier(
            procedure=procedure,
            version=version,
            agency=agency,
            reception_point=officer.agency,
            return_point=_return_point(return_method, return_point, officer.agency),
            channel=Channel.COUNTER,
            return_method=return_method,
            applicant=applicant,
            applicant_user=applicant_user,
            at=now,
            sets=sets,
        )
        attached = _attach(dossier, prepared, actor=officer, new=True)
        if decision == "receive":
            missing = _missing_components(components, prepared)
            if missing:
                raise ApplicationError(
                    _("Hồ sơ chưa đủ giấy tờ bắt buộc, không thể tiếp nhận: %(names)s.")
                    % {"names": "; ".join(missing)},
                    code="missing_documents",
                    details=missing,
                )
            dossier.code = _take_code(dossier, now)
            dossier.status = S.RECEIVED
            _start_processing(dossier, actor=officer, at=now)
            dossier.save()
            _store_documents(dossier, attached)
            _record(dossier, action=A.RECEIVE, from_status=S.DRAFT, actor=officer, at=now, ip=ip)
            if fee_taken and dossier.fee_amount > 0:
                hooks.take_counter_fee(dossier=dossier, officer=officer, ip=ip)
        elif decision == "supplement":
            dossier.status = S.WAITING_SUPPLEMENT
            dossier.save(update_fields=["status", "updated_at"])
            SupplementRequest.objects.create(
                dossier=dossier,
                stage=SupplementRequest.Stage.RECEPTION,
                items=items,
                reason=reason or _("Hồ sơ chưa đầy đủ theo quy định."),
                paused_from_status=S.SUBMITTED,
                requested_at=now,
                requested_by=officer,
            )
            _record(
                dossier, action=A.REQUEST_SUPPLEMENT, from_status=S.DRAFT, actor=officer, reason=reason, at=now, ip=ip
            )
        else:
            dossier.status = S.REFUSED
            dossier.decision_reason = reason
            dossier.save(update_fields=["status", "decision_reason", "updated_at"])
            _record(dossier, action=A.REFUSE, from_status=S.DRAFT, actor=officer, reason=reason, at=now, ip=ip)
    return dossier


def dossier_receive_from_national_portal(
    *,
    procedure: Procedure,
    agency: Agency,
    applicant: ApplicantData,
    documents: list[DocumentInput],
    return_method: str,
    lodged_at: datetime | None = None,
) -> Dossier:
    """A dossier lodged on the national public service portal (Cổng DVCQG), pulled into intake: it joins the
    reception queue as an online submission (its code taken here; the portal's code is kept by the caller).
    The portal accepted it, so missing papers are left for the counter's completeness check."""
    applicant = _validate_applicant(applicant)
    now = clock.now()
    version = _version_for(procedure, now)
    prepared = documents_prepare(documents, components=version.components.all())
    with transaction.atomic():
        method = return_method if return_method in ReturnMethod.values else ReturnMethod.COUNTER
        dossier = _new_dossier(
            procedure=procedure,
            version=version,
            agency=agency,
            reception_point=agency,
            return_point=_return_point(method, None, agency),
            channel=Channel.ONLINE,
            return_method=method,
            applicant=applicant,
            applicant_user=None,
            at=now,
        )
        _attach(dossier, prepared, actor=None, new=True)
        dossier.status = S.SUBMITTED
        dossier.submitted_at = min(lodged_at, now) if lodged_at else now
        dossier.code = _take_code(dossier, now)
        dossier.save(update_fields=["status", "submitted_at", "code", "updated_at"])
        _record(
            dossier,
            action=A.SUBMIT,
            from_status=S.DRAFT,
            actor=None,
            reason=_("Nộp trên Cổng Dịch vụ công quốc gia"),
            at=now,
        )
    return dossier
