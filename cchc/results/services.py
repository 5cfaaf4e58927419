"""Writes on electronic results: saving the composition, signing (the `sign_result` action),
and handing the result to the applicant's data store when it is returned.

Signing is not called directly: `dossiers.services.dossier_act(action="sign_result")` checks the
workflow (approved, electronic, not yet signed), the actor (a leader) and the guards, then calls
`sign_result_handler` inside its transaction and writes the history row and the audit event. The
PDF is rendered, signed and stored by `sign_result_prepare` before dossier_act takes its locks.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.roles import SIGNS_DECISIONS
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.blobs import Blob, blob_of_bytes, blobs_put
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.dossiers.models import Dossier
from cchc.dossiers.services import store_add_result
from cchc.dossiers.workflow import Action, Status

from .models import ResultDraft, SignedResult
from .policies import COMPOSABLE, is_electronic, may_compose
from .rendering import Composition, render_result
from .signing import sign_pdf

MAX_BODY = 4000
MAX_NOTES = 2000
MAX_NUMBER = 60


def composition_of(draft: ResultDraft | None) -> Composition:
    if draft is None:
        return Composition()
    return Composition(
        number=draft.number,
        body=draft.body,
        valid_until=draft.valid_until,
        notes=draft.notes,
        signer_title=draft.signer_title,
    )


def _check_composition(composition: Composition) -> None:
    if len(composition.number) > MAX_NUMBER or len(composition.body) > MAX_BODY or len(composition.notes) > MAX_NOTES:
        raise ApplicationError(_("Nội dung kết quả quá dài."), code="composition_too_long")


def result_draft_save(*, dossier: Dossier, user, composition: Composition, ip: str | None = None) -> ResultDraft:
    """Save what `user` composed for the dossier's result (replacing the previous composition)."""
    _check_composition(composition)
    with transaction.atomic(durable=True):
        # Locked like dossier_act does, so a composition never lands after the signature.
        dossier = Dossier.objects.select_for_update().select_related("procedure_version").get(pk=dossier.pk)
        if not may_compose(user, dossier):
            raise PermissionDenied(
                _("Chỉ chuyên viên, lãnh đạo phòng và lãnh đạo Sở soạn kết quả."), code="not_composer"
            )
        if not is_electronic(dossier):
            raise ApplicationError(_("Thủ tục này trả kết quả bản giấy, không soạn kết quả điện tử."), code="paper")
        if SignedResult.objects.filter(dossier=dossier).exists():
            raise Conflict(_("Kết quả đã được ký số, không sửa được nữa."), code="already_signed")
        if dossier.status not in COMPOSABLE:
            raise Conflict(
                _("Chỉ soạn kết quả khi hồ sơ đang được giải quyết hoặc đã phê duyệt."), code="not_composable"
            )
        draft, _created = ResultDraft.objects.update_or_create(
            dossier=dossier,
            defaults={
                "number": composition.number.strip(),
                "body": composition.body.strip(),
                "valid_until": composition.valid_until,
                "notes": composition.notes.strip(),
                "signer_title": composition.signer_title,
                "updated_by": user,
            },
        )
        audit_record(
            action="result.compose",
            actor=user,
            object_type="dossier",
            object_id=dossier.pk,
            dossier_code=dossier.code or "",
            ip=ip,
        )
    return draft


def result_preview(*, dossier: Dossier, user) -> bytes:
    """The unsigned result as composed so far, marked as a preview. Changes nothing."""
    draft = ResultDraft.objects.filter(dossier=dossier).first()
    rendered = render_result(
        dossier=dossier,
        composition=composition_of(draft),
        result_id=draft.result_id if draft else uuid.uuid4(),
        issued_at=clock.now(),
        signer_name=str(user) if user.role in SIGNS_DECISIONS else "",
        preview=True,
    )
    return rendered.pdf


def _stamp_lines(*, signer_name: str, agency_name: str, at: datetime) -> list[str]:
    local = timezone.localtime(at)
    return [
        _("Ký số bởi: %(name)s") % {"name": signer_name},
        agency_name,
        _("Thời gian ký: %(time)s") % {"time": f"{local:%H:%M:%S %d/%m/%Y}"},
    ]


def signature_guard(dossier: Dossier, action: str) -> str | None:
    """An approved electronic result goes to the counter only once it is signed: what the applicant
    receives is the signed PDF, never an unsigned one."""
    if action != Action.RESULT_READY or dossier.status != Status.APPROVED or not is_electronic(dossier):
        return None
    if SignedResult.objects.filter(dossier=dossier).exists():
        return None
    return _(
        "Kết quả điện tử chưa được ký số: lãnh đạo ký số kết quả (“Ký số kết quả điện tử”) trước khi chuyển "
        "về Bộ phận Một cửa."
    )


@dataclass(frozen=True)
class PreparedSignature:
    """A result rendered, signed and stored before dossier_act's locks (`sign_result_prepare`)."""

    draft_state: tuple  # (result id, composition) of the draft it was rendered from; None: no draft
    result_id: uuid.UUID
    composition: Composition
    name: str
    kind: str
    blob: Blob
    size: int
    signed_at: datetime
    signer_name: str
    certificate: object

    @property
    def blob_names(self) -> list[str]:
        return [self.blob.name]


def _draft_state(draft: ResultDraft | None) -> tuple | None:
    return (draft.result_id, composition_of(draft)) if draft is not None else None


def sign_result_prepare(dossier: Dossier, *, actor, data) -> PreparedSignature:
    """The slow part of `sign_result`, before any lock: render the composed result, sign it and
    store the PDF (content-addressed, `core.blobs`). A transaction that then fails leaves the file
    to `blobs_discard` (or, killed, to the daily sweep)."""
    draft = ResultDraft.objects.filter(dossier=dossier).first()
    composition = composition_of(draft)
    result_id = draft.result_id if draft else uuid.uuid4()
    signed_at = clock.now().replace(microsecond=0)  # what the signature's signing time can hold
    signer_name = str(actor)
    agency = dossier.agency
    rendered = render_result(
        dossier=dossier, composition=composition, result_id=result_id, issued_at=signed_at, signer_name=signer_name
    )
    signed, certificate = sign_pdf(
        rendered.pdf,
        page=rendered.stamp_page,
        box=rendered.stamp_box,
        stamp_lines=_stamp_lines(signer_name=signer_name, agency_name=agency.name, at=signed_at),
        signing_time=signed_at,
        reason=_("Ký số kết quả giải quyết thủ tục hành chính, hồ sơ %(code)s") % {"code": dossier.code},
        location=agency.place_name or agency.name,
    )
    blob = blob_of_bytes(signed, ".pdf")
    blobs_put([blob])
    return PreparedSignature(
        draft_state=_draft_state(draft),
        result_id=result_id,
        composition=composition,
        name=rendered.name,
        kind=rendered.kind,
        blob=blob,
        size=len(signed),
        signed_at=signed_at,
        signer_name=signer_name,
        certificate=certificate,
    )


def sign_result_handler(dossier: Dossier, *, actor, data, comment: str, at: datetime, position) -> str:
    """The `sign_result` action, inside dossier_act's transaction after its checks: keep the result
    `sign_result_prepare` signed before the lock, if the composition it signed is still the one
    saved; returns the history reason."""
    prepared = data.prepared_action
    if not isinstance(prepared, PreparedSignature):
        raise Conflict(_("Chưa ký được kết quả, vui lòng thử lại."), code="not_prepared")
    draft = ResultDraft.objects.filter(dossier=dossier).first()
    if _draft_state(draft) != prepared.draft_state:
        raise Conflict(
            _("Nội dung kết quả vừa được sửa trong lúc ký. Vui lòng xem lại bản xem trước và ký lại."),
            code="composition_changed",
        )
    certificate = prepared.certificate
    result = SignedResult(
        id=prepared.result_id,
        dossier=dossier,
        name=prepared.name,
        kind=prepared.kind,
        number=prepared.composition.number,
        sha256=prepared.blob.sha256,
        size=prepared.size,
        signed_at=prepared.signed_at,
        signer=actor,
        signer_name=prepared.signer_name,
        certificate_subject=certificate.subject[:500],
        certificate_serial=certificate.serial[:64],
        certificate_fingerprint=certificate.fingerprint,
        certificate_pem=certificate.pem,
    )
    result.file.name = prepared.blob.name
    result.save(force_insert=True)
    # The file's hash enters the hash-chained audit log: the record of what was issued.
    audit_record(
        action="result.signed",
        actor=actor,
        object_type="signed_result",
        object_id=str(result.pk),
        dossier_code=dossier.code or "",
        data={"sha256": prepared.blob.sha256, "certificate": certificate.fingerprint},
    )
    reason = _("Đã ký số kết quả")
    return f"{reason}\n{comment}" if comment else reason


def on_dossier_changed(sender, *, dossier: Dossier, event, **kwargs) -> None:
    """When the result is returned, the signed file joins the applicant's data store (once-only)."""
    if event.action != Action.RETURN_RESULT or not dossier.applicant_identifier:
        return
    result = SignedResult.objects.filter(dossier=dossier).first()
    if result is None:
        return
    store_add_result(
        dossier=dossier,
        name=result.name,
        file_name=result.file.name,
        sha256=result.sha256,
        size=result.size,
        valid_until=ResultDraft.objects.filter(dossier=dossier).values_list("valid_until", flat=True).first(),
    )
