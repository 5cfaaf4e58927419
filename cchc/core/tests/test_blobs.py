"""Files are stored by content before the transaction that references them, and swept when a
day has passed and nothing references them (issue 12: orphans left by killed requests)."""

import hashlib
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone

from cchc.core.blobs import PARTIAL, Blob, blob_of_bytes, blob_sweep, blobs_put
from cchc.core.models import PendingFile
from cchc.dossiers.models import DossierDocument
from cchc.dossiers.tests.helpers import submit


def test_the_same_content_stored_twice_is_one_file(db):
    first = blob_of_bytes(b"%PDF-1.4 giay to", ".pdf")
    assert blobs_put([first]) == blobs_put([blob_of_bytes(b"%PDF-1.4 giay to", ".pdf")]) == [first.name]
    folder = first.name.rsplit("/", 1)[0]
    # Other tests of the session store blobs too, some under the same two-letter folder.
    copies = [name for name in default_storage.listdir(folder)[1] if name.startswith(first.sha256)]
    assert copies == [first.name.rsplit("/", 1)[1]]
    assert PendingFile.objects.filter(name=first.name).count() == 1


def test_two_dossiers_with_the_same_paper_share_one_file(demo):
    one, two = submit(key="a"), submit(key="b")
    names = {d.component_id: d.file.name for d in one.documents.all()}
    assert names == {d.component_id: d.file.name for d in two.documents.all()}
    assert all(name.startswith("blobs/") for name in names.values())


def test_sweep_removes_unreferenced_files_a_day_old_and_keeps_referenced_ones(demo):
    dossier = submit()
    kept = dossier.documents.first().file.name
    [orphan] = blobs_put([blob_of_bytes(b"%PDF-1.4 orphan of a killed request", ".pdf")])
    assert blob_sweep() == 0  # not a day old yet
    assert default_storage.exists(orphan)
    assert blob_sweep(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept)
    assert not PendingFile.objects.exists()


def test_a_refused_submission_leaves_nothing_after_the_sweep(demo, monkeypatch):
    from cchc.dossiers.services import common

    def fail(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(common, "audit_record", fail)
    before = DossierDocument.objects.count()
    earlier = set(PendingFile.objects.values_list("name", flat=True))  # e.g. the catalogue's form templates
    with pytest.raises(RuntimeError):
        submit(key="crash")
    assert DossierDocument.objects.count() == before
    stored = list(PendingFile.objects.exclude(name__in=earlier).values_list("name", flat=True))
    assert stored and all(default_storage.exists(name) for name in stored)
    blob_sweep(now=timezone.now() + timedelta(days=2))
    assert not any(default_storage.exists(name) for name in stored)


def test_a_file_cut_short_by_a_killed_write_is_written_again(db):
    """A request killed while writing leaves a short file under the blob's name; the retry
    (or the next upload of the same paper) must not take it for the stored paper."""
    content = b"%PDF-1.4 giay to bi cat ngang" + b"0" * 4096
    blob = blob_of_bytes(content, ".pdf")
    default_storage.save(blob.name, ContentFile(b""))  # what a kill right after the open leaves
    assert blobs_put([blob]) == [blob.name]
    with default_storage.open(blob.name, "rb") as stored:
        assert stored.read() == content


class _KilledMidWrite(File):
    """A file whose reading stops half way, as a request killed while storing it."""

    def chunks(self, chunk_size=None):
        yield self.file.read(10)
        raise RuntimeError("killed")


def test_a_write_cut_short_leaves_nothing_under_the_blob_name_and_the_sweep_clears_the_rest(db):
    content = b"%PDF-1.4 giay to chua ghi xong" + b"0" * 4096
    blob = Blob(_KilledMidWrite(BytesIO(content)), hashlib.sha256(content).hexdigest(), ".pdf")
    with pytest.raises(RuntimeError):
        blobs_put([blob])
    assert not default_storage.exists(blob.name)
    assert default_storage.listdir(PARTIAL)[1]  # what was written so far
    assert blob_sweep() == 0  # the write may still be going on
    assert blob_sweep(now=timezone.now() + timedelta(days=1, minutes=1)) == 2  # the part written, the pending name
    assert default_storage.listdir(PARTIAL)[1] == []
    assert not PendingFile.objects.exists()
