"""The results API: verification (public) and the signed file of a dossier; signing as an action."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers.tests.helpers import act, user
from cchc.results.models import SignedResult

API = "/api/v1"


def result_bytes(result) -> bytes:
    with result.file.open("rb") as handle:
        return handle.read()


def test_a_leader_sees_and_takes_the_signing_action(client, approved):
    client.force_login(user("truongphong"))
    assert "sign_result" not in client.get(f"{API}/dossiers/{approved.code}").json()["available_actions"]
    client.force_login(user("lanhdao"))
    detail = client.get(f"{API}/dossiers/{approved.code}").json()
    assert "sign_result" in detail["available_actions"]

    response = client.post(
        f"{API}/dossiers/{approved.code}/actions/sign_result", {"expected_status": "approved"}, "application/json"
    )
    assert response.status_code == 200, response.content
    assert "sign_result" not in response.json()["available_actions"]
    assert SignedResult.objects.filter(dossier=approved).exists()
    again = client.post(f"{API}/dossiers/{approved.code}/actions/sign_result", {}, "application/json")
    assert again.status_code == 409


def test_the_stored_result_verifies_by_its_id(client, signed):
    response = client.get(f"{API}/results/{signed.pk}/verify")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["matches_record"] is True
    assert body["signer"] == "Sở Giao thông vận tải tỉnh Bình Sơn (minh họa)"
    assert body["signed_at"].endswith("+07:00")
    assert body["result_id"] == str(signed.pk)
    assert client.get(f"{API}/results/00000000-0000-4000-8000-000000000000/verify").status_code == 404


def test_an_uploaded_file_is_verified(client, signed):
    data = result_bytes(signed)
    genuine = client.post(f"{API}/results/verify", {"file": SimpleUploadedFile("kq.pdf", data)})
    assert genuine.status_code == 200
    assert genuine.json() | {"reason": ""} == {
        "valid": True,
        "signer": "Sở Giao thông vận tải tỉnh Bình Sơn (minh họa)",
        "signed_at": genuine.json()["signed_at"],
        "matches_record": True,
        "reason": "",
        "result_id": str(signed.pk),
    }

    altered = data + b"\n% appended after signing\n"
    response = client.post(f"{API}/results/verify", {"file": SimpleUploadedFile("kq.pdf", altered)})
    assert response.status_code == 200
    assert (response.json()["valid"], response.json()["matches_record"]) == (False, False)

    garbage = client.post(f"{API}/results/verify", {"file": SimpleUploadedFile("kq.pdf", b"\x00\x01garbage")})
    assert garbage.status_code == 200
    assert garbage.json()["valid"] is False and garbage.json()["reason"]

    assert client.post(f"{API}/results/verify", {}).status_code == 400


def test_the_signed_file_is_downloaded_by_who_may_see_the_dossier(client, signed):
    code = signed.dossier.code
    client.force_login(user("lanhdao"))
    response = client.get(f"{API}/dossiers/{code}/result")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == result_bytes(signed)

    client.force_login(user("congdan2"))
    assert client.get(f"{API}/dossiers/{code}/result").status_code == 404
    client.force_login(user("congdan"))
    assert client.get(f"{API}/dossiers/{code}/result").status_code == 404  # not returned yet
    act(act(signed.dossier, "motcua", "result_ready"), "motcua", "return_result")
    assert client.get(f"{API}/dossiers/{code}/result").status_code == 200
    client.logout()
    assert client.get(f"{API}/dossiers/{code}/result").status_code == 401


def test_a_dossier_without_a_result_has_none_to_download(client, approved):
    client.force_login(user("lanhdao"))
    response = client.get(f"{API}/dossiers/{approved.code}/result")
    assert response.status_code == 404
    assert response.json()["code"] == "result_not_found"
