"""The results pages: composing and previewing, signing from the office, downloading, verifying."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.dossiers.rules import mask_name
from cchc.dossiers.tests.helpers import act, submit, user
from cchc.results.models import ResultDraft, SignedResult

from .conftest import PAPER, received_dossier


def login(client, username: str):
    client.force_login(user(username))
    return client


def result_bytes(result) -> bytes:
    with result.file.open("rb") as handle:
        return handle.read()


def test_a_specialist_composes_and_sees_the_preview(client, approved):
    login(client, "chuyenvien")
    url = reverse("results:compose", kwargs={"code": approved.code})
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Soạn, xem trước kết quả điện tử" in content
    assert reverse("results:preview", kwargs={"code": approved.code}) in content
    assert "Ký số kết quả điện tử" not in content  # only a leader signs

    response = client.post(
        url, {"number": "7/GP-SGTVT", "body": "Hạng B2", "valid_until": "", "notes": "", "signer_title": "deputy"}
    )
    assert response.status_code == 302
    draft = ResultDraft.objects.get(dossier=approved)
    assert (draft.number, draft.signer_title, draft.updated_by.username) == ("7/GP-SGTVT", "deputy", "chuyenvien")

    preview = client.get(reverse("results:preview", kwargs={"code": approved.code}))
    assert preview.status_code == 200
    assert preview["Content-Type"] == "application/pdf"
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert preview.content.startswith(b"%PDF")


def test_bad_composition_is_explained_and_nothing_is_saved(client, approved):
    login(client, "chuyenvien")
    url = reverse("results:compose", kwargs={"code": approved.code})
    response = client.post(url, {"valid_until": "31/02/2020", "signer_title": "nobody"})
    assert response.status_code == 400
    assert "Ngày phải theo dạng dd/mm/yyyy." in response.content.decode()
    assert not ResultDraft.objects.filter(dossier=approved).exists()


@pytest.mark.parametrize("username", ["motcua", "cchc", "congdan"])
def test_others_may_not_compose(client, approved, username):
    login(client, username)
    assert client.get(reverse("results:compose", kwargs={"code": approved.code})).status_code == 403
    assert client.get(reverse("results:preview", kwargs={"code": approved.code})).status_code == 403


def test_a_dossier_out_of_sight_is_not_found(client, approved, demo):
    other = submit(username="congdan2")
    login(client, "chuyenvien")  # the specialist's unit has not handled it yet
    assert client.get(reverse("results:compose", kwargs={"code": other.code})).status_code == 404


def test_a_paper_result_is_not_composed(client, demo, signing):
    dossier = received_dossier(PAPER)
    login(client, "lanhdao")
    page = client.get(reverse("results:compose", kwargs={"code": dossier.code}))
    assert page.status_code == 200
    assert "trả kết quả bản giấy" in page.content.decode()
    assert client.get(reverse("results:preview", kwargs={"code": dossier.code})).status_code == 404


def test_the_leader_signs_from_the_compose_page_through_the_office_action(client, approved):
    login(client, "lanhdao")
    page = client.get(reverse("results:compose", kwargs={"code": approved.code}))
    assert "Ký số kết quả điện tử" in page.content.decode()
    act_url = reverse("dossiers:office_act", kwargs={"code": approved.code, "action": "sign_result"})
    response = client.post(act_url, {"sign_result-expected_status": "approved", "sign_result-comment": ""})
    assert response.status_code == 302
    result = SignedResult.objects.get(dossier=approved)
    assert result.signer.username == "lanhdao"
    page = client.get(reverse("results:compose", kwargs={"code": approved.code}))
    assert "Kết quả đã được ký số" in page.content.decode()


def test_the_applicant_downloads_the_result_once_it_is_returned(client, signed):
    dossier = signed.dossier
    url = reverse("results:download", kwargs={"code": dossier.code})
    login(client, "congdan")
    assert client.get(url).status_code == 404  # signed, not yet returned
    login(client, "motcua")
    staff = client.get(url)
    assert staff.status_code == 200 and b"".join(staff.streaming_content) == result_bytes(signed)

    dossier = act(act(dossier, "motcua", "result_ready"), "motcua", "return_result")
    login(client, "congdan")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"ket-qua-{dossier.code}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == result_bytes(signed)

    login(client, "congdan2")
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_public_verification_page_shows_no_personal_data(client, signed):
    page = client.get(reverse("results:verify", kwargs={"pk": signed.pk}))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Văn bản hợp lệ" in content
    assert signed.dossier.code in content and "Giấy phép lái xe" in content
    assert mask_name("Nguyễn Văn An") in content
    assert "Nguyễn Văn An" not in content and signed.dossier.applicant_id_number not in content


def test_an_unknown_result_is_not_found(client, db):
    assert client.get("/ket-qua/xac-minh/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_an_uploaded_copy_is_checked(client, signed):
    url = reverse("results:verify_upload")
    assert client.get(url).status_code == 200
    data = result_bytes(signed)
    genuine = client.post(url, {"file": SimpleUploadedFile("kq.pdf", data, "application/pdf")})
    assert genuine.status_code == 200
    assert "Văn bản hợp lệ" in genuine.content.decode()
    assert "trùng khớp với bản lưu" in genuine.content.decode()

    altered = bytearray(data)
    altered[500] ^= 0x01
    response = client.post(url, {"file": SimpleUploadedFile("kq.pdf", bytes(altered), "application/pdf")})
    assert response.status_code == 200
    assert "Văn bản không hợp lệ" in response.content.decode()

    garbage = client.post(url, {"file": SimpleUploadedFile("kq.pdf", b"not a pdf", "application/pdf")})
    assert garbage.status_code == 200
    assert "Tệp không phải văn bản PDF." in garbage.content.decode()

    missing = client.post(url, {})
    assert missing.status_code == 400
    assert "Hãy chọn tệp PDF cần kiểm tra." in missing.content.decode()


def test_verification_is_rate_limited(client, signed, settings):
    settings.CCHC_LOOKUP_RATE_PER_MINUTE = 2
    url = reverse("results:verify", kwargs={"pk": signed.pk})
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_a_validity_date_typed_dd_mm_yyyy_shows_back_the_same_way(client, approved):
    """Issue 14: 07/12/2036 typed in showed back as 2036-12-07."""
    login(client, "chuyenvien")
    url = reverse("results:compose", kwargs={"code": approved.code})
    client.post(url, {"number": "", "body": "", "valid_until": "07/12/2036", "notes": "", "signer_title": "deputy"})
    page = client.get(url).content.decode()
    assert 'value="07/12/2036"' in page and "2036-12-07" not in page
