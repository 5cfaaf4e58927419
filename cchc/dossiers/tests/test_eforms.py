"""E-forms: a component whose form has an online version is filled on the dossier form, and CCHC
renders the application as PDF attached to the dossier as that component."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from cchc.accounts.models import User
from cchc.dossiers.models import Dossier, DossierDocument
from cchc.procedures.models import Procedure

CODE = "1.000010"  # Đổi giấy phép lái xe: component 1 is the application, with an online version
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def citizen(demo):
    return User.objects.get(username="congdan")


def _components():
    return list(Procedure.objects.get(code=CODE).current_version.components.order_by("order"))


def _post(**eform):
    application, *others = _components()
    data = {
        "kind": "citizen",
        "name": "Nguyễn Văn An",
        "id_number": "001090001234",
        "phone": "0912000001",
        "email": "congdan@example.vn",
        "address": "12 Lê Lợi, phường Trung Tâm",
        "return_method": "counter",
    }
    for component in others:
        data[f"component_{component.pk}"] = SimpleUploadedFile(f"giay-{component.order}.pdf", PDF, "application/pdf")
    values = {
        "birth_date": "07/03/1990",
        "licence_number": "790123456789",
        "licence_class": "B",
        "issued_on": "15/01/2016",
        "issued_by": "Sở Giao thông vận tải tỉnh Bình Sơn",
        "reason": "Giấy phép sắp hết hạn",
        "note": "",
    } | eform
    data.update({f"eform_{application.pk}_{name}": value for name, value in values.items()})
    return application, data


def test_the_e_form_fields_appear_on_the_dossier_form(client, citizen):
    client.force_login(citizen)
    application = _components()[0]
    html = client.get(reverse("dossiers:submit_start", args=[CODE])).content.decode()
    fieldset = html[html.index(f'id="don-{application.pk}"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    for name in ("birth_date", "licence_number", "licence_class", "issued_on", "issued_by", "reason"):
        assert f'name="eform_{application.pk}_{name}"' in fieldset
    assert "Số giấy phép lái xe" in fieldset and "Hạng giấy phép lái xe" in fieldset
    # A signed application can still be uploaded instead.
    assert f'name="component_{application.pk}"' in fieldset


def test_an_uploaded_application_stands_for_the_e_form(client, citizen):
    client.force_login(citizen)
    application, data = _post(
        **dict.fromkeys(("birth_date", "licence_number", "licence_class", "issued_on", "issued_by", "reason"), "")
    )
    data[f"component_{application.pk}"] = SimpleUploadedFile("don-da-ky.pdf", PDF, "application/pdf")
    response = client.post(reverse("dossiers:submit_start", args=[CODE]), data)
    assert response.status_code == 302
    dossier = Dossier.objects.filter(applicant_user=citizen).latest("pk")
    assert DossierDocument.objects.get(dossier=dossier, component=application).original_name == "don-da-ky.pdf"


def test_the_filled_application_is_rendered_as_pdf_with_the_typed_values(client, citizen):
    client.force_login(citizen)
    application, data = _post()
    response = client.post(reverse("dossiers:submit_start", args=[CODE]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.filter(applicant_user=citizen).latest("pk")
    document = DossierDocument.objects.get(dossier=dossier, component=application)
    assert document.original_name == "don-de-nghi-doi-gplx.pdf"
    with document.file.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    text = " ".join(text.split())
    for typed in (
        "ĐƠN ĐỀ NGHỊ ĐỔI GIẤY PHÉP LÁI XE",
        "Nguyễn Văn An",
        "001090001234",
        "12 Lê Lợi, phường Trung Tâm",
        "07/03/1990",
        "790123456789",
        "Giấy phép sắp hết hạn",
        "Sở Giao thông vận tải tỉnh Bình Sơn",
    ):
        assert typed in text, typed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("licence_number", "", "Vui lòng điền “Số giấy phép lái xe”."),
        ("birth_date", "31/02/1990", "Ngày phải theo dạng dd/mm/yyyy."),
        ("licence_class", "Z9", "Hãy chọn một giá trị trong danh sách."),
    ],
)
def test_invalid_e_form_input_is_refused_in_vietnamese_and_saves_nothing(client, citizen, field, value, message):
    client.force_login(citizen)
    before = (Dossier.objects.count(), DossierDocument.objects.count())
    _application, data = _post(**{field: value})
    response = client.post(reverse("dossiers:submit_start", args=[CODE]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Chưa gửi được: vui lòng sửa các mục sau." in html
    assert (Dossier.objects.count(), DossierDocument.objects.count()) == before
    assert 'value="790123456789"' in html or field == "licence_number"  # what was typed stays
