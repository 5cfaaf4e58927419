"""Law 91/2025 duties: the notice accepted at sign-up and before a first submission, the export of
one's own data, requests to correct or delete handled with a deadline, and the breach register."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import User
from cchc.accounts.services import user_upsert
from cchc.audit.models import AuditEvent
from cchc.core.errors import PermissionDenied
from cchc.dossiers.models import Dossier, StoredDocument
from cchc.dossiers.tests.helpers import CITIZEN, documents_for, submit, user
from cchc.privacy.models import Breach, DataRequest, NoticeAcceptance
from cchc.privacy.selectors import notice_current
from cchc.privacy.services import notice_publish
from cchc.procedures.models import Procedure

pytestmark = pytest.mark.django_db
SIGNUP = {
    "email": "binh@example.vn",
    "username": "binh",
    "password1": "mat-khau-rat-dai-2026",
    "password2": "mat-khau-rat-dai-2026",
    "full_name": "Trần Thị Bình",
    "kind": "citizen",
    "phone": "0987654321",
}


@pytest.fixture
def newcomer(demo):
    return user_upsert(username="moi", password="mat-khau-rat-dai-2026", role="citizen", full_name="Lê Văn Mới")


def _token(client, username, password="demo12345"):
    answer = client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {answer.json()['token']}"}


def test_sign_up_asks_for_the_notice_and_records_the_acceptance(client, demo):
    refused = client.post(reverse("account_signup"), SIGNUP)
    assert refused.status_code == 200 and not User.objects.filter(username="binh").exists()
    assert "Cần đồng ý với Thông báo xử lý dữ liệu cá nhân" in refused.content.decode()
    client.post(reverse("account_signup"), {**SIGNUP, "accept_privacy": "on"})
    acceptance = NoticeAcceptance.objects.get(user__username="binh")
    assert acceptance.notice == notice_current() and acceptance.context == "signup"


def test_a_first_submission_waits_for_the_notice_on_the_web(client, newcomer):
    client.force_login(newcomer)
    start = reverse("dossiers:submit_start", args=["1.000010"])
    response = client.get(start)
    assert response.status_code == 302 and response["Location"].startswith(reverse("privacy:accept"))
    page = client.get(response["Location"])
    assert "Mục đích" in page.content.decode() and "Thời gian lưu" in page.content.decode()
    back = client.post(reverse("privacy:accept"), {"dong_y": "1", "next": start})
    assert back["Location"] == start
    assert client.get(start).status_code == 200
    assert AuditEvent.objects.filter(action="privacy.notice_accept", actor_username="moi").exists()


def test_the_service_and_the_api_refuse_a_submission_without_the_notice(client, newcomer):
    from cchc.dossiers.services import dossier_submit_online

    procedure = Procedure.objects.get(code="1.000010")
    with pytest.raises(PermissionDenied) as refused:
        dossier_submit_online(
            user=newcomer,
            procedure=procedure,
            applicant=CITIZEN,
            return_method="online",
            documents=documents_for(procedure),
        )
    assert refused.value.code == "submission_not_allowed_yet"
    assert not Dossier.objects.filter(applicant_user=newcomer).exclude(status="draft").exists()
    headers = _token(client, "moi", "mat-khau-rat-dai-2026")
    accepted = client.post("/api/v1/me/privacy-notice/accept", **headers)
    assert accepted.status_code == 200 and accepted.json()["accepted"] is True
    dossier, created = dossier_submit_online(
        user=newcomer,
        procedure=procedure,
        applicant=CITIZEN,
        return_method="online",
        documents=documents_for(procedure),
    )
    assert created and dossier.code


def test_demo_accounts_have_accepted_and_a_new_version_is_accepted_again(client, demo):
    assert submit("congdan").code  # the demo loader recorded the acceptance
    notice_publish(title="Thông báo xử lý dữ liệu cá nhân", body="## Mới\nNội dung mới.")
    from cchc.dossiers.services import dossier_submit_online

    procedure = Procedure.objects.get(code="1.000010")
    with pytest.raises(PermissionDenied):
        dossier_submit_online(
            user=user("congdan"),
            procedure=procedure,
            applicant=CITIZEN,
            return_method="online",
            documents=documents_for(procedure),
        )


def test_the_export_holds_my_data_and_nobody_elses(client, demo):
    mine, theirs = submit("congdan"), submit("congdan2")
    headers = _token(client, "congdan")
    data = client.get("/api/v1/me/export", **headers).json()
    assert data["profile"]["username"] == "congdan"
    assert [d["code"] for d in data["dossiers"]] == [mine.code]
    assert data["dossiers"][0]["history"][0]["to"] == "submitted"
    assert data["dossiers"][0]["applicant"]["id_number"] == CITIZEN.id_number
    assert data["stored_documents"] and all(s["source_dossier"] == mine.code for s in data["stored_documents"])
    assert theirs.code not in json.dumps(data)
    assert {"payments", "ratings", "complaints", "privacy_notices_accepted"} <= set(data)
    assert client.get("/api/v1/me/export").status_code == 401
    assert client.get("/api/v1/me/export", **_token(client, "motcua")).status_code == 400


def test_the_account_page_gives_a_zip_with_the_files(client, demo):
    submit("congdan")
    client.force_login(user("congdan"))
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:my_data_download", args=["zip"]) in page
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("privacy:my_data_download", args=["zip"])).content))
    names = archive.namelist()
    assert "du-lieu.json" in names and any(name.startswith("tep/") for name in names)
    exported = json.loads(archive.read("du-lieu.json"))
    assert all(item.get("file_in_zip") in names for item in exported["stored_documents"])


def _deletion_request(client, username="congdan"):
    client.force_login(user(username))
    client.post(reverse("privacy:my_data"), {"kind": "deletion", "details": "Tôi không dùng dịch vụ nữa."})
    return DataRequest.objects.get(user__username=username, kind="deletion")


def test_a_deletion_request_has_a_deadline_and_keeps_the_dossiers_records(client, demo):
    dossier = submit("congdan")
    request = _deletion_request(client)
    assert request.due_at - request.requested_at == timedelta(hours=72)
    client.force_login(user("cchc"))
    assert request.user.username in client.get(reverse("privacy:request_list")).content.decode()
    detail = reverse("privacy:request_detail", args=[request.pk])
    client.post(detail, {"decision": "done", "outcome": "Đã xóa tài khoản và kho dữ liệu."})
    request.refresh_from_db()
    account = User.objects.get(pk=request.user_id)
    assert request.status == "done" and request.handled_by.username == "cchc"
    assert not account.is_active and account.username.startswith("da-xoa-") and not account.email
    assert not account.has_usable_password()
    assert not StoredDocument.objects.filter(owner_identifier=CITIZEN.id_number, deleted_at__isnull=True).exists()
    dossier.refresh_from_db()
    assert dossier.applicant_name == CITIZEN.name and dossier.applicant_id_number == CITIZEN.id_number
    assert dossier.documents.exclude(file="").exists()
    assert AuditEvent.objects.filter(action="privacy.request_done", object_id=str(request.pk)).exists()
    again = client.post(detail, {"decision": "refused", "outcome": "x"})
    assert again.status_code in (200, 302) and DataRequest.objects.get(pk=request.pk).status == "done"


def test_a_correction_updates_the_account(client, demo):
    client.force_login(user("congdan"))
    client.post(reverse("privacy:my_data"), {"kind": "correction", "details": "Tên đúng là Nguyễn Văn Ân."})
    request = DataRequest.objects.get(kind="correction")
    client.force_login(user("cchc"))
    client.post(
        reverse("privacy:request_detail", args=[request.pk]),
        {"decision": "done", "outcome": "Đã sửa họ tên.", "full_name": "Nguyễn Văn Ân"},
    )
    assert User.objects.get(username="congdan").full_name == "Nguyễn Văn Ân"


def test_requests_are_unreachable_for_other_staff(client, demo):
    request = _deletion_request(client)
    for username in ("motcua", "congdan2"):
        client.force_login(user(username))
        assert client.get(reverse("privacy:request_detail", args=[request.pk])).status_code == 404
        assert (
            client.post(
                reverse("privacy:request_detail", args=[request.pk]), {"decision": "done", "outcome": "x"}
            ).status_code
            == 404
        )
    assert DataRequest.objects.get(pk=request.pk).status == "open"


def test_the_breach_register_runs_the_72_hour_clock(client, demo):
    client.force_login(user("quantri"))
    discovered = timezone.localtime() - timedelta(hours=80)
    response = client.post(
        reverse("admin:privacy_breach_add"),
        {
            "title": "Lộ danh sách người nộp hồ sơ",
            "description": "Tệp xuất gửi nhầm địa chỉ.",
            "discovered_at_0": discovered.strftime("%d/%m/%Y"),
            "discovered_at_1": discovered.strftime("%H:%M:%S"),
            "data_subjects": "Họ tên, số điện thoại của người nộp hồ sơ tháng 3",
            "subjects_count": "120",
            "actions": "Thu hồi thư, đổi mật khẩu.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    breach = Breach.objects.get()
    assert breach.recorded_by.username == "quantri"
    assert breach.notify_by == breach.discovered_at + timedelta(hours=72)
    listing = client.get(reverse("admin:privacy_breach_changelist")).content.decode()
    assert "QUÁ HẠN, chưa thông báo" in listing
    assert AuditEvent.objects.filter(action="privacy.breach_record").exists()
    client.force_login(user("cchc"))
    assert client.get(reverse("admin:privacy_breach_changelist")).status_code in (302, 403)


def test_a_deletion_clears_the_persons_digitised_papers_and_their_files(
    client, demo, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from cchc.core.blobs import blob_of_bytes, blobs_put
    from cchc.digitisation import engine, services
    from cchc.digitisation.models import Digitisation

    def read(data):
        return engine.OcrResult(pdf=b"%PDF-1.4\n" + data[:24] + b"\n%%EOF\n", text="Số: 001203004567 NGUYỄN VĂN AN")

    monkeypatch.setattr(services, "ocr", read)
    # A component of the citizen's dossier, read and confirmed into the data store.
    dossier = submit("congdan")
    document = dossier.documents.order_by("component__order").first()
    document.file.save("giay-to.pdf", ContentFile(b"%PDF-1.4\nban quet giay to\n%%EOF\n"), save=True)
    job = services.digitisation_request(document=document, officer=user("motcua"))
    job = services.digitisation_run(job_id=job.pk)
    job = services.digitisation_confirm(job=job, officer=user("motcua"), fields=job.proposed)
    component_copy = job.searchable.name
    # A historical result imported under the citizen's number before VNeID verified the account.
    number = "001203004567"
    scan = blob_of_bytes(b"%PDF-1.4\nket qua cu\n%%EOF\n", "pdf")
    blobs_put([scan])
    old = Digitisation.objects.create(
        source="historical",
        agency=demo,
        scan=scan.name,
        sha256=scan.sha256,
        name="Giấy phép lái xe",
        owner_identifier=number,
        owner_name="Nguyễn Văn An",
    )
    old = services.digitisation_run(job_id=old.pk)
    assert old.state == "confirmed" and old.stored.owner is None
    historical_copy = old.searchable.name
    User.objects.filter(username="congdan").update(id_number=number, identity_verified=True)
    for name in (component_copy, historical_copy, scan.name):
        assert default_storage.exists(name)

    request = _deletion_request(client)
    client.force_login(user("cchc"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:request_detail", args=[request.pk]), {"decision": "done", "outcome": "Đã xóa."})
    assert DataRequest.objects.get(pk=request.pk).status == "done"
    assert not Digitisation.objects.filter(source="historical", owner_identifier=number).exists()
    job.refresh_from_db()
    assert (job.text, job.proposed, job.confirmed, job.searchable.name, job.stored) == ("", {}, {}, "", None)
    assert not StoredDocument.objects.filter(deleted_at__isnull=True, owner_identifier__in=[number, CITIZEN.id_number])
    for name in (component_copy, historical_copy, scan.name):
        assert not default_storage.exists(name), name
    # The dossier keeps its records: the scanned component stays.
    document.refresh_from_db()
    assert document.file and default_storage.exists(document.file.name)
