"""The paid receipt (PDF): reference, amount in figures and in words, for those who may see it."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from cchc.dossiers.tests.helpers import submit, user
from cchc.payments.services import payment_counter_cash, payment_ipn

from .helpers import BEFORE_RECEPTION, ipn_params, started

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(BytesIO(response.content)).pages)


def test_the_applicant_downloads_the_receipt_of_an_online_payment(client, demo):
    dossier, payment, _url = started()
    payment_ipn(provider_name="vnpay", params=ipn_params(payment))
    client.force_login(dossier.applicant_user)
    response = client.get(f"/ho-so/{dossier.code}/bien-lai/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(_text(response).split())
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert payment.reference in text and dossier.code in text
    assert "Một trăm mười lăm nghìn đồng" in text
    assert "115.000 đ" in text and "14226112" in text
    assert "Nguyễn Văn An" in text


def test_staff_of_the_agency_may_print_it_another_citizen_may_not(client, demo):
    dossier = submit(code=BEFORE_RECEPTION)
    payment_counter_cash(dossier=dossier, officer=user("motcua"))
    client.force_login(user("motcua"))
    text = _text(client.get(f"/ho-so/{dossier.code}/bien-lai/"))
    assert "Tiền mặt" in text
    client.force_login(user("congdan2"))
    assert client.get(f"/ho-so/{dossier.code}/bien-lai/").status_code == 404


def test_no_receipt_before_payment(client, demo):
    dossier, _payment, _url = started()
    client.force_login(dossier.applicant_user)
    assert client.get(f"/ho-so/{dossier.code}/bien-lai/").status_code == 404
