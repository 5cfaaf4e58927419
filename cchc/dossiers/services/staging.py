"""Files kept across a dossier form sent back for another error (`StagedUpload`)."""

from datetime import timedelta

from django.core.files.base import File
from django.db import transaction

from cchc.accounts.models import User
from cchc.core import clock
from cchc.procedures.models import Component

from ..models import Dossier, StagedUpload
from ..uploads import check_upload

# A form nobody sent again within this time is abandoned; its files go.
STAGED_UPLOAD_LIFETIME = timedelta(days=1)


def staged_upload_keep(
    *, user: User, token: str, component: Component, upload, draft: Dossier | None = None
) -> StagedUpload:
    """Keep `upload` (already checked by the form) for the next send of the same form.

    The file is stored before the row that references it; a file the row replaces is removed
    after commit. Keeping the same form's component again replaces the earlier file."""
    checked = check_upload(upload, label=component.name)
    staged = StagedUpload(
        owner=user,
        token=token,
        draft=draft,
        component=component,
        original_name=(getattr(upload, "name", "") or "")[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    staged.file.save(f"{checked.sha256[:16]}{checked.extension}", File(upload), save=False)
    try:
        with transaction.atomic(durable=True):
            old = StagedUpload.objects.select_for_update().filter(owner=user, token=token, component=component).first()
            if old is not None:
                old_name = old.file.name
                old.delete()
                transaction.on_commit(lambda: StagedUpload.file.field.storage.delete(old_name))
            staged.save()
    except Exception:
        staged.file.storage.delete(staged.file.name)
        raise
    return staged


def staged_uploads_sweep(*, now=None) -> int:
    """Remove staged files older than `STAGED_UPLOAD_LIFETIME`; how many were removed."""
    cutoff = (now or clock.now()) - STAGED_UPLOAD_LIFETIME
    names = []
    with transaction.atomic(durable=True):
        old = list(StagedUpload.objects.select_for_update().filter(created_at__lt=cutoff))
        for staged in old:
            names.append(staged.file.name)
        StagedUpload.objects.filter(pk__in=[s.pk for s in old]).delete()
        transaction.on_commit(lambda: [StagedUpload.file.field.storage.delete(n) for n in names])
    return len(names)
