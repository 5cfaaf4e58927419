"""The API answers its error JSON to whatever it is sent: never a 500, never HTML, never a traceback."""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.helpers import PDF

pytestmark = pytest.mark.django_db
API = "/api/v1"
APPLICANT = {"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "001203004567", "phone": "0912345678"}
BROKEN_MULTIPART = (
    b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-1.4 never closed"
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _token(client, username="congdan") -> dict:
    answer = client.post(
        f"{API}/auth/token", {"username": username, "password": "demo12345"}, content_type="application/json"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {answer.json()['token']}"}


def _json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["detail"]
    if code:
        assert body["code"] == code
    return body


@pytest.mark.parametrize("debug", [False, True])
def test_a_broken_multipart_body_is_a_400(client, demo, debug):
    with override_settings(DEBUG=debug):
        for path, headers in ((f"{API}/results/verify", {}), (f"{API}/dossiers", _token(client))):
            response = client.generic(
                "POST", path, BROKEN_MULTIPART, content_type="multipart/form-data; boundary=XYZ", **headers
            )
            _json_error(response, 400)
    assert not Dossier.objects.exists()


def test_more_files_than_allowed_is_a_400(client, demo, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {str(i): SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(1, 5)}
    response = client.post(
        f"{API}/dossiers",
        {"procedure": "1.000010", "applicant": json.dumps(APPLICANT), **files},
        **_token(client),
    )
    _json_error(response, 400, "too_many_files")
    verify = client.post(f"{API}/results/verify", files)
    _json_error(verify, 400, "too_many_files")
    assert not Dossier.objects.exists()


def test_nul_characters_are_refused_everywhere(client, demo):
    _json_error(client.get(f"{API}/procedures", {"q": "giấy\x00phép"}), 400, "nul_character")
    token = client.post(
        f"{API}/auth/token", {"username": "congdan\x00", "password": "x"}, content_type="application/json"
    )
    _json_error(token, 400, "nul_character")
    applicant = {**APPLICANT, "name": "Nguyễn\x00An"}
    form = client.post(
        f"{API}/dossiers", {"procedure": "1.000010", "applicant": json.dumps(applicant)}, **_token(client)
    )
    _json_error(form, 400, "nul_character")
    _json_error(client.get(f"{API}/dossiers/AB%00CD/status"), 400, "nul_character")
    assert not Dossier.objects.exists()


def test_text_longer_than_its_column_is_refused_with_its_name(client, demo):
    headers = _token(client)
    long_name = {**APPLICANT, "name": "Nguyễn " * 60}
    response = client.post(f"{API}/dossiers", {"procedure": "1.000010", "applicant": json.dumps(long_name)}, **headers)
    assert _json_error(response, 400, "too_long")["errors"] == ["applicant.name"]
    keyed = client.post(
        f"{API}/dossiers",
        {"procedure": "1.000010", "applicant": json.dumps(APPLICANT)},
        HTTP_IDEMPOTENCY_KEY="k" * 200,
        **headers,
    )
    _json_error(keyed, 400, "too_long")
    token = client.post(f"{API}/auth/token", {"username": "u" * 500, "password": "x"}, content_type="application/json")
    _json_error(token, 400, "invalid_input")
    assert not Dossier.objects.exists()


def test_an_unknown_address_under_the_api_is_json(client, demo):
    _json_error(client.get(f"{API}/khong-co-dia-chi-nay"), 404, "not_found")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_is_a_json_500_without_traceback(client, demo, monkeypatch, debug):
    from cchc.core import api as calendar_api

    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(calendar_api, "working_calendar", broken)
    with override_settings(DEBUG=debug):
        response = client.get(f"{API}/calendar/due", {"received_at": "2026-03-02T08:00:00+07:00", "hours": "8"})
    body = _json_error(response, 500, "server_error")
    assert "secret internals" not in json.dumps(body) and "Traceback" not in response.content.decode()
