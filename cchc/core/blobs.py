"""Content-addressed file storage, written before the transaction that references it.

A file is stored under the SHA-256 of its content (`blobs/ab/abcdef….pdf`): the same paper handed
in twice is one file, and writing it again changes nothing. Services store files first
(`blobs_put`, outside any transaction: a slow S3 write never holds a lock), then open their
transaction, which only stores the names. Each name is first recorded as a `PendingFile` (in
its own commit), so whatever a crash or a rollback leaves behind is known: `blob_sweep` (a daily
task) deletes the files of rows older than a day that no file field of any model references, and
forgets the rows of those that are referenced. A file is never seen half written under its name
(a retry after a kill must not take a cut-off file for the paper).
"""

import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, models

from cchc.core import clock

from .models import PendingFile

PREFIX = "blobs/"
# Files being written on the local disk; what a killed write leaves here the sweep deletes.
PARTIAL = f"{PREFIX}partial/"
SWEEP_AGE = timedelta(days=1)
SWEEP_BATCH = 500


@dataclass(frozen=True)
class Blob:
    """What to store: the content (a Django File or bytes), its SHA-256 and its extension."""

    content: object
    sha256: str
    extension: str

    @property
    def name(self) -> str:
        return blob_name(self.sha256, self.extension)


def blob_name(sha256: str, extension: str) -> str:
    return f"{PREFIX}{sha256[:2]}/{sha256}{extension}"


def blob_of_bytes(content: bytes, extension: str) -> Blob:
    return Blob(content, hashlib.sha256(content).hexdigest(), extension)


def blobs_put(blobs: list[Blob], *, storage=None) -> list[str]:
    """Store each blob unless it is there already; return their names, in order.

    Call it before the transaction that references them (never inside one: the pending rows
    must be committed before the files exist). A file is only ever complete under its name: on
    the local disk it is written under a temporary name (recorded as pending too, so a kill
    before the rename leaves nothing the sweep does not know) and renamed; an object store
    writes an object whole or not at all. A file of the wrong size under the name (cut short by
    a kill before this was so) is written again."""
    storage = storage or default_storage
    names = [blob.name for blob in blobs]
    if not names:
        return names
    blobs_pending(names)
    for blob in blobs:
        if storage.exists(blob.name) and storage.size(blob.name) == _size(blob.content):
            continue
        content = blob.content if isinstance(blob.content, File) else ContentFile(blob.content)
        if hasattr(content, "seek"):
            content.seek(0)
        if isinstance(storage, FileSystemStorage):
            _write_then_rename(storage, blob.name, content)
            continue
        saved = storage.save(blob.name, content)
        if saved != blob.name:
            # Another request stored the same content meanwhile: keep one copy.
            storage.delete(saved)
    return names


def _size(content) -> int:
    return content.size if isinstance(content, File) else len(content)


def _write_then_rename(storage: FileSystemStorage, name: str, content: File) -> None:
    """Write in `PARTIAL`, then rename to `name` in one step: a reader, or a request storing the
    same content, sees the whole file or none."""
    path = storage.path(name)
    partial_path = storage.path(f"{PARTIAL}{uuid.uuid4().hex}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.makedirs(os.path.dirname(partial_path), exist_ok=True)
    with open(partial_path, "wb") as out:
        for chunk in content.chunks():
            out.write(chunk)
    if storage.file_permissions_mode is not None:
        os.chmod(partial_path, storage.file_permissions_mode)
    os.replace(partial_path, path)


def blobs_pending(names: list[str]) -> None:
    """Record names the sweep must look at once they are a day old (one query for all)."""
    now = clock.now()
    unique = list(dict.fromkeys(names))
    if connection.in_atomic_block:
        PendingFile.objects.bulk_create(
            [PendingFile(name=name, at=now) for name in unique],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["at"],
        )
        return
    # Outside a transaction, one statement in autocommit: bulk_create would wrap it in BEGIN and
    # COMMIT, two more round trips on every upload.
    table = connection.ops.quote_name(PendingFile._meta.db_table)
    name_column = connection.ops.quote_name(PendingFile._meta.get_field("name").column)
    at_column = connection.ops.quote_name(PendingFile._meta.get_field("at").column)
    at_value = PendingFile._meta.get_field("at").get_db_prep_value(now, connection)
    rows = ", ".join(["(%s, %s)"] * len(unique))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({name_column}, {at_column}) VALUES {rows} "  # noqa: S608 - our own names
            f"ON CONFLICT ({name_column}) DO UPDATE SET {at_column} = excluded.{at_column}",
            [value for name in unique for value in (name, at_value)],
        )


def blobs_discard(names: list[str], *, storage=None) -> None:
    """Delete at once the files among `names` that nothing references (after the transaction that
    would have referenced them rolled back), instead of waiting a day for the sweep.

    Only for content unique to the caller (a signed PDF that names its own time and id): a paper
    another request may be storing at this very moment is left to the sweep."""
    storage = storage or default_storage
    names = list(dict.fromkeys(names))
    if not names:
        return
    kept = referenced(names)
    for name in names:
        if name in kept:
            continue
        storage.delete(name)
        PendingFile.objects.filter(name=name).delete()


def _file_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def referenced(names: list[str]) -> set[str]:
    """The names among `names` that a file field of any model holds."""
    found: set[str] = set()
    for model, field in _file_fields():
        found.update(model._base_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    return found


def blob_sweep(*, now: datetime | None = None, storage=None) -> int:
    """Delete files recorded as pending more than a day ago that nothing references, and the
    writes a kill cut short that are as old; return how many."""
    storage = storage or default_storage
    cutoff = (now or clock.now()) - SWEEP_AGE
    removed = _sweep_partial(storage, cutoff)
    while True:
        batch = list(PendingFile.objects.filter(at__lt=cutoff).order_by("at").values_list("pk", "name")[:SWEEP_BATCH])
        if not batch:
            return removed
        kept = referenced([name for _pk, name in batch])
        PendingFile.objects.filter(pk__in=[pk for pk, name in batch if name in kept]).delete()
        for pk, name in batch:
            if name in kept:
                continue
            # A row touched again meanwhile (the same content uploaded anew) stays for its own day.
            deleted, _rows = PendingFile.objects.filter(pk=pk, at__lt=cutoff).delete()
            if deleted:
                storage.delete(name)
                removed += 1


def _sweep_partial(storage, cutoff: datetime) -> int:
    if not isinstance(storage, FileSystemStorage) or not storage.exists(PARTIAL):
        return 0
    removed = 0
    for file in storage.listdir(PARTIAL)[1]:
        name = PARTIAL + file
        if storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            removed += 1
    return removed
