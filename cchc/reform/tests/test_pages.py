"""The PAR Index pages: the index with its total and gap, a criterion's score and evidence, the
template upload and export, the appraisal and the comparison, and who may see or change what."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.accounts.models import Unit
from cchc.audit.models import AuditEvent
from cchc.dossiers.tests.helpers import PDF, user
from cchc.reform import criteria_file
from cchc.reform.models import Criterion, Evidence, ParYear
from cchc.reform.services import criterion_update, par_year_load

from .conftest import YEAR

INDEX = "/cai-cach/chi-so-par/"


def _criterion(par_year, code: str) -> Criterion:
    return Criterion.objects.get(par_year=par_year, code=code)


def _url(code: str, year: int = YEAR) -> str:
    return reverse("reform:criterion", kwargs={"year": year, "code": code})


def _score(par_year, code: str, value: str) -> None:
    criterion = _criterion(par_year, code)
    criterion_update(
        criterion=criterion,
        actor=user("cchc"),
        self_score=Decimal(value),
        notes="",
        responsible_unit=criterion.responsible_unit,
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_page_shows_the_projected_total_the_gap_to_80_and_the_band(par_year, client, no_live_values):
    assert reverse("reform:par_index") == INDEX
    for code, value in (("8.1", "9"), ("7.1", "3"), ("5.1", "2.5")):
        _score(par_year, code, value)
    no_live_values["progress.on_time"] = 87.5  # 3.3.1: 4 points × 87.5 % = 3.5
    client.force_login(user("cchc"))
    page = _text(client.get(INDEX))
    assert 'data-testid="projected-total">18</span><span class="kpi-unit">/100' in page
    assert "còn thiếu 62 điểm để đạt 80" in page
    assert "Yếu" in page
    assert "Bộ tiêu chí mẫu – cần điều chỉnh" in page
    assert "Điểm bị mất ở đâu" in page
    lost = page.split("Điểm bị mất ở đâu")[1]
    # 8.3 (6 points, survey, not scored) is the leaf with the most points to recover.
    assert lost.index("8.3. Đánh giá của cán bộ") < lost.index("8.2. Mức độ hài lòng đo trên hệ thống")
    assert "còn 6/6 điểm" in lost and "Văn phòng Sở" in lost


def test_a_self_score_entered_on_the_criterion_page_changes_the_total(par_year, client):
    client.force_login(user("cchc"))
    response = client.post(_url("1.5"), {"action": "score", "self_score": "1,5", "notes": "Có mô hình mới."})
    assert response.status_code == 302
    criterion = _criterion(par_year, "1.5")
    assert criterion.self_score == Decimal("1.50") and criterion.notes == "Có mô hình mới."
    page = _text(client.get(INDEX))
    assert 'data-testid="projected-total">1,5</span>' in page and "còn thiếu 78,5 điểm để đạt 80" in page
    event = AuditEvent.objects.get(action="reform.criterion_update")
    assert event.actor_username == "cchc" and event.object_id.endswith(f"/{YEAR}/1.5")
    assert event.data["self_score"] == {"from": None, "to": "1.50"}


@pytest.mark.parametrize(
    ("value", "message"),
    [("3", "phải từ 0 đến 2"), ("-1", "phải từ 0 đến 2"), ("abc", "phải là số"), ("1,555", "hai chữ số thập phân")],
)
def test_a_bad_self_score_is_refused_with_a_vietnamese_message(par_year, client, value, message):
    client.force_login(user("cchc"))
    response = client.post(_url("1.5"), {"action": "score", "self_score": value, "notes": ""})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _criterion(par_year, "1.5").self_score is None
    assert not AuditEvent.objects.filter(action="reform.criterion_update").exists()


def test_a_computed_criterion_and_a_parent_take_no_self_score(par_year, client):
    client.force_login(user("cchc"))
    page = client.get(_url("3.3.1")).content.decode()
    assert 'name="self_score"' not in page and "Chưa có số liệu để tính" in page
    page = client.get(_url("1")).content.decode()
    assert 'name="self_score"' not in page and "Tiêu chí con" in page


def test_evidence_is_added_and_removed_and_both_are_audited(par_year, client):
    client.force_login(user("cchc"))
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
    response = client.post(_url("1.1.1"), {"action": "evidence", "title": "Kế hoạch CCHC 2026", "file": upload})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf" and evidence.original_name == "ke-hoach.pdf"
    page = client.get(_url("1.1.1")).content.decode()
    assert "Kế hoạch CCHC 2026" in page
    download = client.get(reverse("reform:evidence_file", kwargs={"pk": evidence.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    response = client.post(_url("1.1.1"), {"action": "evidence", "title": "", "link": "/thu-tuc/"})
    assert response.status_code == 302 and Evidence.objects.filter(link="/thu-tuc/").exists()
    assert AuditEvent.objects.filter(action="reform.evidence_add").count() == 2

    remove = reverse("reform:evidence_remove", kwargs={"year": YEAR, "code": "1.1.1", "pk": evidence.pk})
    assert client.post(remove).status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    removed = AuditEvent.objects.get(action="reform.evidence_remove")
    assert removed.data["title"] == "Kế hoạch CCHC 2026" and removed.actor_username == "cchc"
    page = client.get(_url("1.1.1")).content.decode()
    assert "Kế hoạch CCHC 2026</a>" not in page and "/thu-tuc/</a>" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file": SimpleUploadedFile("a.pdf", b"MZ not a pdf")}, "phải là PDF, JPEG, PNG, Word (.docx) hoặc Excel"),
        ({"link": "javascript:alert(1)"}, "Liên kết không hợp lệ"),
        ({"link": "//evil.example/x"}, "Liên kết không hợp lệ"),
        ({"link": "000.00.12.H99-260101-9999"}, "Không tìm thấy hồ sơ"),
        ({}, "Chọn một tệp hoặc nhập một liên kết"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(par_year, client, fields, message):
    client.force_login(user("cchc"))
    response = client.post(_url("1.1.1"), {"action": "evidence", "title": "Thử", **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists() and not AuditEvent.objects.filter(action="reform.evidence_add").exists()


def test_a_word_document_is_accepted_by_its_content(par_year, client):
    import zipfile
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    client.force_login(user("cchc"))
    upload = SimpleUploadedFile("bien-ban.docx", buffer.getvalue())
    assert client.post(_url("1.2"), {"action": "evidence", "file": upload}).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.title == "bien-ban.docx" and evidence.file.name.endswith(".docx")


def test_a_dossier_code_becomes_a_link_to_the_dossier(par_year, client):
    from cchc.dossiers.tests.helpers import submit

    dossier = submit()
    client.force_login(user("cchc"))
    client.post(_url("3.3.3"), {"action": "evidence", "title": "Hồ sơ mẫu", "link": dossier.code})
    assert Evidence.objects.get().link == reverse("dossiers:office_detail", kwargs={"code": dossier.code})


def test_a_unit_head_edits_their_units_criteria_only(par_year, client):
    qlvt = Unit.objects.get(agency=par_year.agency, code="QLVT", valid_to__isnull=True)
    assert _criterion(par_year, "3.3.2").responsible_unit == qlvt  # computed, QLVT
    criterion = _criterion(par_year, "2.1")  # VP's
    criterion_update(criterion=criterion, actor=user("cchc"), self_score=None, notes="", responsible_unit=qlvt)
    client.force_login(user("truongphong"))
    assert client.post(_url("2.1"), {"action": "score", "self_score": "2", "notes": ""}).status_code == 302
    assert _criterion(par_year, "2.1").self_score == Decimal("2.00")

    response = client.post(_url("2.2"), {"action": "score", "self_score": "2", "notes": "x"})
    assert response.status_code == 403
    response = client.post(_url("2.2"), {"action": "evidence", "link": "/thu-tuc/"})
    assert response.status_code == 403
    assert _criterion(par_year, "2.2").self_score is None and not Evidence.objects.exists()
    page = client.get(_url("2.2")).content.decode()
    assert "Bạn chỉ xem được tiêu chí này" in page and 'name="action"' not in page
    # Nor may they hand their criterion to another unit.
    response = client.post(_url("2.1"), {"action": "score", "self_score": "2", "notes": "", "responsible_unit": "1"})
    assert _criterion(par_year, "2.1").responsible_unit == qlvt


def test_staff_view_applicants_are_refused_and_visitors_sent_to_login(par_year, client):
    for username in ("lanhdao", "chuyenvien", "motcua", "truongphong", "quantri"):
        client.force_login(user(username))
        assert client.get(INDEX).status_code == 200, username
        assert client.get(_url("1.1.1")).status_code == 200, username
    client.force_login(user("chuyenvien"))
    assert client.post(_url("1.1.1"), {"action": "score", "self_score": "1", "notes": ""}).status_code == 403
    assert client.get(reverse("reform:template_load")).status_code == 403
    assert client.get(reverse("reform:appraisal", kwargs={"year": YEAR})).status_code == 403
    client.force_login(user("congdan"))
    assert client.get(INDEX).status_code == 403
    assert client.get(_url("1.1.1")).status_code == 403
    client.logout()
    response = client.get(INDEX)
    assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]


def test_another_agencys_year_and_criteria_are_not_found(par_year, other_agency, client):
    other = par_year_load(
        agency=other_agency,
        year=2024,
        data=criteria_file.SAMPLE_TEMPLATE.read_bytes().replace(b"unit: ", b"x-unit: "),
        filename="mau.yaml",
        actor=None,
    )
    client.force_login(user("cchc"))
    assert client.get(INDEX + "?year=2024").status_code == 404
    assert client.get(_url("1.1.1", year=2024)).status_code == 404
    assert client.get(reverse("reform:comparison", kwargs={"year": 2024})).status_code == 404
    assert client.get(reverse("reform:template_export", kwargs={"year": 2024})).status_code == 404
    evidence = Evidence.objects.create(
        criterion=_criterion(other, "1.2"), title="Của cơ quan khác", link="/x/", added_by=user("quantri")
    )
    assert client.get(reverse("reform:evidence_file", kwargs={"pk": evidence.pk})).status_code == 404
    remove = reverse("reform:evidence_remove", kwargs={"year": YEAR, "code": "1.2", "pk": evidence.pk})
    assert client.post(remove).status_code == 404 and Evidence.objects.filter(pk=evidence.pk).exists()
    assert client.get(INDEX + "?year=abc").status_code == 404


def test_the_reform_officer_uploads_a_workbook_and_sees_the_year(demo, client, no_live_values):
    from cchc.reform.exports import par_year_workbook

    client.force_login(user("cchc"))
    response = client.post(reverse("reform:template_load"), {"year": "2027", "use_sample": "on"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    workbook = par_year_workbook(ParYear.objects.get(year=2027))
    upload = SimpleUploadedFile("bo-tieu-chi.xlsx", workbook)
    response = client.post(reverse("reform:template_load"), {"year": "2028", "file": upload}, follow=True)
    assert "Đã nạp bộ tiêu chí năm 2028" in response.content.decode()
    assert ParYear.objects.get(year=2028).criteria.count() == ParYear.objects.get(year=2027).criteria.count()
    export = client.get(reverse("reform:template_export", kwargs={"year": 2028}))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_bad_upload_lists_its_problems_and_loads_nothing(demo, client):
    client.force_login(user("cchc"))
    bad = b"criteria:\n  - {code: '1', name: A, max: 5}\n  - {code: '1.1', name: B, max: 4, unit: ZZ}\n"
    upload = SimpleUploadedFile("bo.yaml", bad)
    response = client.post(reverse("reform:template_load"), {"year": "2027", "file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "khác tổng điểm tối đa" in page and "ZZ" in page
    assert not ParYear.objects.exists()


def test_the_appraisal_is_entered_and_compared_with_the_self_assessment_and_earlier_years(par_year, demo, client):
    previous = par_year_load(
        agency=demo, year=2025, data=criteria_file.SAMPLE_TEMPLATE.read_bytes(), filename="m.yaml", actor=None
    )
    client.force_login(user("cchc"))
    leaves = {c.code: c for c in Criterion.objects.filter(par_year=previous, children__isnull=True)}
    form = {f"diem_{c.pk}": "" for c in leaves.values()} | {"appraised_on": "20/03/2026"}
    form[f"diem_{leaves['1.5'].pk}"] = "0,5"
    appraisal = reverse("reform:appraisal", kwargs={"year": 2025})
    assert client.post(appraisal, form).status_code == 302
    previous.refresh_from_db()
    assert previous.appraised_on.isoformat() == "2026-03-20"
    assert _criterion(previous, "1.5").appraised_score == Decimal("0.50")
    assert AuditEvent.objects.filter(action="reform.par_year_appraise").count() == 1

    form[f"diem_{leaves['1.5'].pk}"] = "5"
    response = client.post(appraisal, form)
    assert response.status_code == 400 and "phải từ 0 đến 2" in response.content.decode()
    assert _criterion(previous, "1.5").appraised_score == Decimal("0.50")

    _score(previous, "1.5", "2")
    page = _text(client.get(reverse("reform:comparison", kwargs={"year": 2025})))
    assert "Kết quả thẩm định ngày 20/03/2026" in page
    row = page.split("1.5. Sáng kiến")[1].split("</tr>")[0]
    assert re.findall(r'class="num[^"]*"[^>]*>([^<]*)<', row) == ["2", "2", "0,5", "-1,5"]
    # A domain's difference is the difference of the two totals shown beside it, even where a
    # criterion was self-assessed but not appraised.
    _score(previous, "1.6", "1.5")
    page = _text(client.get(reverse("reform:comparison", kwargs={"year": 2025})))
    domain = page.split("1. Công tác chỉ đạo")[1].split("</tr>")[0]
    maximum, own, appraised, difference = re.findall(r'class="num[^"]*"[^>]*>([^<]*)<', domain)[:4]
    as_number = {v: Decimal(v.replace(",", ".")) for v in (own, appraised, difference)}
    assert as_number[difference] == as_number[appraised] - as_number[own]

    _score(par_year, "1.5", "2")
    page = _text(client.get(reverse("reform:comparison", kwargs={"year": YEAR})))
    assert "Thẩm định 2025" in page and "0,5/100" in page
    assert "chưa có kết quả thẩm định" in page


def test_the_appraisal_date_must_be_within_the_year_and_today(par_year, client):
    client.force_login(user("cchc"))
    appraisal = reverse("reform:appraisal", kwargs={"year": YEAR})
    response = client.post(appraisal, {"appraised_on": "01/01/2025"})
    assert response.status_code == 400 and "Ngày có kết quả thẩm định phải từ 01/01/2026" in response.content.decode()
    par_year.refresh_from_db()
    assert par_year.appraised_on is None


def test_without_any_year_the_reform_officer_is_invited_to_load_one(demo, client):
    client.force_login(user("cchc"))
    page = client.get(INDEX).content.decode()
    assert "Chưa có bộ tiêu chí" in page and reverse("reform:template_load") in page


def test_the_index_page_reads_the_tree_in_a_fixed_number_of_queries(par_year, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.reform.services import evidence_add

    client.force_login(user("cchc"))
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for code in ("1.1.1", "2.1", "6.3"):
        _score(par_year, code, "1")
        evidence_add(criterion=_criterion(par_year, code), actor=user("cchc"), title="Văn bản", link="/thu-tuc/")
    with CaptureQueriesContext(connection) as more:
        page = client.get(INDEX).content.decode()
    assert page.count("1 tài liệu kiểm chứng") == 3
    assert len(more) == len(few) <= 8, [q["sql"] for q in more.captured_queries]
