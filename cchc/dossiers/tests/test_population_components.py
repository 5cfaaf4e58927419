"""Components the national population database holds are not asked of a citizen VNeID verified."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.errors import ApplicationError
from cchc.dossiers import services
from cchc.dossiers.models import DossierDocument
from cchc.dossiers.rules import ApplicantData
from cchc.dossiers.services import DocumentInput
from cchc.procedures.models import Procedure

CODE = "1.000010"  # driving licence exchange: the ID card is marked "from the population database"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ID_NUMBER = "001090001234"


@pytest.fixture
def procedure(demo):
    return Procedure.objects.select_related("current_version").get(code=CODE)


@pytest.fixture
def id_card(procedure):
    return procedure.current_version.components.get(from_population_db=True)


@pytest.fixture
def verified(demo):
    user = User.objects.get(username="congdan")
    User.objects.filter(pk=user.pk).update(
        identity_verified=True, identity_level="2", identity_verified_at=timezone.now(), id_number=ID_NUMBER
    )
    user.refresh_from_db()
    return user


def _applicant(id_number=ID_NUMBER):
    return ApplicantData(kind="citizen", name="Nguyễn Văn An", id_number=id_number, phone="0912000001")


def _files(procedure, *, skip=()):
    return [
        DocumentInput(component_id=c.pk, file=SimpleUploadedFile(f"c{c.pk}.pdf", PDF))
        for c in procedure.current_version.components.all()
        if c.required and c.pk not in skip
    ]


def _submit(user, procedure, applicant, documents):
    draft = services.dossier_create_draft(
        user=user, procedure=procedure, applicant=applicant, return_method="counter", documents=documents
    )
    return services.dossier_submit(dossier=draft, user=user)


def test_the_catalogue_marks_the_id_card_as_held_by_the_population_database(id_card):
    assert "căn cước" in id_card.name.lower()


def test_a_verified_citizen_submits_without_the_id_card(verified, procedure, id_card):
    dossier = _submit(verified, procedure, _applicant(), _files(procedure, skip={id_card.pk}))
    assert dossier.status == "submitted"
    assert dossier.applicant_identity_verified
    document = dossier.documents.get(component=id_card)
    assert document.from_population_db and not document.file


def test_an_unverified_citizen_must_still_hand_in_the_id_card(demo, procedure, id_card):
    user = User.objects.get(username="congdan2")
    with pytest.raises(ApplicationError) as refused:
        _submit(user, procedure, _applicant("001192005678"), _files(procedure, skip={id_card.pk}))
    assert refused.value.code == "missing_documents"
    assert id_card.name in refused.value.message


def test_a_verified_citizen_applying_for_someone_else_hands_in_their_id_card(verified, procedure, id_card):
    with pytest.raises(ApplicationError) as refused:
        _submit(verified, procedure, _applicant("001203004567"), _files(procedure, skip={id_card.pk}))
    assert refused.value.code == "missing_documents"
    assert not DossierDocument.objects.filter(component=id_card, from_population_db=True).exists()


def test_the_form_of_a_verified_citizen_does_not_ask_for_the_id_card(verified, procedure, id_card, client):
    client.force_login(verified)
    page = client.get(reverse("dossiers:submit_start", args=[CODE])).content.decode()
    assert f'name="component_{id_card.pk}"' not in page
    assert "Cơ sở dữ liệu quốc gia về dân cư" in page
    assert ID_NUMBER in page  # the verified number is filled in


def test_the_form_of_an_unverified_citizen_asks_for_the_id_card(demo, procedure, id_card, client):
    client.force_login(User.objects.get(username="congdan2"))
    page = client.get(reverse("dossiers:submit_start", args=[CODE])).content.decode()
    assert f'name="component_{id_card.pk}"' in page


def test_the_officer_sees_the_component_was_taken_from_the_population_database(verified, procedure, id_card, client):
    dossier = _submit(verified, procedure, _applicant(), _files(procedure, skip={id_card.pk}))
    client.force_login(User.objects.get(username="motcua"))
    page = client.get(reverse("dossiers:office_detail", args=[dossier.code])).content.decode()
    assert "khai thác từ CSDL quốc gia về dân cư" in page
