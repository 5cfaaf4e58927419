"""The counter's look-up in an applicant's data store: only while taking that applicant's dossier
at the officer's own one-stop point, only the kinds of paper the procedure asks for, audited
with its purpose, rate-limited. Typing an ID number alone opens nothing."""

import pytest
from django.urls import reverse

from cchc.accounts.services import user_upsert
from cchc.audit.models import AuditEvent
from cchc.core.text import fold
from cchc.dossiers.models import StoredDocument

from .helpers import act, submit, user

pytestmark = pytest.mark.django_db
ID_NUMBER = "001203004567"  # congdan's, as the helpers submit it
LOOKUP = reverse("dossiers:store_lookup")


@pytest.fixture
def other_agency_officer(demo):
    from cchc.accounts.models import Agency

    agency = Agency.objects.get(code="000.00.10.H99")
    return user_upsert(
        username="motcua_xd", password="x", role="one_stop_officer", agency=agency, unit=agency.units.get(code="MOTCUA")
    )


@pytest.fixture(autouse=True)
def _fresh_counts():
    """Rate-limit counts live in the cache, which outlives a test's database transaction."""
    from django.core.cache import cache

    cache.clear()


def stored_health_certificate():
    """A stored paper of a kind procedure 1.000010 does not ask for (after a submission)."""
    first = StoredDocument.objects.filter(owner_identifier=ID_NUMBER).first()
    return StoredDocument.objects.create(
        owner=first.owner,
        owner_identifier=ID_NUMBER,
        kind=StoredDocument.Kind.UPLOAD,
        name="Giấy khám sức khỏe của người hành nghề y",
        component_key=fold("Giấy khám sức khỏe của người hành nghề y"),
        file=first.file.name,
        sha256="f" * 64,
    )


def test_typing_an_id_number_alone_opens_nothing(client, demo):
    submit()
    client.force_login(user("motcua"))
    response = client.get(LOOKUP, {"dinh_danh": ID_NUMBER})
    assert response.status_code == 404
    assert "SHA-256" not in response.content.decode()
    document = StoredDocument.objects.filter(owner_identifier=ID_NUMBER).first()
    file_url = reverse("dossiers:store_lookup_file", args=[document.pk])
    assert client.get(file_url, {"dinh_danh": ID_NUMBER}).status_code == 404


def test_the_dossier_being_received_shows_its_kinds_of_paper_and_audits_the_purpose(client, demo):
    dossier = submit()  # waiting for reception
    health_certificate = stored_health_certificate()
    client.force_login(user("motcua"))
    page = client.get(reverse("dossiers:office_detail", args=[dossier.code])).content.decode()
    assert f"{LOOKUP}?ho_so={dossier.code}" in page
    response = client.get(LOOKUP, {"ho_so": dossier.code})
    assert response.status_code == 200
    shown = set(response.context["documents"])
    assert shown and health_certificate not in shown
    event = AuditEvent.objects.get(action="store.lookup")
    assert event.actor_username == "motcua" and event.dossier_code == dossier.code
    assert event.reason == "Tiếp nhận hồ sơ trực tuyến của người nộp"
    document = next(iter(shown))
    query = {"ho_so": dossier.code}
    assert client.get(reverse("dossiers:store_lookup_file", args=[document.pk]), query).status_code == 200
    assert AuditEvent.objects.filter(action="store.document_view", object_id=str(document.pk)).exists()
    refused = client.get(reverse("dossiers:store_lookup_file", args=[health_certificate.pk]), query)
    assert refused.status_code == 404


def test_once_received_the_dossier_no_longer_opens_the_store(client, demo):
    dossier = act(submit(code="1.003683"), "motcua", "receive")
    client.force_login(user("motcua"))
    assert client.get(LOOKUP, {"ho_so": dossier.code}).status_code == 404


def test_an_officer_of_another_agency_gets_404(client, demo, other_agency_officer):
    dossier = submit()
    client.force_login(other_agency_officer)
    assert client.get(LOOKUP, {"ho_so": dossier.code}).status_code == 404
    assert client.get(LOOKUP, {"thu_tuc": "1.000010", "dinh_danh": ID_NUMBER}).status_code == 404
    client.get(reverse("dossiers:counter_new"), {"thu_tuc": "1.000010"})  # not a procedure of their agency
    assert client.get(LOOKUP, {"thu_tuc": "1.000010", "dinh_danh": ID_NUMBER}).status_code == 404
    assert not AuditEvent.objects.filter(action="store.lookup").exists()


def test_a_counter_intake_in_progress_opens_the_procedures_kinds_of_paper(client, demo):
    submit()
    health_certificate = stored_health_certificate()
    client.force_login(user("motcua"))
    query = {"thu_tuc": "1.000010", "dinh_danh": ID_NUMBER}
    assert client.get(LOOKUP, query).status_code == 404  # no intake of that procedure open
    client.get(reverse("dossiers:counter_new"), {"thu_tuc": "1.000010"})
    response = client.get(LOOKUP, query)
    assert response.status_code == 200
    shown = set(response.context["documents"])
    assert shown and health_certificate not in shown
    assert AuditEvent.objects.get(action="store.lookup").data["purpose"] == "counter_intake"
    assert client.get(LOOKUP, {**query, "thu_tuc": "1.003683"}).status_code == 404  # another procedure


def test_other_roles_are_refused(client, demo):
    dossier = submit()
    client.force_login(user("chuyenvien"))
    assert client.get(LOOKUP, {"ho_so": dossier.code}).status_code == 403


def test_look_ups_are_rate_limited_per_officer(client, demo, settings):
    settings.CCHC_STORE_LOOKUPS_PER_HOUR = 2
    dossier = submit()
    client.force_login(user("motcua"))
    codes = [client.get(LOOKUP, {"ho_so": dossier.code}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert AuditEvent.objects.filter(action="store.lookup").count() == 2


def test_a_commune_counter_receiving_for_another_commune_finds_papers_another_agency_received(client, demo):
    """Commune A's officer takes a dossier for commune B: the applicant's papers, kept when the
    department received an earlier dossier of theirs, are found by the ID number."""
    from .province import build_province

    earlier = submit()  # lodged with the department, which keeps the applicant's papers
    assert earlier.agency.code != "000.01.01.H99"
    build_province()
    kept = set(StoredDocument.objects.filter(owner_identifier=ID_NUMBER, component_key__isnull=False))
    health_certificate = stored_health_certificate()
    client.force_login(user("xa_a_motcua"))
    query = {"thu_tuc": "1.000010", "dinh_danh": ID_NUMBER}
    assert client.get(LOOKUP, query).status_code == 404  # no intake open yet: the number alone opens nothing
    client.get(reverse("dossiers:counter_new"), {"thu_tuc": "1.000010", "co_quan": "000.01.02.H99"})
    response = client.get(LOOKUP, query)
    assert response.status_code == 200
    shown = set(response.context["documents"])
    assert shown and shown <= kept and health_certificate not in shown
    assert {d.source_dossier_id for d in shown} == {earlier.pk}
    event = AuditEvent.objects.get(action="store.lookup")
    assert event.actor_username == "xa_a_motcua" and event.data["purpose"] == "counter_intake"
    # Another procedure than the intake open: nothing.
    assert client.get(LOOKUP, {**query, "thu_tuc": "1.003683"}).status_code == 404


def test_a_department_counter_cannot_open_the_store_for_a_procedure_it_does_not_receive(client, demo):
    from .province import build_province

    submit()
    build_province()
    client.force_login(user("motcua"))  # the department's counter: receives only for its own agency
    client.get(reverse("dossiers:counter_new"), {"thu_tuc": "1.000010", "co_quan": "000.01.02.H99"})
    response = client.get(LOOKUP, {"thu_tuc": "1.000010", "dinh_danh": ID_NUMBER})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="store.lookup").exists()
