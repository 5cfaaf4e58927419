"""Every write on personal data: accepting the notice, requests to correct or delete, the breach register.

A deletion respects retention: dossiers are records with a legal retention period, so their personal
data stays; what goes is the account (anonymised and closed: its name, e-mail, phone, password, second
factors, API tokens and linked logins), the data store's copies (the entries, under the account or its
verified ID number) and the digitised papers (what OCR read and the officer confirmed, the searchable
copies, the historical results imported for the person with their scans). Files go with them, except
those a dossier holds as its records.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, User
from cchc.accounts.roles import APPLICANT_ROLES
from cchc.audit.services import audit_record
from cchc.core.errors import ApplicationError, Conflict, NotFound

from .models import Breach, DataRequest, NoticeAcceptance, PrivacyNotice
from .policies import may_handle_data_requests
from .selectors import data_requests_for_officer, notice_current


def notice_publish(
    *, title: str, body: str, actor: User | None = None, effective_at: datetime | None = None
) -> PrivacyNotice:
    """A new version of the notice (the next number); applicants accept it again before submitting."""
    with transaction.atomic():
        last = PrivacyNotice.objects.select_for_update().order_by("-version").first()
        notice = PrivacyNotice.objects.create(
            version=(last.version + 1) if last else 1,
            title=title.strip(),
            body=body.strip(),
            effective_at=effective_at or timezone.now(),
        )
        audit_record(action="privacy.notice_publish", actor=actor, object_type="privacy_notice", object_id=notice.pk)
    return notice


def notice_accept(
    *, user: User, context: str, ip: str | None = None, notice: PrivacyNotice | None = None
) -> NoticeAcceptance | None:
    """Record that `user` accepted the notice in force (again: nothing changes)."""
    notice = notice or notice_current()
    if notice is None:
        return None
    with transaction.atomic():
        acceptance, created = NoticeAcceptance.objects.get_or_create(
            user=user, notice=notice, defaults={"accepted_at": timezone.now(), "context": context, "ip": ip}
        )
        if created:
            audit_record(
                action="privacy.notice_accept",
                actor=user,
                object_type="privacy_notice",
                object_id=notice.pk,
                ip=ip,
                data={"version": notice.version, "context": context},
            )
    return acceptance


def _handling_agency(user: User) -> Agency | None:
    """The agency of the applicant's latest dossier (None without dossiers: any agency's reform officer)."""
    from cchc.dossiers.models import Dossier

    agency_id = (
        Dossier.objects.filter(applicant_user=user).order_by("-created_at").values_list("agency_id", flat=True).first()
    )
    return Agency.objects.filter(pk=agency_id).first() if agency_id else None


def data_request_create(*, user: User, kind: str, details: str, ip: str | None = None) -> DataRequest:
    if user.role not in APPLICANT_ROLES:
        raise ApplicationError(_("Chỉ công dân, doanh nghiệp gửi yêu cầu này."), code="not_applicant")
    if kind not in DataRequest.Kind.values:
        raise ApplicationError(_("Loại yêu cầu không hợp lệ."), code="invalid_kind")
    details = (details or "").strip()
    if not details:
        raise ApplicationError(_("Hãy ghi rõ nội dung yêu cầu."), code="details_required")
    now = timezone.now()
    with transaction.atomic():
        if DataRequest.objects.filter(user=user, kind=kind, status=DataRequest.Status.OPEN).exists():
            raise Conflict(_("Bạn đã có một yêu cầu cùng loại đang được xử lý."), code="request_open")
        request = DataRequest.objects.create(
            user=user,
            agency=_handling_agency(user),
            kind=kind,
            details=details[:5000],
            requested_at=now,
            due_at=now + timedelta(hours=settings.CCHC_DATA_REQUEST_HOURS),
        )
        audit_record(
            action="privacy.request",
            actor=user,
            object_type="data_request",
            object_id=request.pk,
            ip=ip,
            data={"kind": kind},
        )
    return request


def data_request_handle(
    *,
    data_request: DataRequest,
    officer: User,
    decision: str,
    outcome: str,
    full_name: str | None = None,
    phone: str | None = None,
    ip: str | None = None,
) -> DataRequest:
    """The reform officer carries out (`decision="done"`) or refuses a request, with the outcome
    written for the applicant. A correction may set the account's name and phone; a deletion
    erases the account as the module docstring says."""
    if not may_handle_data_requests(officer):
        raise NotFound(_("Không tìm thấy yêu cầu."), code="request_not_found")
    if decision not in (DataRequest.Status.DONE, DataRequest.Status.REFUSED):
        raise ApplicationError(_("Kết quả xử lý không hợp lệ."), code="invalid_decision")
    outcome = (outcome or "").strip()
    if not outcome:
        raise ApplicationError(_("Hãy ghi kết quả xử lý để trả lời người yêu cầu."), code="outcome_required")
    with transaction.atomic(durable=True):
        visible = data_requests_for_officer(user=officer).filter(pk=data_request.pk).values_list("pk", flat=True)
        locked = DataRequest.objects.select_for_update().filter(pk__in=list(visible)).first()
        if locked is None:
            raise NotFound(_("Không tìm thấy yêu cầu."), code="request_not_found")
        if locked.status != DataRequest.Status.OPEN:
            return locked  # handled already: a repeated click changes nothing
        applicant = User.objects.select_for_update().get(pk=locked.user_id)
        if decision == DataRequest.Status.DONE and locked.kind == DataRequest.Kind.CORRECTION:
            _correct(applicant, full_name=full_name, phone=phone)
        if decision == DataRequest.Status.DONE and locked.kind == DataRequest.Kind.DELETION:
            _erase(applicant)
        locked.status = decision
        locked.outcome = outcome[:5000]
        locked.handled_at = timezone.now()
        locked.handled_by = officer
        locked.save(update_fields=["status", "outcome", "handled_at", "handled_by"])
        audit_record(
            action=f"privacy.request_{decision}",
            actor=officer,
            object_type="data_request",
            object_id=locked.pk,
            ip=ip,
            reason=outcome,
            data={"kind": locked.kind, "user": applicant.pk},
        )
    return locked


def _correct(user: User, *, full_name: str | None, phone: str | None) -> None:
    fields = []
    if full_name is not None and full_name.strip() and full_name.strip() != user.full_name:
        user.full_name = full_name.strip()[:255]
        fields.append("full_name")
    if phone is not None and phone.strip() and phone.strip() != user.phone:
        user.phone = phone.strip()[:20]
        fields.append("phone")
    if fields:
        user.save(update_fields=fields)


def _erase(user: User) -> None:
    """Close and anonymise the account and empty its data store; dossiers keep their records."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    from cchc.accounts.models import ApiToken

    _erase_papers(user)
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    user.username = f"da-xoa-{user.pk}"
    user.email = ""
    user.full_name = ""
    user.phone = ""
    user.id_number, user.birth_date, user.address = "", None, ""
    user.identity_verified, user.identity_level, user.identity_verified_at = False, "", None
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _erase_papers(user: User) -> None:
    """The data store's entries of the person and their digitised papers: the entries kept under the
    account, or under its ID number once VNeID verified it (historical results imported before the account
    existed); the digitisations of the person's dossiers lose what OCR read and what the officer confirmed,
    and their searchable copy; historical results imported for the person go with their scans. The files
    are deleted after the commit unless a dossier still holds them as its records."""
    from django.db.models import Q

    from cchc.core.blobs import blobs_discard
    from cchc.digitisation.models import Digitisation
    from cchc.dossiers.models import StoredDocument

    verified_number = user.id_number if user.identity_verified and user.id_number else ""
    entries = StoredDocument.objects.filter(Q(owner=user) | Q(owner_identifier=verified_number, owner__isnull=True))
    if not verified_number:
        entries = StoredDocument.objects.filter(owner=user)
    entry_ids = list(entries.values_list("pk", flat=True))
    names = [name for name in entries.values_list("file", flat=True) if name]
    mine = (
        Q(stored_id__in=entry_ids)
        | Q(document__dossier__applicant_user=user)
        | Q(dossier__applicant_user=user, source=Digitisation.Source.RESULT)
    )
    if verified_number:
        mine |= Q(source=Digitisation.Source.HISTORICAL, owner_identifier=verified_number)
    papers = list(Digitisation.objects.select_for_update().filter(mine))
    historical = [job for job in papers if job.source == Digitisation.Source.HISTORICAL]
    names += [name for job in papers for name in (job.searchable.name,) if name]
    names += [job.scan.name for job in historical if job.scan]
    Digitisation.objects.filter(pk__in=[job.pk for job in historical]).delete()
    Digitisation.objects.filter(pk__in=[job.pk for job in papers if job not in historical]).update(
        text="", proposed={}, confirmed={}, searchable="", stored=None
    )
    StoredDocument.objects.filter(pk__in=entry_ids).update(
        owner=None, owner_identifier="", file="", deleted_at=timezone.now()
    )
    if names:
        transaction.on_commit(lambda: blobs_discard(names))


def breach_record(*, breach: Breach, actor: User, created: bool) -> Breach:
    """Save an entry of the breach register (from the admin), audited."""
    with transaction.atomic():
        if created:
            breach.recorded_by = actor
        breach.save()
        audit_record(
            action="privacy.breach_record" if created else "privacy.breach_update",
            actor=actor,
            object_type="breach",
            object_id=breach.pk,
            data={"notified": bool(breach.authority_notified_at)},
        )
    return breach
