"""The applicant's data store (once-only): documents kept for reuse, results added, deletions."""

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, NotFound
from cchc.core.text import fold

from ..models import (
    Dossier,
    StoredDocument,
)
from ..workflow import Action, Status

A = Action
S = Status


def _store_documents(dossier: Dossier, documents) -> None:
    """Keep the applicant's digitised components in their data store for later reuse (once-only):
    one insert, skipping papers the store already holds (its unique constraint)."""
    identifier = dossier.applicant_identifier
    if not identifier:
        return
    StoredDocument.objects.bulk_create(
        [
            StoredDocument(
                owner_identifier=identifier,
                component_key=fold(document.component.name),
                sha256=document.sha256,
                kind=StoredDocument.Kind.UPLOAD,
                owner=dossier.applicant_user,
                name=document.component.name,
                file=document.file.name,
                original_name=document.original_name,
                content_type=document.content_type,
                size=document.size,
                source_dossier=dossier,
            )
            for document in documents
            if document.digitised and not document.reused and document.file
        ],
        ignore_conflicts=True,
    )


def store_add_result(
    *, dossier: Dossier, name: str, file_name: str, sha256: str, size: int, valid_until=None
) -> StoredDocument:
    """Put an electronic result into the applicant's store (called when a result is signed)."""
    stored, _created = StoredDocument.objects.get_or_create(
        owner_identifier=dossier.applicant_identifier,
        component_key=fold(name),
        sha256=sha256,
        kind=StoredDocument.Kind.RESULT,
        deleted_at=None,
        defaults={
            "owner": dossier.applicant_user,
            "name": name,
            "file": file_name,
            "original_name": file_name.rsplit("/", 1)[-1],
            "content_type": "application/pdf",
            "size": size,
            "valid_until": valid_until,
            "source_dossier": dossier,
        },
    )
    return stored


def store_document_delete(*, document: StoredDocument, user: User) -> None:
    """An applicant removes one of their own uploads from the store; results stay.

    The file itself stays: the dossier it came with still holds it as a record."""
    with transaction.atomic(durable=True):
        document = StoredDocument.objects.select_for_update().get(pk=document.pk)
        if document.owner_id != user.pk or document.deleted_at is not None:
            raise NotFound(_("Không tìm thấy giấy tờ."), code="stored_document_not_found")
        if document.kind == StoredDocument.Kind.RESULT:
            raise ApplicationError(_("Không xóa được kết quả giải quyết thủ tục."), code="result_not_deletable")
        document.deleted_at = clock.now()
        document.save(update_fields=["deleted_at"])
        audit_record(action="store.delete", actor=user, object_type="stored_document", object_id=document.pk)
