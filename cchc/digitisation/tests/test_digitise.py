"""A scanned paper is read (OCRmyPDF + Tesseract's Vietnamese data), its key fields proposed, confirmed by
the officer, and it enters the applicant's data store for the next dossier to reuse."""

import io
import shutil
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cchc.audit.models import AuditEvent
from cchc.core.errors import Conflict, PermissionDenied
from cchc.digitisation import services
from cchc.digitisation.models import Digitisation
from cchc.dossiers.models import StoredDocument
from cchc.dossiers.tests.helpers import submit, user

pytestmark = pytest.mark.django_db
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ("CĂN CƯỚC CÔNG DÂN", "Số: 001203004567", "Họ và tên: NGUYỄN VĂN AN", "Ngày sinh: 15/03/1990")


def _scan() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1700, 700), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 56)
    for row, line in enumerate(LINES):
        draw.text((80, 80 + row * 130), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


@pytest.fixture
def scanned(demo):
    dossier = submit()
    document = dossier.documents.select_related("component").order_by("component__order").first()
    document.file.save("scan.png", ContentFile(_scan()), save=True)
    return document


def _proposed(monkeypatch, text):
    from cchc.digitisation import engine

    monkeypatch.setattr(services, "ocr", lambda data: engine.OcrResult(pdf=b"%PDF-1.4\n%%EOF\n", text=text))


def test_the_officer_confirms_the_proposed_fields_into_the_data_store(scanned, monkeypatch):
    _proposed(monkeypatch, "\n".join(LINES))
    job = services.digitisation_request(document=scanned, officer=user("motcua"))
    job = services.digitisation_run(job_id=job.pk)
    assert job.state == Digitisation.State.PROPOSED
    assert job.proposed == {"id_number": "001203004567", "name": "NGUYỄN VĂN AN", "birth_date": "15/03/1990"}
    job = services.digitisation_confirm(
        job=job,
        officer=user("motcua"),
        fields={**job.proposed, "name": "NGUYỄN VĂN AN"},
        valid_until=date(2035, 3, 15),
    )
    stored = job.stored
    assert stored.owner_identifier == scanned.dossier.applicant_identifier
    assert stored.valid_until == date(2035, 3, 15) and stored.name == scanned.component.name
    assert AuditEvent.objects.filter(action="digitisation.confirm").exists()
    # The next dossier's form offers it (once-only).
    assert StoredDocument.objects.filter(owner=scanned.dossier.applicant_user, pk=stored.pk).exists()
    with pytest.raises(Conflict):
        services.digitisation_confirm(job=job, officer=user("motcua"), fields={})


def test_only_the_counter_of_the_agency_digitises(scanned):
    with pytest.raises(PermissionDenied):
        services.digitisation_request(document=scanned, officer=user("chuyenvien"))


def test_a_missing_ocr_command_fails_the_job_with_a_clear_message(scanned, settings):
    settings.CCHC_OCR_COMMAND = "/nonexistent/ocrmypdf"
    job = services.digitisation_request(document=scanned, officer=user("motcua"))
    job = services.digitisation_run(job_id=job.pk)
    assert job.state == Digitisation.State.FAILED and "OCR" in job.error
    assert services.digitisation_request(document=scanned, officer=user("motcua")).state == "queued"


def test_the_officer_page_reads_and_confirms(scanned, client, monkeypatch, django_capture_on_commit_callbacks):
    _proposed(monkeypatch, "\n".join(LINES))
    client.force_login(user("motcua"))
    url = reverse("digitisation:document", args=[scanned.dossier.code, scanned.pk])
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(url, {"action": "request"}).status_code == 302
    services.digitisation_run(job_id=Digitisation.objects.get(document=scanned).pk)
    page = client.get(url).content.decode()
    assert "001203004567" in page
    answer = client.post(url, {"action": "confirm", "id_number": "001203004567", "valid_until": "15/03/2035"})
    assert answer.status_code == 302
    assert Digitisation.objects.get(document=scanned).state == "confirmed"
    client.force_login(user("congdan"))
    assert client.get(url).status_code == 404


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ocrmypdf") is None, reason="ocrmypdf not installed (bin/system-deps)")
def test_ocrmypdf_reads_vietnamese_from_a_scan():
    from cchc.digitisation.engine import ocr
    from cchc.digitisation.fields import propose

    result = ocr(_scan())
    assert result.pdf.startswith(b"%PDF")
    fields = {p.field: p.value for p in propose(result.text)}
    assert fields.get("id_number") == "001203004567"
    assert fields.get("birth_date") == "15/03/1990"
