from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cchc.accounts.models import User
from cchc.procedures.models import ProcedureVersion
from cchc.procedures.spreadsheet import SHEET_PROCEDURES


def test_home_shows_search_fields_and_most_used(demo, client):
    html = client.get("/").content.decode()
    assert 'name="q"' in html
    assert "Vận tải đường bộ" in html or "Đường thủy nội địa" in html
    assert "Thủ tục được sử dụng nhiều" in html


def test_catalogue_search_without_diacritics(demo, client):
    html = client.get(reverse("procedures:catalogue"), {"q": "giay phep lai xe"}).content.decode()
    assert "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp" in html
    assert "Tìm thấy" in html


def test_catalogue_paginates(demo, client):
    first = client.get(reverse("procedures:catalogue")).content.decode()
    assert "Trang 1/" in first and "page=2" in first
    second = client.get(reverse("procedures:catalogue"), {"page": 2}).content.decode()
    assert "Trang 2/" in second


def test_catalogue_ignores_a_bad_filter_instead_of_failing(demo, client):
    response = client.get(reverse("procedures:catalogue"), {"level": "9", "page": "x"})
    assert response.status_code == 200


def test_procedure_page_shows_everything_and_the_appointment(demo, client):
    html = client.get(reverse("procedures:detail", args=["1.000010"])).content.decode()
    for text in (
        "Thành phần hồ sơ",
        "Quy trình giải quyết nội bộ",
        "Căn cứ pháp lý",
        "135.000 đ",
        "115.000 đ",
        "Hẹn trả kết quả",
    ):
        assert text in html
    assert " ngày " in html


def test_unknown_procedure_is_404(demo, client):
    assert client.get(reverse("procedures:detail", args=["9.999999"])).status_code == 404


def test_only_catalogue_editors_may_import(demo, client):
    client.force_login(User.objects.get(username="chuyenvien"))
    assert client.get(reverse("procedures:import")).status_code == 403
    client.force_login(User.objects.get(username="cchc"))
    assert client.get(reverse("procedures:import")).status_code == 200


def test_anonymous_cannot_export(demo, client):
    response = client.get(reverse("procedures:export"))
    assert response.status_code in (302, 403)


def test_reform_officer_exports_and_imports_through_the_page(demo, client):
    client.force_login(User.objects.get(username="cchc"))
    response = client.get(reverse("procedures:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook[SHEET_PROCEDURES]
    sheet.cell(2, 6).value = "sai"
    output = BytesIO()
    workbook.save(output)
    versions = ProcedureVersion.objects.count()
    response = client.post(
        reverse("procedures:import"), {"file": SimpleUploadedFile("danh-muc.xlsx", output.getvalue())}
    )
    html = response.content.decode()
    assert "dòng 2" in html and "Thời hạn giải quyết" in html
    assert ProcedureVersion.objects.count() == versions


def test_import_refuses_other_file_types(demo, client):
    client.force_login(User.objects.get(username="cchc"))
    response = client.post(reverse("procedures:import"), {"file": SimpleUploadedFile("a.csv", b"a,b")})
    assert "Chỉ nhận tệp Excel" in response.content.decode()
