"""Reads on personal data, each with its access rule: an applicant's export holds their own data
only; an officer sees the data requests addressed to their agency."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from cchc.core import clock

from .models import DataRequest, NoticeAcceptance, PrivacyNotice


def notice_current() -> PrivacyNotice | None:
    return PrivacyNotice.objects.filter(effective_at__lte=clock.now()).order_by("-version").first()


def has_accepted_current_notice(user) -> bool:
    """Whether `user` accepted the notice in force (true while none is published). One query."""
    accepted = (
        PrivacyNotice.objects.filter(effective_at__lte=clock.now())
        .order_by("-version")
        .annotate(accepted=Exists(NoticeAcceptance.objects.filter(user=user, notice=OuterRef("pk"))))
        .values_list("accepted", flat=True)
        .first()
    )
    return accepted is None or accepted


def acceptances_of(*, user) -> QuerySet[NoticeAcceptance]:
    return NoticeAcceptance.objects.filter(user=user).select_related("notice")


def data_requests_of(*, user) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(user=user)


def data_requests_for_officer(*, user) -> QuerySet[DataRequest]:
    from .policies import may_handle_data_requests

    if not may_handle_data_requests(user):
        return DataRequest.objects.none()
    mine = Q(agency_id=user.agency_id) | Q(agency__isnull=True)
    return DataRequest.objects.filter(mine).select_related("user", "handled_by")


def personal_data_of(*, user) -> dict:
    """Everything CCHC holds about `user` as an applicant, as plain data (the export)."""
    from cchc.complaints.models import Complaint
    from cchc.dossiers.models import Dossier, DossierEvent, StoredDocument
    from cchc.payments.models import Payment
    from cchc.surveys.models import Rating

    dossiers = (
        Dossier.objects.filter(applicant_user=user)
        .select_related("procedure", "procedure_version", "agency")
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.order_by("at", "id")),
            "documents__component",
        )
        .order_by("created_at", "id")
    )
    stored = StoredDocument.objects.filter(owner=user, deleted_at__isnull=True).order_by("created_at", "id")
    payments = Payment.objects.filter(dossier__applicant_user=user).select_related("dossier").order_by("created_at")
    ratings = Rating.objects.filter(dossier__applicant_user=user).select_related("dossier").order_by("rated_at")
    complaints = Complaint.objects.filter(submitter=user).order_by("submitted_at")
    return {
        "profile": {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "id_number": user.id_number,
            "birth_date": user.birth_date,
            "address": user.address,
            "identity_verified": user.identity_verified,
            "identity_level": user.identity_level,
            "role": user.role,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "privacy_notices_accepted": [
            {"version": a.notice.version, "accepted_at": a.accepted_at, "context": a.context}
            for a in acceptances_of(user=user)
        ],
        "dossiers": [_dossier(d) for d in dossiers],
        "stored_documents": [
            {
                "id": s.pk,
                "name": s.name,
                "kind": s.kind,
                "original_name": s.original_name,
                "content_type": s.content_type,
                "size": s.size,
                "sha256": s.sha256,
                "source_dossier": s.source_dossier.code if s.source_dossier_id and s.source_dossier else None,
                "created_at": s.created_at,
                "file": s.file.name,
            }
            for s in stored.select_related("source_dossier")
        ],
        "payments": [
            {
                "reference": p.reference,
                "dossier": p.dossier.code,
                "amount": p.amount,
                "provider": p.provider,
                "status": p.status,
                "created_at": p.created_at,
                "paid_at": p.paid_at,
            }
            for p in payments
        ],
        "ratings": [
            {
                "dossier": r.dossier.code,
                "scores": {
                    "access": r.score_access,
                    "procedure": r.score_procedure,
                    "officer": r.score_officer,
                    "result": r.score_result,
                    "feedback": r.score_feedback,
                },
                "comment": r.comment,
                "rated_at": r.rated_at,
            }
            for r in ratings
        ],
        "complaints": [
            {
                "code": c.code,
                "kind": c.kind,
                "content": c.content,
                "submitted_at": c.submitted_at,
                "status": c.status,
                "answer": c.answer,
                "answered_at": c.answered_at,
            }
            for c in complaints
        ],
        "data_requests": [
            {"kind": r.kind, "details": r.details, "status": r.status, "requested_at": r.requested_at}
            for r in data_requests_of(user=user)
        ],
    }


def _dossier(dossier) -> dict:
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
        "agency": dossier.agency.name,
        "status": dossier.status,
        "channel": dossier.channel,
        "applicant": {
            "kind": dossier.applicant_kind,
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "tax_code": dossier.applicant_tax_code,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "created_at": dossier.created_at,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "history": [
            {"action": e.action, "from": e.from_status, "to": e.to_status, "reason": e.reason, "at": e.at}
            for e in dossier.events.all()
        ],
        "documents": [
            {
                "component": d.component.name,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
            }
            for d in dossier.documents.all()
        ],
    }
