from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from .helpers import act, submit, user


def test_applicant_downloads_their_receipt_holding_the_code(demo, client):
    dossier = act(submit(), "motcua", "receive")
    client.force_login(user("congdan"))
    response = client.get(reverse("dossiers:document", kwargs={"code": dossier.code, "form": "receipt"}))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert dossier.code in text


def test_another_citizen_gets_404_for_the_receipt(demo, client):
    dossier = act(submit(), "motcua", "receive")
    client.force_login(user("congdan2"))
    response = client.get(reverse("dossiers:document", kwargs={"code": dossier.code, "form": "receipt"}))
    assert response.status_code == 404


def test_a_form_that_does_not_apply_is_404(demo, client):
    dossier = submit()
    client.force_login(user("congdan"))
    assert client.get(reverse("dossiers:document", kwargs={"code": dossier.code, "form": "receipt"})).status_code == 404
    assert client.get(reverse("dossiers:document", kwargs={"code": dossier.code, "form": "xyz"})).status_code == 404


def test_anonymous_is_sent_to_login(demo, client):
    dossier = act(submit(), "motcua", "receive")
    response = client.get(reverse("dossiers:document", kwargs={"code": dossier.code, "form": "receipt"}))
    assert response.status_code == 302 and "login" in response["Location"]


def test_tracking_book_for_the_counter(demo, client):
    dossier = act(submit(), "motcua", "receive")
    client.force_login(user("motcua"))
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.get(reverse("dossiers:tracking_book"), {"date_from": today, "date_to": today, "format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert any(dossier.code in str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)


def test_tracking_book_refuses_a_reversed_range_and_citizens(demo, client):
    client.force_login(user("motcua"))
    response = client.get(
        reverse("dossiers:tracking_book"), {"date_from": "10/03/2026", "date_to": "01/03/2026", "format": "xlsx"}
    )
    assert "phải trước" in response.content.decode()
    client.force_login(user("congdan"))
    assert client.get(reverse("dossiers:tracking_book")).status_code == 403
