"""A paper result is digitised like a scanned component: the counter records its scan, the task reads it,
the officer confirms its key fields, and the result enters the applicant's data store with its validity."""

import shutil
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.audit.models import AuditEvent
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.digitisation import engine, services
from cchc.digitisation.models import Digitisation
from cchc.dossiers.models import StoredDocument
from cchc.dossiers.tests.helpers import act, drive_to_decision_step, submit, user

from .scans import scan_png

pytestmark = pytest.mark.django_db
PAPER_RESULT = "1.001765"  # Đổi giấy phép lái xe do ngành Quân đội cấp: the result is "Giấy phép lái xe" on paper
LINES = ("GIẤY PHÉP LÁI XE", "Số GPLX: 790123456789", "Họ và tên: NGUYỄN VĂN AN", "Ngày sinh: 15/03/1990")


@pytest.fixture(autouse=True)
def _without_the_fee_guard(monkeypatch):
    """The fee before reception is the payments app's rule, tested there."""
    from cchc.dossiers import hooks

    monkeypatch.setattr(hooks, "_guards", [])


def _approved(code=PAPER_RESULT):
    dossier = drive_to_decision_step(submit(code=code, key=f"paper-{code}"))
    return act(dossier, "lanhdao", "approve", comment="Đồng ý")


@pytest.fixture
def ready(demo):
    return act(_approved(), "motcua", "result_ready")


def _upload(content=None, name="ket-qua.png"):
    return SimpleUploadedFile(name, content if content is not None else scan_png(LINES[:1], width=600))


def _read_as(monkeypatch, text):
    monkeypatch.setattr(services, "ocr", lambda data: engine.OcrResult(pdf=b"%PDF-1.4\n%%EOF\n", text=text))


def test_the_counter_digitises_a_paper_result_into_the_applicants_store(ready, monkeypatch):
    _read_as(monkeypatch, "\n".join(LINES))
    job = services.paper_result_record(
        dossier=ready, officer=user("motcua"), scan=_upload(), number="790123456789", issued_on=date(2025, 3, 1)
    )
    assert (job.source, job.state, job.name) == ("result", "queued", "Giấy phép lái xe")
    job = services.digitisation_run(job_id=job.pk)
    assert job.proposed["licence_number"] == "790123456789" and job.proposed["name"] == "NGUYỄN VĂN AN"
    job = services.digitisation_confirm(
        job=job, officer=user("motcua"), fields=job.proposed, valid_until=date(2035, 3, 1)
    )
    stored = job.stored
    assert stored.kind == StoredDocument.Kind.RESULT and stored.name == "Giấy phép lái xe"
    assert stored.owner == user("congdan") and stored.owner_identifier == "001203004567"
    assert stored.valid_until == date(2035, 3, 1) and stored.source_dossier == ready
    assert set(AuditEvent.objects.filter(dossier_code=ready.code).values_list("action", flat=True)) >= {
        "digitisation.result",
        "digitisation.confirm",
    }
    # The next dossier asking for a driving licence is offered it (the citizen's data store).
    from cchc.dossiers.selectors import store_documents_for

    assert stored in store_documents_for(user=user("congdan"))


def test_a_result_is_digitised_once_and_a_failed_reading_can_be_scanned_again(ready, settings):
    settings.CCHC_OCR_COMMAND = "/nonexistent/ocrmypdf"
    job = services.paper_result_record(dossier=ready, officer=user("motcua"), scan=_upload())
    assert services.digitisation_run(job_id=job.pk).state == "failed"
    again = services.paper_result_record(dossier=ready, officer=user("motcua"), scan=_upload(scan_png(LINES[:2])))
    assert again.pk == job.pk and again.state == "queued" and again.sha256 != job.sha256
    with pytest.raises(Conflict):
        services.paper_result_record(dossier=ready, officer=user("motcua"), scan=_upload())


def test_only_a_ready_paper_result_at_the_counter_is_recorded(demo):
    approved = _approved()
    with pytest.raises(Conflict):
        services.paper_result_record(dossier=approved, officer=user("motcua"), scan=_upload())
    ready = act(approved, "motcua", "result_ready")
    with pytest.raises(PermissionDenied):
        services.paper_result_record(dossier=ready, officer=user("chuyenvien"), scan=_upload())
    with pytest.raises(ApplicationError) as refused:
        services.paper_result_record(dossier=ready, officer=user("motcua"), scan=_upload(b"hello", "a.txt"))
    assert refused.value.code == "file_type"
    with pytest.raises(ApplicationError) as refused:
        services.paper_result_record(
            dossier=ready,
            officer=user("motcua"),
            scan=_upload(),
            issued_on=date(2025, 3, 1),
            valid_until=date(2025, 2, 1),
        )
    assert refused.value.code == "valid_before_issue"
    assert not Digitisation.objects.filter(dossier=ready).exists()


def test_an_electronic_result_is_not_scanned(demo):
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.workflow import Status

    dossier = _approved("1.000010")
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RESULT_READY)
    with pytest.raises(ApplicationError) as refused:
        services.paper_result_record(dossier=dossier, officer=user("motcua"), scan=_upload())
    assert refused.value.code == "electronic_result"


def test_the_counter_page_scans_reads_and_confirms_the_result(
    ready, client, monkeypatch, django_capture_on_commit_callbacks
):
    _read_as(monkeypatch, "\n".join(LINES))
    client.force_login(user("motcua"))
    detail = client.get(reverse("dossiers:office_detail", args=[ready.code])).content.decode()
    url = reverse("digitisation:paper_result", args=[ready.code])
    assert url in detail and "Số hóa kết quả bản giấy" in detail
    bad = client.post(url, {"scan": _upload(b"not a scan", "x.png"), "issued_on": "01/03/2025"})
    assert bad.status_code == 400 and "không phải PDF, JPEG hoặc PNG" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = client.post(url, {"scan": _upload(), "number": "790123456789", "valid_until": "01/03/2035"})
    assert answer.status_code == 302 and len(queued) == 1
    job = Digitisation.objects.get(dossier=ready, source="result")
    services.digitisation_run(job_id=job.pk)
    page = client.get(url).content.decode()
    assert "790123456789" in page and 'value="01/03/2035"' in page
    answer = client.post(url, {"action": "confirm", "licence_number": "790123456789", "valid_until": "01/03/2035"})
    assert answer.status_code == 302
    job.refresh_from_db()
    assert job.state == "confirmed" and job.stored.valid_until == date(2035, 3, 1)
    client.force_login(user("congdan"))
    assert client.get(url).status_code == 404


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ocrmypdf") is None, reason="ocrmypdf not installed (bin/system-deps)")
def test_a_scanned_paper_result_is_really_read(ready):
    """OCRmyPDF with Tesseract's Vietnamese data on a generated scan of a paper licence."""
    job = services.paper_result_record(dossier=ready, officer=user("motcua"), scan=_upload(scan_png(LINES)))
    job = services.digitisation_run(job_id=job.pk)
    assert job.state == "proposed", job.error
    assert job.searchable.open("rb").read(5) == b"%PDF-"
    assert job.proposed.get("licence_number") == "790123456789"
    assert job.proposed.get("birth_date") == "15/03/1990"
    assert "GIẤY PHÉP" in job.text.upper()
