"""The Decision 766 digitisation indicators count from the digitisation records: a paper component counts
once its scan is read and confirmed, a paper result once its scan is, and reuse follows what was digitised."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from cchc.digitisation import engine, imports
from cchc.digitisation import services as digitisation
from cchc.dossiers.services import DocumentInput, dossier_counter_intake, dossier_submit_online
from cchc.dossiers.tests.helpers import CITIZEN, PDF, act, documents_for, user
from cchc.procedures.models import Procedure
from cchc.reports.selectors import indicator_dossiers, service_index

pytestmark = pytest.mark.django_db
PAPER_RESULT = "1.001765"  # its result, "Giấy phép lái xe", is issued on paper


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    """No fee guard (the payments app's rule) and an instant reading (the real one is tested in digitisation)."""
    from cchc.dossiers import hooks

    monkeypatch.setattr(hooks, "_guards", [])
    monkeypatch.setattr(
        digitisation, "ocr", lambda data: engine.OcrResult(pdf=b"%PDF-1.4\n" + data[-24:] + b"\n%%EOF\n", text="")
    )


def _figure(code, demo):
    today = timezone.localdate()
    groups = service_index(date_from=today, date_to=today, agency=demo)["groups"]
    indicator = next(i for g in groups for i in g["indicators"] if i["code"] == code)
    return indicator["numerator"], indicator["denominator"]


def _counted(code, demo) -> set[str]:
    today = timezone.localdate()
    rows = indicator_dossiers(code=code, part="numerator", date_from=today, date_to=today, agency=demo)
    return {row.code for row in rows}


def _digitise(job, officer):
    job = digitisation.digitisation_run(job_id=job.pk)
    return digitisation.digitisation_confirm(job=job, officer=officer, fields={}, valid_until=None)


def test_paper_components_and_the_paper_result_count_once_digitised(demo):
    officer = user("motcua")
    procedure = Procedure.objects.get(code=PAPER_RESULT)
    scans = [
        DocumentInput(component_id=c.pk, paper=True, file=SimpleUploadedFile(f"s{c.pk}.pdf", PDF + bytes([c.order])))
        for c in procedure.current_version.components.all()
    ]
    dossier = dossier_counter_intake(
        officer=officer,
        procedure=procedure,
        applicant=CITIZEN,
        return_method="counter",
        documents=scans,
        decision="receive",
        fee_taken=True,
    )
    # Scanned at the counter, not yet read and confirmed: not digitised.
    assert _figure("digitisation.digitised", demo) == (0, 1)
    for document in dossier.documents.all():
        _digitise(digitisation.digitisation_request(document=document, officer=officer), officer)
    assert _figure("digitisation.digitised", demo) == (1, 1)
    assert _counted("digitisation.digitised", demo) == {dossier.code}

    # Once its result is ready, the paper result must be digitised too.
    dossier = act(dossier, "motcua", "forward")
    dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
    dossier = act(dossier, "chuyenvien", "forward")
    dossier = act(dossier, "truongphong", "forward")
    dossier = act(dossier, "lanhdao", "approve")
    dossier = act(dossier, "motcua", "result_ready")
    assert _figure("digitisation.digitised", demo) == (0, 1)
    job = digitisation.paper_result_record(
        dossier=dossier, officer=officer, scan=SimpleUploadedFile("kq.pdf", PDF + b"ket qua")
    )
    assert _figure("digitisation.digitised", demo) == (0, 1)  # read, but not confirmed yet
    _digitise(job, officer)
    assert _figure("digitisation.digitised", demo) == (1, 1)
    # A paper result digitised is not an electronic result (4.1 counts signed ones).
    assert _figure("digitisation.electronic_result", demo) == (0, 1)


def test_reuse_counts_a_historical_result_digitised_and_taken_again(demo, tmp_path):
    name = "Giấy chứng nhận kiểm định an toàn kỹ thuật và bảo vệ môi trường còn hiệu lực"
    procedure = Procedure.objects.get(code="1.002835")

    def submit(documents, key):
        dossier, _created = dossier_submit_online(
            user=user("congdan"),
            procedure=procedure,
            applicant=CITIZEN,
            return_method="online",
            documents=documents,
            idempotency_key=key,
        )
        return act(dossier, "motcua", "receive")

    submit(documents_for(procedure), "first")
    assert _figure("digitisation.reused", demo) == (0, 1)

    (tmp_path / "kd.pdf").write_bytes(PDF + b"kiem dinh")
    book = Workbook()
    book.active.append(["Tên tệp", "Số định danh", "Họ và tên", "Tên giấy tờ", "Ngày cấp", "Có giá trị đến"])
    book.active.append(["kd.pdf", CITIZEN.id_number, CITIZEN.name, name, "02/05/2024", date(2027, 5, 2)])
    sheet = io.BytesIO()
    book.save(sheet)
    batch = imports.import_rows(
        agency=demo, actor=None, sheet_name="kd.xlsx", sheet=sheet.getvalue(), files=imports.FolderFiles(tmp_path)
    )
    job = batch.items.get()
    digitisation.digitisation_run(job_id=job.pk)
    job.refresh_from_db()
    stored = job.stored
    assert stored.valid_until == date(2027, 5, 2)

    documents = [
        DocumentInput(component_id=item.component_id, reused_from=stored)
        if procedure.current_version.components.get(pk=item.component_id).name == name
        else item
        for item in documents_for(procedure)
    ]
    second = submit(documents, "second")
    assert _figure("digitisation.reused", demo) == (1, 2)
    assert _counted("digitisation.reused", demo) == {second.code}
