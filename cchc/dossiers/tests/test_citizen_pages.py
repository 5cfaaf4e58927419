"""The citizen's pages: signing up, submitting online, my dossiers, supplementing, withdrawing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import User
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, DossierDocument, StagedUpload
from cchc.dossiers.rules import ApplicantData
from cchc.dossiers.services import ActionInput, DocumentInput
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Procedure

CODE = "1.002859"  # online (full), two required components
NOT_ONLINE = "1.002871"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def pdf(name="don.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="anh.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def citizen(demo):
    return User.objects.get(username="congdan")


@pytest.fixture
def other_citizen(demo):
    return User.objects.get(username="congdan2")


@pytest.fixture
def procedure(demo):
    return Procedure.objects.select_related("current_version").get(code=CODE)


def components(procedure):
    return list(procedure.current_version.components.order_by("order"))


def form_data(procedure, **overrides):
    first, second = components(procedure)[:2]
    data = {
        "kind": "citizen",
        "name": "Nguyễn Văn An",
        "id_number": "001203004567",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "12 Lê Lợi, phường Trung Tâm",
        "return_method": "counter",
        f"component_{first.pk}": pdf(),
        f"component_{second.pk}": png(),
    }
    data.update(overrides)
    return data


def start_url(code=CODE):
    return reverse("dossiers:submit_start", args=[code])


def submitted_dossier(user, procedure, name="Nguyễn Văn An") -> Dossier:
    draft = services.dossier_create_draft(
        user=user,
        procedure=procedure,
        applicant=ApplicantData(kind="citizen", name=name, id_number="001203004567", phone="0912345678"),
        return_method="counter",
        documents=[DocumentInput(component_id=c.pk, file=pdf()) for c in components(procedure) if c.required],
    )
    return services.dossier_submit(dossier=draft, user=user)


def received(dossier) -> Dossier:
    officer = User.objects.get(username="motcua")
    return services.dossier_act(dossier=dossier, actor=officer, action="receive")


# ---------------------------------------------------------------- accounts


def test_sign_up_creates_a_logged_in_citizen_who_is_not_staff(demo, client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "binh@example.vn",
            "username": "binh",
            "password1": "mat-khau-rat-dai-2026",
            "password2": "mat-khau-rat-dai-2026",
            "full_name": "Trần Thị Bình",
            "kind": "citizen",
            "phone": "0987654321",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="binh")
    assert user.role == "citizen"
    assert user.full_name == "Trần Thị Bình"
    assert not user.is_staff and not user.is_superuser
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_and_sign_up_pages_speak_vietnamese(demo, client):
    login = client.get(reverse("account_login")).content.decode()
    assert "Đăng nhập" in login and "Mật khẩu" in login and "Tên đăng nhập hoặc thư điện tử" in login
    assert "Sign In" not in login and 'placeholder="Username' not in login
    signup = client.get(reverse("account_signup")).content.decode()
    assert "Đăng ký tài khoản" in signup and "Nhập lại mật khẩu" in signup and "Họ và tên" in signup


def test_a_configured_openid_connect_provider_appears_on_the_sign_in_page(demo, client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "vneid",
                    "name": "VNeID",
                    "client_id": "cchc-test",
                    "secret": "",
                    "settings": {"server_url": "https://id.example.vn"},
                }
            ]
        }
    }
    html = client.get(reverse("account_login")).content.decode()
    assert "Hoặc đăng nhập bằng" in html and "VNeID" in html


def test_submitting_requires_login(demo, client):
    response = client.get(start_url())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# ---------------------------------------------------------------- submitting


def test_full_online_submission_gives_one_submitted_dossier_with_a_code(citizen, procedure, client):
    client.force_login(citizen)
    page = client.get(start_url()).content.decode()
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in page and "(bắt buộc)" in page

    response = client.post(start_url(), form_data(procedure))
    assert response.status_code == 302
    draft = Dossier.objects.get(applicant_user=citizen, status=Status.DRAFT)
    assert response["Location"] == reverse("dossiers:draft_review", args=[draft.pk])

    review = client.get(response["Location"]).content.decode()
    for text in ("Nguyễn Văn An", "001203004567", "don.pdf", "anh.png", "Tại Bộ phận Một cửa", "Nộp hồ sơ", "Sửa"):
        assert text in review
    assert draft.documents.get(original_name="don.pdf").sha256[:16] in review

    response = client.post(reverse("dossiers:draft_review", args=[draft.pk]))
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert dossier.status == Status.SUBMITTED and dossier.code
    assert response["Location"] == reverse("dossiers:my_detail", args=[dossier.code])
    assert dossier.documents.count() == 2
    assert {d.content_type for d in dossier.documents.all()} == {"application/pdf", "image/png"}
    assert dossier.code in client.get(response["Location"]).content.decode()


def test_submitting_the_review_twice_gives_one_dossier(citizen, procedure, client):
    client.force_login(citizen)
    client.post(start_url(), form_data(procedure))
    draft = Dossier.objects.get(applicant_user=citizen)
    review = reverse("dossiers:draft_review", args=[draft.pk])
    first = client.post(review)
    second = client.post(review, follow=True)
    assert Dossier.objects.filter(applicant_user=citizen).count() == 1
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert first["Location"] == second.redirect_chain[-1][0] == reverse("dossiers:my_detail", args=[dossier.code])
    assert "đã được nộp trước đó" in second.content.decode()
    assert dossier.events.filter(action="submit").count() == 1


def test_resending_the_start_form_opens_the_same_draft(citizen, procedure, client):
    client.force_login(citizen)
    token = client.get(start_url()).context["token"]
    first = client.post(start_url(), form_data(procedure, token=token))
    second = client.post(start_url(), form_data(procedure, token=token))
    assert first["Location"] == second["Location"]
    assert Dossier.objects.filter(applicant_user=citizen).count() == 1


def test_a_program_renamed_pdf_is_refused_and_nothing_is_stored(citizen, procedure, client):
    client.force_login(citizen)
    first = components(procedure)[0]
    fake = SimpleUploadedFile("don.pdf", EXE, content_type="application/pdf")
    response = client.post(start_url(), form_data(procedure, **{f"component_{first.pk}": fake}))
    assert response.status_code == 200
    assert "không phải PDF, JPEG hoặc PNG" in response.content.decode()
    assert not Dossier.objects.filter(applicant_user=citizen).exists()
    assert not DossierDocument.objects.filter(dossier__applicant_user=citizen).exists()


def test_an_id_number_of_eleven_digits_is_refused(citizen, procedure, client):
    client.force_login(citizen)
    response = client.post(start_url(), form_data(procedure, id_number="00120300456"))
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in response.content.decode()
    assert not Dossier.objects.filter(applicant_user=citizen).exists()


def test_a_business_must_give_a_ten_digit_tax_code(demo, procedure, client):
    business = User.objects.get(username="doanhnghiep")
    client.force_login(business)
    company = {"kind": "business", "name": "Công ty TNHH Vận tải Bình Sơn", "id_number": ""}
    response = client.post(start_url(), form_data(procedure, **company, tax_code="12345"))
    assert "Mã số thuế phải gồm 10 chữ số" in response.content.decode()
    assert not Dossier.objects.filter(applicant_user=business).exists()

    assert client.post(start_url(), form_data(procedure, **company, tax_code="0101234567")).status_code == 302
    assert Dossier.objects.get(applicant_user=business).applicant_tax_code == "0101234567"


def test_a_file_over_the_size_limit_is_refused(citizen, procedure, client, settings):
    settings.CCHC_UPLOAD_MAX_BYTES = 20
    client.force_login(citizen)
    response = client.post(start_url(), form_data(procedure))
    assert "quá lớn" in response.content.decode()
    assert not Dossier.objects.filter(applicant_user=citizen).exists()


def test_a_missing_required_file_is_named(citizen, procedure, client):
    client.force_login(citizen)
    second = components(procedure)[1]
    data = form_data(procedure)
    del data[f"component_{second.pk}"]
    response = client.post(start_url(), data)
    assert response.status_code == 200
    assert second.name in response.content.decode()
    assert not Dossier.objects.filter(applicant_user=citizen).exists()


def test_staff_are_told_to_use_their_own_pages(demo, client):
    client.force_login(User.objects.get(username="motcua"))
    response = client.get(start_url())
    assert response.status_code == 403
    assert "Tài khoản cán bộ không nộp" in response.content.decode()


def test_a_procedure_not_offered_online_says_so(citizen, client):
    client.force_login(citizen)
    response = client.get(start_url(NOT_ONLINE))
    assert "nộp trực tiếp tại Bộ phận Một cửa" in response.content.decode()
    assert response.context.get("form") is None


def test_procedure_page_offers_online_submission_only_where_it_exists(demo, client):
    online = client.get(reverse("procedures:detail", args=[CODE])).content.decode()
    assert reverse("dossiers:submit_start", args=[CODE]) in online
    offline = client.get(reverse("procedures:detail", args=[NOT_ONLINE])).content.decode()
    assert reverse("dossiers:submit_start", args=[NOT_ONLINE]) not in offline
    assert "Thủ tục này nộp trực tiếp tại Bộ phận Một cửa" in offline


def test_editing_a_draft_keeps_the_files_not_replaced(citizen, procedure, client):
    client.force_login(citizen)
    client.post(start_url(), form_data(procedure))
    draft = Dossier.objects.get(applicant_user=citizen)
    edit = client.get(reverse("dossiers:draft_edit", args=[draft.pk]))
    assert 'value="Nguyễn Văn An"' in edit.content.decode() and "Đã tải lên: don.pdf" in edit.content.decode()

    data = form_data(procedure, name="Nguyễn Văn Anh")
    for c in components(procedure):
        data.pop(f"component_{c.pk}", None)
    response = client.post(reverse("dossiers:draft_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    review = client.get(response["Location"]).content.decode()
    assert "Nguyễn Văn Anh" in review and "don.pdf" in review and "anh.png" in review


# ---------------------------------------------------------------- my dossiers


def test_my_list_shows_only_my_own_dossiers(citizen, other_citizen, procedure, client):
    mine = submitted_dossier(citizen, procedure)
    theirs = submitted_dossier(other_citizen, procedure, name="Lê Thị Cúc")
    client.force_login(citizen)
    html = client.get(reverse("dossiers:my_list")).content.decode()
    assert mine.code in html and "Đã nộp trực tuyến, chờ tiếp nhận" in html
    assert theirs.code not in html


def test_my_list_lists_drafts_too_and_its_queries_do_not_grow(citizen, procedure, client):
    client.force_login(citizen)
    submitted_dossier(citizen, procedure)
    client.post(start_url(), form_data(procedure))
    with CaptureQueriesContext(connection) as few:
        html = client.get(reverse("dossiers:my_list")).content.decode()
    assert "Bản nháp – tiếp tục" in html
    for _ in range(3):
        submitted_dossier(citizen, procedure)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("dossiers:my_list"))
    assert len(many) == len(few)


def test_another_citizen_gets_404_on_my_dossier_and_my_draft(citizen, other_citizen, procedure, client):
    dossier = received(submitted_dossier(citizen, procedure))
    client.force_login(citizen)
    client.post(start_url(), form_data(procedure))
    draft = Dossier.objects.get(applicant_user=citizen, status=Status.DRAFT)

    client.force_login(other_citizen)
    assert client.get(reverse("dossiers:my_detail", args=[dossier.code])).status_code == 404
    assert client.get(reverse("dossiers:draft_review", args=[draft.pk])).status_code == 404
    assert client.post(reverse("dossiers:draft_review", args=[draft.pk])).status_code == 404
    assert client.get(reverse("dossiers:draft_edit", args=[draft.pk])).status_code == 404
    response = client.post(reverse("dossiers:withdraw", args=[dossier.code]), {"confirm": "on"})
    assert response.status_code == 404
    dossier.refresh_from_db()
    draft.refresh_from_db()
    assert dossier.status == Status.RECEIVED and draft.status == Status.DRAFT


def test_detail_shows_the_timeline_with_vietnamese_statuses(citizen, procedure, client):
    dossier = received(submitted_dossier(citizen, procedure))
    client.force_login(citizen)
    response = client.get(reverse("dossiers:my_detail", args=[dossier.code]))
    html = response.content.decode()
    assert [row["status"] for row in response.context["timeline"]] == [
        "Đã nộp trực tuyến, chờ tiếp nhận",
        "Đã tiếp nhận",
    ]
    assert "Cán bộ Bộ phận Một cửa" in html and "Bạn" in html
    assert response.context["current_step"] in html
    event = dossier.events.get(action="receive")
    assert timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M") in html
    assert "Rút hồ sơ" in html


def test_withdrawing_needs_confirmation_then_ends_the_dossier(citizen, procedure, client):
    dossier = received(submitted_dossier(citizen, procedure))
    client.force_login(citizen)
    url = reverse("dossiers:withdraw", args=[dossier.code])
    response = client.post(url, {"reason": "Nộp nhầm thủ tục", "expected_status": "received"})
    assert response.status_code == 400
    assert "Vui lòng đánh dấu xác nhận" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED

    response = client.post(url, {"confirm": "on", "reason": "Nộp nhầm thủ tục", "expected_status": "received"})
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    html = client.get(response["Location"]).content.decode()
    assert "Đã rút hồ sơ" in html and 'action="' + url not in html


def test_supplementing_when_asked_sends_the_dossier_back_to_the_queue(citizen, procedure, client):
    dossier = submitted_dossier(citizen, procedure)
    officer = User.objects.get(username="motcua")
    first = components(procedure)[0]
    services.dossier_act(
        dossier=dossier,
        actor=officer,
        action="request_supplement",
        data=ActionInput(comment="Đơn chưa ký", items=[first.name]),
    )
    client.force_login(citizen)
    detail = reverse("dossiers:my_detail", args=[dossier.code])
    html = client.get(detail).content.decode()
    assert "Cơ quan yêu cầu bổ sung hồ sơ" in html and "Đơn chưa ký" in html

    url = reverse("dossiers:supplement", args=[dossier.code])
    empty = client.post(url, {})
    assert empty.status_code == 400 and "Cần tải lên tệp cho giấy tờ này." in empty.content.decode()
    assert list(empty.context["supplement_form"].components.values()) == [first]

    client.post(url, {f"component_{first.pk}": pdf("don-da-ky.pdf")})
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.documents.get(component=first).original_name == "don-da-ky.pdf"


def test_staff_do_not_use_my_dossiers(demo, client):
    client.force_login(User.objects.get(username="motcua"))
    assert client.get(reverse("dossiers:my_list")).status_code == 403


def test_a_request_in_free_words_lets_the_applicant_upload_any_paper(citizen, procedure, client):
    dossier = submitted_dossier(citizen, procedure)
    officer = User.objects.get(username="motcua")
    services.dossier_act(
        dossier=dossier,
        actor=officer,
        action="request_supplement",
        data=ActionInput(comment="Ảnh chụp mờ", items=["Chụp lại rõ nét các giấy tờ"]),
    )
    client.force_login(citizen)
    url = reverse("dossiers:supplement", args=[dossier.code])
    empty = client.post(url, {})
    assert empty.status_code == 400 and "ít nhất một giấy tờ" in empty.content.decode()
    second = components(procedure)[1]
    client.post(url, {f"component_{second.pk}": png("ro-net.png")})
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.documents.get(component=second).original_name == "ro-net.png"


def test_a_dossier_refused_at_the_counter_is_listed_without_a_code(citizen, procedure, client):
    services.dossier_counter_intake(
        officer=User.objects.get(username="motcua"),
        procedure=procedure,
        applicant=ApplicantData(kind="citizen", name="Nguyễn Văn An", id_number="001203004567", phone="0912345678"),
        return_method="counter",
        documents=[],
        decision="refuse",
        reason="Không thuộc thẩm quyền",
        applicant_user=citizen,
    )
    client.force_login(citizen)
    response = client.get(reverse("dossiers:my_list"))
    assert response.status_code == 200
    assert "Chưa cấp mã" in response.content.decode() and "Từ chối tiếp nhận" in response.content.decode()
    refused = Dossier.objects.get(applicant_user=citizen)
    assert client.get(reverse("dossiers:draft_review", args=[refused.pk])).status_code == 404


# ---------------------------------------------------------------- files kept across a refused send (issue 14)


def _without_files(data, procedure):
    for component in components(procedure):
        data.pop(f"component_{component.pk}", None)
    return data


def test_a_wrong_id_number_keeps_the_files_and_the_fixed_form_needs_none_again(citizen, procedure, client):
    client.force_login(citizen)
    token = client.get(start_url()).context["token"]
    refused = client.post(start_url(), form_data(procedure, id_number="00120300456", token=token))
    page = refused.content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page
    assert "Đã đính kèm: don.pdf" in page and "Đã đính kèm: anh.png" in page
    assert not Dossier.objects.filter(applicant_user=citizen).exists()

    fixed = client.post(start_url(), _without_files(form_data(procedure, token=token), procedure))
    assert fixed.status_code == 302
    draft = Dossier.objects.get(applicant_user=citizen)
    assert sorted(draft.documents.values_list("original_name", flat=True)) == ["anh.png", "don.pdf"]
    assert not StagedUpload.objects.filter(owner=citizen).exists()
    document = draft.documents.get(original_name="don.pdf")
    assert document.file.read().startswith(b"%PDF-")


def test_a_new_file_replaces_the_kept_one(citizen, procedure, client):
    client.force_login(citizen)
    token = client.get(start_url()).context["token"]
    client.post(start_url(), form_data(procedure, id_number="1", token=token))
    first = components(procedure)[0]
    data = _without_files(form_data(procedure, token=token), procedure)
    data[f"component_{first.pk}"] = pdf("moi.pdf")
    assert client.post(start_url(), data).status_code == 302
    draft = Dossier.objects.get(applicant_user=citizen)
    assert sorted(draft.documents.values_list("original_name", flat=True)) == ["anh.png", "moi.pdf"]


def test_kept_files_belong_to_their_form_and_their_owner(citizen, other_citizen, procedure, client):
    client.force_login(citizen)
    token = client.get(start_url()).context["token"]
    client.post(start_url(), form_data(procedure, id_number="1", token=token))
    assert StagedUpload.objects.filter(owner=citizen, token=token).count() == 2

    other_form = client.get(start_url()).context["token"]
    page = client.post(start_url(), _without_files(form_data(procedure, token=other_form), procedure))
    assert page.status_code == 200 and "Đã đính kèm" not in page.content.decode()

    client.force_login(other_citizen)
    stolen = client.post(start_url(), _without_files(form_data(procedure, token=token), procedure))
    assert stolen.status_code == 200 and "Đã đính kèm" not in stolen.content.decode()
    assert not Dossier.objects.filter(applicant_user=other_citizen).exists()


def test_editing_a_draft_keeps_a_new_file_across_an_error(citizen, procedure, client):
    client.force_login(citizen)
    client.post(start_url(), form_data(procedure))
    draft = Dossier.objects.get(applicant_user=citizen)
    edit = reverse("dossiers:draft_edit", args=[draft.pk])
    first = components(procedure)[0]
    data = _without_files(form_data(procedure, id_number="1"), procedure)
    data[f"component_{first.pk}"] = pdf("ban-moi.pdf")
    assert "Đã đính kèm: ban-moi.pdf" in client.post(edit, data).content.decode()
    assert client.post(edit, _without_files(form_data(procedure), procedure)).status_code == 302
    assert draft.documents.filter(original_name="ban-moi.pdf").exists()


def test_the_sweep_removes_forms_nobody_sent_again(citizen, procedure, client, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    token = client.get(start_url()).context["token"]
    client.post(start_url(), form_data(procedure, id_number="1", token=token))
    staged = StagedUpload.objects.filter(owner=citizen).first()
    storage = staged.file.storage
    assert storage.exists(staged.file.name)
    assert services.staged_uploads_sweep() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.staged_uploads_sweep(now=timezone.now() + timedelta(days=2)) == 2
    assert not StagedUpload.objects.exists()
    assert not storage.exists(staged.file.name)


# ---------------------------------------------------------------- once-only (issue 14, item 3)


def test_the_second_dossier_is_prefilled_from_the_first(citizen, procedure, client):
    received(submitted_dossier(citizen, procedure))
    Dossier.objects.filter(applicant_user=citizen).update(applicant_address="12 Lê Lợi, phường Trung Tâm")
    client.force_login(citizen)
    form = client.get(start_url()).context["form"]
    assert form["id_number"].value() == "001203004567"
    assert form["address"].value() == "12 Lê Lợi, phường Trung Tâm"
    assert form["name"].value() == "Nguyễn Văn An"


def test_each_component_offers_only_its_own_kind_newest_first_and_the_latest_valid_is_chosen(
    citizen, procedure, client
):
    from cchc.core.text import fold
    from cchc.dossiers.models import StoredDocument

    first, second = components(procedure)[:2]
    received(submitted_dossier(citizen, procedure))
    older = StoredDocument.objects.get(owner=citizen, component_key=fold(first.name))
    newer_expired = StoredDocument.objects.create(
        owner=citizen,
        owner_identifier="001203004567",
        kind=StoredDocument.Kind.RESULT,
        name=first.name,
        component_key=fold(first.name),
        file=older.file.name,
        sha256="e" * 64,
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    StoredDocument.objects.filter(pk=newer_expired.pk).update(created_at=timezone.now() + timedelta(minutes=1))
    client.force_login(citizen)
    uploads = client.get(start_url()).context["uploads"]
    offered = [value for value, _label in uploads.fields[f"reuse_{first.pk}"].choices if value]
    assert offered == [str(newer_expired.pk), str(older.pk)]
    assert uploads[f"reuse_{first.pk}"].value() == str(older.pk)  # the newest still valid
    labels = dict(uploads.fields[f"reuse_{first.pk}"].choices)
    assert "hết hạn từ" in labels[str(newer_expired.pk)] and "Kết quả giải quyết" in labels[str(newer_expired.pk)]
    second_offered = {value for value, _label in uploads.fields[f"reuse_{second.pk}"].choices if value}
    assert older.pk not in {int(v) for v in second_offered}


def test_a_second_dossier_needs_no_typing_and_no_file(citizen, procedure, client):
    """Issue 14: the second dossier of the same procedure asked for everything again."""
    received(submitted_dossier(citizen, procedure))
    Dossier.objects.filter(applicant_user=citizen).update(
        applicant_address="12 Lê Lợi", applicant_email="an@example.vn"
    )
    client.force_login(citizen)
    page = client.get(start_url())
    data = {"token": page.context["token"]}
    for form in (page.context["form"], page.context["uploads"]):
        for field in form:
            value = field.value()
            if value not in (None, "") and field.widget_type != "file":
                data[field.html_name] = value
    response = client.post(start_url(), data)
    assert response.status_code == 302, response.context and response.context["error_forms"]
    draft = Dossier.objects.get(applicant_user=citizen, status=Status.DRAFT)
    assert draft.applicant_id_number == "001203004567" and draft.applicant_address == "12 Lê Lợi"
    assert draft.documents.filter(reused=True).count() == 2


def test_the_return_method_defaults_to_online_for_a_full_online_service_with_an_electronic_result(citizen, client):
    from cchc.procedures.models import ProcedureVersion

    client.force_login(citizen)
    full = ProcedureVersion.OnlineLevel.FULL
    electronic = ProcedureVersion.ResultType.ELECTRONIC
    both = Procedure.objects.filter(current_version__online_level=full, current_version__result_type=electronic)
    paper = Procedure.objects.filter(current_version__online_level__gte=ProcedureVersion.OnlineLevel.PARTIAL).exclude(
        current_version__result_type=electronic
    )
    assert both.exists() and paper.exists()
    assert client.get(start_url(both.first().code)).context["form"]["return_method"].value() == "online"
    assert client.get(start_url(paper.first().code)).context["form"]["return_method"].value() == "counter"
