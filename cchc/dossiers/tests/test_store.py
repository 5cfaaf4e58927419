"""The applicant's data store (once-only): filled on submission, reused, deleted, looked up at the counter."""

import pytest
from django.urls import reverse

from cchc.core.errors import ApplicationError, NotFound
from cchc.dossiers.models import StoredDocument
from cchc.dossiers.services import DocumentInput, dossier_submit_online, store_document_delete
from cchc.procedures.models import Procedure

from .helpers import CITIZEN, submit, user


def test_submitted_uploads_land_in_the_applicants_store(demo):
    dossier = submit()
    stored = StoredDocument.objects.filter(owner=user("congdan"))
    assert stored.count() == dossier.documents.count()
    assert set(stored.values_list("owner_identifier", flat=True)) == {"001203004567"}


def test_a_component_taken_from_the_store_is_marked_reused(demo):
    submit()
    procedure = Procedure.objects.get(code="1.000010")
    components = list(procedure.current_version.components.all())
    stored = {d.name: d for d in StoredDocument.objects.filter(owner=user("congdan"))}
    documents = [DocumentInput(component_id=c.pk, reused_from=stored[c.name]) for c in components]
    dossier, _ = dossier_submit_online(
        user=user("congdan"), procedure=procedure, applicant=CITIZEN, return_method="online", documents=documents
    )
    assert dossier.documents.count() == len(components)
    assert all(d.reused and d.digitised for d in dossier.documents.all())


def test_someone_elses_stored_document_cannot_be_reused(demo):
    submit("congdan")
    theirs = StoredDocument.objects.filter(owner=user("congdan")).first()
    procedure = Procedure.objects.get(code="1.000010")
    other = CITIZEN.__class__(**{**CITIZEN.__dict__, "id_number": "001203009999", "name": "Trần Thị Bình"})
    with pytest.raises(NotFound):
        dossier_submit_online(
            user=user("congdan2"),
            procedure=procedure,
            applicant=other,
            return_method="online",
            documents=[DocumentInput(component_id=procedure.current_version.components.first().pk, reused_from=theirs)],
        )


def test_applicant_deletes_own_upload_but_not_a_result(demo):
    submit()
    upload = StoredDocument.objects.filter(owner=user("congdan")).first()
    store_document_delete(document=upload, user=user("congdan"))
    upload.refresh_from_db()
    assert upload.deleted_at is not None
    result = StoredDocument.objects.create(
        owner=user("congdan"),
        owner_identifier="001203004567",
        kind="result",
        name="Giấy phép lái xe",
        component_key="giay phep lai xe",
        file=upload.file.name,
        sha256="f" * 64,
    )
    with pytest.raises(ApplicationError, match="Không xóa được"):
        store_document_delete(document=result, user=user("congdan"))
    with pytest.raises(NotFound):
        store_document_delete(document=result, user=user("congdan2"))


def test_store_page_lists_only_my_documents_and_offers_reuse_on_submission(demo, client):
    submit("congdan")
    client.force_login(user("congdan2"))
    assert "Kho dữ liệu chưa có" in client.get(reverse("dossiers:store")).content.decode()
    client.force_login(user("congdan"))
    html = client.get(reverse("dossiers:store")).content.decode()
    assert "Giấy khám sức khỏe" in html or "sức khỏe" in html
    form = client.get(reverse("dossiers:submit_start", args=["1.000010"])).content.decode()
    assert "kho dữ liệu của bạn" in form


def test_another_applicant_cannot_open_or_delete_my_stored_file(demo, client):
    submit("congdan")
    mine = StoredDocument.objects.filter(owner=user("congdan")).first()
    client.force_login(user("congdan2"))
    assert client.get(reverse("dossiers:store_file", args=[mine.pk])).status_code == 404
    assert client.post(reverse("dossiers:store_delete", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.deleted_at is None
