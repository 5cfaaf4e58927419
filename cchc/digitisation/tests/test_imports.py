"""Historical results imported from a folder (or zip) of scans and a spreadsheet: every row checked first,
nothing imported while a row is wrong, a scan imported once, each one read and put in its holder's store."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from cchc.accounts.models import Agency
from cchc.digitisation import engine, services
from cchc.digitisation.models import Digitisation, ImportBatch
from cchc.dossiers.models import StoredDocument
from cchc.dossiers.services import DocumentInput, dossier_submit_online
from cchc.dossiers.tests.helpers import CITIZEN, PDF, documents_for, user
from cchc.procedures.models import Procedure

from .scans import scan_png

pytestmark = pytest.mark.django_db
HEADER = ("Tên tệp", "Số định danh", "Họ và tên", "Tên giấy tờ", "Mã thủ tục", "Ngày cấp", "Có giá trị đến", "Số")
INSPECTION = "Giấy chứng nhận kiểm định an toàn kỹ thuật và bảo vệ môi trường còn hiệu lực"
GOOD = (
    ("gplx-an.png", "001203004567", "Nguyễn Văn An", "", "1.001765", "01/03/2020", "01/03/2030", "790123456789"),
    ("kiem-dinh.pdf", "001203004567", "Nguyễn Văn An", INSPECTION, "", datetime(2024, 5, 2), "02/05/2027", "KD-12"),
)


@pytest.fixture(autouse=True)
def _read(monkeypatch):
    monkeypatch.setattr(
        services, "ocr", lambda data: engine.OcrResult(pdf=b"%PDF-1.4\n" + data[:32] + b"\n%%EOF\n", text="Số 1")
    )


def _sheet(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "gplx-an.png").write_bytes(scan_png(("GIẤY PHÉP LÁI XE",), width=700))
    (tmp_path / "kiem-dinh.pdf").write_bytes(PDF + b"kiem dinh 2024")
    return tmp_path


def _run(tmp_path, folder, rows, *extra):
    sheet = tmp_path / "bang-ke.xlsx"
    sheet.write_bytes(_sheet(rows))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "digitise_import",
        str(folder),
        str(sheet),
        "--agency",
        Agency.objects.get(code=AGENCY).code,
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue()


AGENCY = "000.00.12.H99"


def _read_all():
    for job in Digitisation.objects.filter(source="historical", state="queued"):
        services.digitisation_run(job_id=job.pk)


def test_a_folder_and_its_sheet_enter_the_holders_data_store_once(demo, tmp_path, folder):
    answer = _run(tmp_path, folder, GOOD, "--user", "motcua")
    assert "Đã nhập 2 giấy tờ mới, bỏ qua 0" in answer
    _read_all()
    stored = {d.name: d for d in StoredDocument.objects.filter(owner_identifier="001203004567", kind="result")}
    assert stored["Giấy phép lái xe"].valid_until == date(2030, 3, 1)  # the procedure's result name
    assert stored[INSPECTION].valid_until == date(2027, 5, 2)
    jobs = Digitisation.objects.filter(source="historical")
    assert {job.state for job in jobs} == {"confirmed"}
    assert {job.confirmed["id_number"] for job in jobs} == {"001203004567"}
    assert jobs.get(number="KD-12").issued_on == date(2024, 5, 2)
    # Again: the same scans are not imported twice.
    assert "Đã nhập 0 giấy tờ mới, bỏ qua 2" in _run(tmp_path, folder, GOOD)
    assert jobs.count() == 2 and ImportBatch.objects.count() == 2


def test_a_bad_row_imports_nothing_and_every_problem_names_its_row(demo, tmp_path, folder):
    rows = [
        GOOD[0],
        ("thieu.pdf", "001203004567", "Nguyễn Văn An", INSPECTION, "", "01/01/2024", "", ""),
        ("kiem-dinh.pdf", "12345", "Nguyễn Văn An", INSPECTION, "", "01/01/2024", "", ""),
        ("kiem-dinh.pdf", "001203004567", "Nguyễn Văn An", INSPECTION, "", "31/02/2024", "", ""),
        ("gplx-an.png", 1203004567, "Nguyễn Văn An", "", "9.999999", "01/01/2024", "01/01/2023", ""),
    ]
    with pytest.raises(CommandError) as refused:
        _run(tmp_path, folder, rows)
    assert "chưa nhập giấy tờ nào" in str(refused.value)
    assert not Digitisation.objects.exists() and not ImportBatch.objects.exists()
    from cchc.digitisation import imports

    parsed, problems = imports.read_sheet(_sheet(rows))
    _rows, problems = imports.check_rows(parsed, imports.FolderFiles(folder))
    text = "\n".join(problems)
    assert "Dòng 3: không tìm thấy tệp “thieu.pdf”." in text
    assert "Dòng 4: “Số định danh” không hợp lệ: “12345”" in text
    assert "Dòng 5: “Ngày cấp” không phải ngày hợp lệ (dd/mm/yyyy): “31/02/2024”." in text
    assert "Dòng 6:" in text and "mất số 0 ở đầu" in text and "không có thủ tục mã “9.999999”" in text
    assert "ngày hết hiệu lực trước ngày cấp" in text
    assert len(problems) == 4


def test_files_outside_the_folder_and_headers_missing_are_refused(demo, tmp_path, folder):
    from cchc.digitisation import imports

    parsed, _problems = imports.read_sheet(_sheet([("../secret.pdf", *GOOD[1][1:])]))
    _rows, problems = imports.check_rows(parsed, imports.FolderFiles(folder))
    assert problems == ["Dòng 2: tên tệp “../secret.pdf” phải nằm trong thư mục bản quét."]
    _parsed, problems = imports.read_sheet(_sheet([GOOD[0]], header=("Tên tệp", "Họ và tên")))
    assert "Dòng tiêu đề thiếu cột" in problems[0] and "Số định danh" in problems[0]
    assert imports.read_sheet(b"not a workbook")[1] == ["Tệp không phải bảng tính Excel (.xlsx) hợp lệ."]


def test_an_imported_result_is_reused_by_the_next_dossier(demo, tmp_path, folder):
    _run(tmp_path, folder, GOOD)
    _read_all()
    stored = StoredDocument.objects.get(name=INSPECTION, owner_identifier="001203004567")
    procedure = Procedure.objects.get(code="1.002835")
    documents = [
        DocumentInput(component_id=item.component_id, reused_from=stored)
        if procedure.current_version.components.get(pk=item.component_id).name == INSPECTION
        else item
        for item in documents_for(procedure)
    ]
    dossier, _created = dossier_submit_online(
        user=user("congdan"), procedure=procedure, applicant=CITIZEN, return_method="online", documents=documents
    )
    reused = dossier.documents.get(reused=True)
    assert reused.sha256 == stored.sha256 and reused.component.name == INSPECTION


def test_the_staff_page_imports_a_zip_and_a_sheet(demo, client, django_capture_on_commit_callbacks):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("scans/gplx-an.png", scan_png(("GIẤY PHÉP LÁI XE",), width=700))
        bundle.writestr("scans/kiem-dinh.pdf", PDF + b"kiem dinh 2024")
    url = reverse("digitisation:imports")
    client.force_login(user("congdan"))
    assert client.get(url).status_code == 404
    client.force_login(user("cchc"))

    def post(rows):
        return client.post(
            url,
            {
                "archive": SimpleUploadedFile("scans.zip", archive.getvalue()),
                "sheet": SimpleUploadedFile("bang-ke.xlsx", _sheet(rows)),
            },
        )

    bad = post([GOOD[0], ("khong-co.pdf", *GOOD[1][1:])])
    assert bad.status_code == 400 and "Dòng 3: không tìm thấy tệp “khong-co.pdf”." in bad.content.decode()
    assert not Digitisation.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = post(GOOD)
    assert answer.status_code == 302 and len(queued) == 1
    batch = ImportBatch.objects.get()
    assert (batch.imported, batch.skipped, batch.imported_by) == (2, 0, user("cchc"))
    _read_all()
    page = client.get(answer["Location"]).content.decode()
    assert "gplx-an.png" in page and "Đã xác nhận" in page


def _reading_fails_for(monkeypatch, marker: bytes):
    """OCR fails on scans containing `marker` (a missing language pack, a broken file…)."""

    def read(data):
        if marker in data:
            raise engine.OcrUnavailable("tesseract: thiếu dữ liệu tiếng Việt")
        return engine.OcrResult(pdf=b"%PDF-1.4\n" + data[:32] + b"\n%%EOF\n", text="Số 1")

    monkeypatch.setattr(services, "ocr", read)


def test_a_failed_reading_is_retried_by_the_command_for_the_failed_rows_only(demo, tmp_path, folder, monkeypatch):
    from cchc.audit.models import AuditEvent

    _reading_fails_for(monkeypatch, b"kiem dinh")
    _run(tmp_path, folder, GOOD)
    _read_all()
    jobs = Digitisation.objects.filter(source="historical")
    failed, done = jobs.get(number="KD-12"), jobs.get(original_name="gplx-an.png")
    assert failed.state == "failed" and "tiếng Việt" in failed.error and done.state == "confirmed"
    _reading_fails_for(monkeypatch, b"no scan has this")  # the language pack is installed
    out = io.StringIO()
    call_command("digitise_import", "--retry-failed", "--agency", AGENCY, "--user", "motcua", stdout=out)
    assert "nhận dạng lại 1 bản quét" in out.getvalue()
    assert jobs.get(pk=failed.pk).state == "queued" and jobs.get(pk=done.pk).confirmed_at == done.confirmed_at
    _read_all()
    assert {job.state for job in jobs} == {"confirmed"}
    assert StoredDocument.objects.filter(owner_identifier="001203004567", name=INSPECTION).exists()
    (event,) = AuditEvent.objects.filter(action="digitisation.retry")
    assert event.data["rows"] == [failed.pk] and event.actor_username == "motcua"
    # Again: nothing failed, nothing queued, nothing audited.
    out = io.StringIO()
    call_command("digitise_import", "--retry-failed", "--agency", AGENCY, stdout=out)
    assert "nhận dạng lại 0 bản quét" in out.getvalue()
    assert AuditEvent.objects.filter(action="digitisation.retry").count() == 1
    with pytest.raises(CommandError, match="Cần thư mục"):
        call_command("digitise_import", "--agency", AGENCY)


def test_the_batch_page_retries_its_failed_readings(demo, client, tmp_path, folder, monkeypatch):
    _reading_fails_for(monkeypatch, b"")  # every reading fails
    _run(tmp_path, folder, GOOD)
    _read_all()
    batch = ImportBatch.objects.get()
    client.force_login(user("cchc"))
    page = client.get(reverse("digitisation:batch", args=[batch.pk])).content.decode()
    assert "Nhận dạng lại các bản quét bị lỗi" in page
    retry = reverse("digitisation:batch_retry", args=[batch.pk])
    client.force_login(user("congdan"))
    assert client.post(retry).status_code == 404
    assert set(batch.items.values_list("state", flat=True)) == {"failed"}
    client.force_login(user("cchc"))
    assert client.post(retry).status_code == 302
    assert set(batch.items.values_list("state", flat=True)) == {"queued"}
    _reading_fails_for(monkeypatch, b"no scan has this")
    _read_all()
    page = client.get(reverse("digitisation:batch", args=[batch.pk])).content.decode()
    assert set(batch.items.values_list("state", flat=True)) == {"confirmed"}
    assert "Nhận dạng lại các bản quét bị lỗi" not in page
    assert client.post(retry).status_code == 302  # nothing failed: nothing changes
    assert set(batch.items.values_list("state", flat=True)) == {"confirmed"}
