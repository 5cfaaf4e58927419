"""Form templates: imported with the catalogue as .docx and .pdf, downloaded from the procedure's
page and from the API."""

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cchc.procedures.models import Component, FormTemplate, Procedure
from cchc.procedures.services import form_templates_import

CODE = "1.000010"  # Đổi giấy phép lái xe: the application has an online version


def _form(code=CODE) -> FormTemplate:
    procedure = Procedure.objects.get(code=code)
    return FormTemplate.objects.select_related("component").get(component__version=procedure.current_version_id)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_every_template_of_the_catalogue_is_imported_as_files(demo):
    named = Component.objects.filter(
        version__in=Procedure.objects.filter(current_version__isnull=False).values("current_version")
    ).exclude(template_name="")
    assert named.count() >= 40
    forms = FormTemplate.objects.filter(component__in=named)
    assert forms.count() == named.count()
    assert not forms.filter(docx="").exists() and not forms.filter(pdf="").exists()


def test_importing_the_catalogue_again_renders_and_changes_nothing(demo):
    assert form_templates_import() == 0


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_a_template_downloads_in_each_format_with_its_catalogue_name(demo, client, fmt, content_type, magic):
    form = _form()
    response = client.get(reverse("procedures:form_template", args=[CODE, form.component_id, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert f'filename="don-de-nghi-doi-gplx.{fmt}"' in response["Content-Disposition"]
    body = _body(response)
    assert body.startswith(magic) and len(body) > 1000


def test_the_blank_forms_carry_the_title_and_the_fields(demo, client):
    form = _form()
    pdf = _body(client.get(reverse("procedures:form_template", args=[CODE, form.component_id, "pdf"])))
    text = _pdf_text(pdf)
    assert "ĐƠN ĐỀ NGHỊ ĐỔI GIẤY PHÉP LÁI XE" in text and "Số giấy phép lái xe" in text
    docx = _body(client.get(reverse("procedures:form_template", args=[CODE, form.component_id, "docx"])))
    document = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "ĐƠN ĐỀ NGHỊ ĐỔI GIẤY PHÉP LÁI XE" in document and "Hạng giấy phép lái xe" in document


def test_the_procedure_page_links_both_files(demo, client):
    form = _form()
    html = client.get(reverse("procedures:detail", args=[CODE])).content.decode()
    for fmt in ("docx", "pdf"):
        assert reverse("procedures:form_template", args=[CODE, form.component_id, fmt]) in html
        assert f"don-de-nghi-doi-gplx.{fmt}</a>" in html
    assert "Mẫu: don-de-nghi-doi-gplx.docx" not in html


@pytest.mark.parametrize("fmt", ["odt", "docx-x"])
def test_an_unknown_format_is_a_vietnamese_404(demo, client, fmt):
    response = client.get(reverse("procedures:form_template", args=[CODE, _form().component_id, fmt]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_an_unknown_template_is_a_vietnamese_404(demo, client):
    without = Procedure.objects.get(code=CODE).current_version.components.filter(template_name="").first()
    for args in ([CODE, 999999, "pdf"], [CODE, without.pk, "pdf"], ["9.999999", _form().component_id, "docx"]):
        response = client.get(reverse("procedures:form_template", args=args))
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


def test_the_old_template_address_serves_the_docx(demo, client):
    form = _form()
    response = client.get(reverse("procedures:component_template", args=[CODE, form.component_id]))
    assert response.status_code == 200 and _body(response).startswith(b"PK")
    assert 'filename="don-de-nghi-doi-gplx.docx"' in response["Content-Disposition"]


def test_the_api_lists_the_template_files_with_their_addresses(demo, client):
    data = client.get(f"/api/v1/procedures/{CODE}").json()
    first = data["components"][0]
    assert first["template_name"] == "don-de-nghi-doi-gplx.docx"  # kept
    assert first["template_url"].endswith(reverse("procedures:component_template", args=[CODE, first["id"]]))
    assert first["online_form"] is True
    assert [(t["format"], t["file_name"]) for t in first["templates"]] == [
        ("docx", "don-de-nghi-doi-gplx.docx"),
        ("pdf", "don-de-nghi-doi-gplx.pdf"),
    ]
    response = client.get(first["templates"][1]["url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    others = [c for c in data["components"][1:] if not c["template_name"]]
    assert others and all(c["templates"] == [] and c["template_url"] is None for c in others)
