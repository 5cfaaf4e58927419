"""The staff back office as officers use it: the desk, counter intake, a dossier's page and its actions."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cchc.accounts.models import Agency, User
from cchc.accounts.roles import Role
from cchc.accounts.services import user_upsert
from cchc.core.selectors import working_calendar
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.dossiers.rules import ApplicantData
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Procedure

PROCEDURE_CODE = "1.000010"  # driving-licence exchange: counter → QLVT specialist → head → leader → counter
PDF = b"%PDF-1.4\n% test scan\n"


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _login(client, username: str) -> User:
    user = _user(username)
    client.force_login(user)
    return user


def _procedure() -> Procedure:
    return Procedure.objects.select_related("current_version").get(code=PROCEDURE_CODE)


def _components():
    return list(_procedure().current_version.components.order_by("order"))


def _applicant(name: str = "Nguyễn Văn Bảy") -> ApplicantData:
    return ApplicantData(kind="citizen", name=name, id_number="001099012345", phone="0912345678")


def _received(name: str = "Nguyễn Văn Bảy") -> Dossier:
    """A walk-in dossier received at the counter (all papers handed in)."""
    return services.dossier_counter_intake(
        officer=_user("motcua"),
        procedure=_procedure(),
        applicant=_applicant(name),
        return_method="counter",
        documents=[services.DocumentInput(component_id=c.pk, paper=True) for c in _components()],
        decision="receive",
    )


def _submitted_online() -> Dossier:
    dossier, _created = services.dossier_submit_online(
        user=_user("congdan"),
        procedure=_procedure(),
        applicant=ApplicantData(kind="citizen", name="Nguyễn Văn An", id_number="001099000001", email="an@example.vn"),
        return_method="online",
        documents=[
            services.DocumentInput(component_id=c.pk, file=SimpleUploadedFile(f"{c.pk}.pdf", PDF, "application/pdf"))
            for c in _components()
        ],
    )
    return dossier


def _detail(dossier: Dossier) -> str:
    return reverse("dossiers:office_detail", kwargs={"code": dossier.code})


def _act(client, dossier: Dossier, action: str, **fields):
    expected = fields.pop("expected_status", None) or Dossier.objects.get(pk=dossier.pk).status
    data = {f"{action}-expected_status": expected}
    data.update({f"{action}-{key}": value for key, value in fields.items()})
    url = reverse("dossiers:office_act", kwargs={"code": dossier.code, "action": action})
    return client.post(url, data, follow=True)


def _status(dossier: Dossier) -> str:
    return Dossier.objects.get(pk=dossier.pk).status


def _intake_data(*, decision: str, paper_all: bool = True, **extra) -> dict:
    data = {
        "applicant_kind": "citizen",
        "applicant_name": "Trần Văn Tám",
        "applicant_id_number": "001099054321",
        "applicant_phone": "0987654321",
        "applicant_email": "",
        "applicant_address": "Bình Sơn",
        "applicant_tax_code": "",
        "sets": "1",
        "return_method": "counter",
        "items": "",
        "reason": "",
        "decision": decision,
    }
    if paper_all:
        data.update({f"paper_{c.pk}": "on" for c in _components()})
    data.update(extra)
    return data


def _counter_url() -> str:
    return reverse("dossiers:counter_new") + f"?thu_tuc={PROCEDURE_CODE}"


# ---------------------------------------------------------------- access


def test_a_citizen_cannot_open_the_desk_and_a_visitor_is_sent_to_login(demo, client):
    assert client.get(reverse("dossiers:office_home")).status_code == 302
    _login(client, "congdan")
    assert client.get(reverse("dossiers:office_home")).status_code == 403
    assert client.get(reverse("dossiers:counter_new")).status_code == 403


def test_a_specialist_cannot_open_a_dossier_that_never_reached_their_unit(demo, client):
    dossier = _submitted_online()
    _login(client, "chuyenvien")
    assert client.get(_detail(dossier)).status_code == 404
    _login(client, "motcua")
    assert client.get(_detail(dossier)).status_code == 200


def test_an_officer_of_another_agency_gets_404(demo, client):
    dossier = _received()
    other = user_upsert(
        username="motcua_xd",
        password=None,
        role=Role.ONE_STOP_OFFICER,
        full_name="Cán bộ Sở Xây dựng",
        agency=Agency.objects.get(code="000.00.10.H99"),
    )
    client.force_login(other)
    assert client.get(_detail(dossier)).status_code == 404
    response = _act(client, dossier, "forward", expected_status=Status.RECEIVED)
    assert response.status_code == 404
    assert _status(dossier) == Status.RECEIVED


def test_the_reform_officer_reads_a_dossier_without_any_action(demo, client):
    dossier = _received()
    _login(client, "cchc")
    html = client.get(_detail(dossier)).content.decode()
    assert dossier.code in html
    assert "Bạn chỉ có quyền xem hồ sơ này." in html
    assert "/thao-tac/" not in html
    assert client.get(reverse("dossiers:counter_new")).status_code == 403


# ---------------------------------------------------------------- counter intake


def test_counter_intake_shows_the_components_of_the_chosen_procedure(demo, client):
    _login(client, "motcua")
    html = client.get(_counter_url()).content.decode()
    for component in _components():
        assert component.name in html
    assert "Đã nhận bản giấy" in html
    for button in ("Tiếp nhận", "Yêu cầu bổ sung (mẫu 02)", "Từ chối (mẫu 03)"):
        assert button in html


def test_counter_intake_of_a_complete_dossier_receives_it_with_code_and_appointment(demo, client):
    _login(client, "motcua")
    first = _components()[0]
    scan = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    response = client.post(_counter_url(), {**_intake_data(decision="receive"), f"scan_{first.pk}": scan}, follow=True)
    assert response.status_code == 200
    dossier = Dossier.objects.filter(applicant_name="Trần Văn Tám").get()
    assert dossier.status == Status.IN_PROGRESS  # received and handed to the processing unit at once
    assert dossier.code and dossier.received_at and dossier.due_at
    html = response.content.decode()
    assert "Đã tiếp nhận hồ sơ" in html
    assert dossier.code in html
    assert "Hẹn trả kết quả" in html
    assert f"{timezone.localtime(dossier.due_at):%d/%m/%Y}" in html
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
    assert "In 2 bản" in html
    try:
        receipt = reverse("dossiers:document", kwargs={"code": dossier.code, "form": "receipt"})
    except NoReverseMatch:
        receipt = None
    if receipt:
        assert receipt in html
    document = dossier.documents.get(component=first)
    assert document.digitised and document.paper_received


def test_counter_intake_of_an_incomplete_dossier_gives_the_instruction_and_does_not_receive(demo, client):
    _login(client, "motcua")
    missing = _components()[1]
    data = _intake_data(decision="supplement")
    del data[f"paper_{missing.pk}"]
    response = client.post(_counter_url(), data, follow=True)
    dossier = Dossier.objects.filter(applicant_name="Trần Văn Tám").get()
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert dossier.code is None and dossier.received_at is None and dossier.due_at is None
    assert dossier.supplement_requests.get().items == [missing.name]
    html = response.content.decode()
    assert "Hồ sơ chưa đầy đủ: chưa tiếp nhận" in html
    assert missing.name in html
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in html


def test_a_dossier_without_code_opens_by_id_and_prints_its_instruction(demo, client):
    _login(client, "motcua")
    data = _intake_data(decision="supplement", items="Giấy khám sức khỏe mới")
    client.post(_counter_url(), data)
    dossier = Dossier.objects.filter(applicant_name="Trần Văn Tám").get()
    detail = reverse("dossiers:office_detail_by_id", kwargs={"pk": dossier.pk})
    html = client.get(detail).content.decode()
    assert "Giấy khám sức khỏe mới" in html
    pdf_url = reverse("dossiers:office_form_by_id", kwargs={"pk": dossier.pk, "form": "supplement_request"})
    assert pdf_url in html
    response = client.get(pdf_url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    refusal = reverse("dossiers:office_form_by_id", kwargs={"pk": dossier.pk, "form": "refusal"})
    assert client.get(refusal).status_code == 404
    _login(client, "chuyenvien")
    assert client.get(detail).status_code == 404
    assert client.get(pdf_url).status_code == 404


def test_the_officer_hands_in_a_walk_in_supplement_and_the_dossier_returns_to_reception(demo, client):
    _login(client, "motcua")
    missing = _components()[1]
    data = _intake_data(decision="supplement")
    del data[f"paper_{missing.pk}"]
    client.post(_counter_url(), data)
    dossier = Dossier.objects.filter(applicant_name="Trần Văn Tám").get()
    url = reverse("dossiers:office_act_by_id", kwargs={"pk": dossier.pk, "action": "supplement"})
    assert url in client.get(reverse("dossiers:office_detail_by_id", kwargs={"pk": dossier.pk})).content.decode()

    nothing = client.post(url, {"supplement-expected_status": Status.WAITING_SUPPLEMENT})
    assert nothing.status_code == 400
    assert _status(dossier) == Status.WAITING_SUPPLEMENT

    scan = SimpleUploadedFile("kham.pdf", PDF, content_type="application/pdf")
    data = {"supplement-expected_status": Status.WAITING_SUPPLEMENT, f"supplement-scan_{missing.pk}": scan}
    client.post(url, data, follow=True)
    assert _status(dossier) == Status.SUBMITTED
    assert dossier.documents.get(component=missing).digitised
    assert dossier.supplement_requests.get().answered_at is not None


def test_an_applicants_draft_is_not_shown_to_staff(demo, client):
    procedure = _procedure()
    draft = services.dossier_create_draft(
        user=_user("congdan"),
        procedure=procedure,
        applicant=_applicant("Bản Nháp Riêng"),
        return_method="online",
        documents=[],
    )
    _login(client, "motcua")
    assert "Bản Nháp Riêng" not in client.get(reverse("dossiers:office_home"), {"muc": "tat-ca"}).content.decode()
    assert client.get(reverse("dossiers:office_detail_by_id", kwargs={"pk": draft.pk})).status_code == 404


def test_receiving_an_incomplete_dossier_is_refused_and_the_missing_items_are_suggested(demo, client):
    _login(client, "motcua")
    missing = _components()[2]
    data = _intake_data(decision="receive")
    del data[f"paper_{missing.pk}"]
    response = client.post(_counter_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hồ sơ chưa đủ giấy tờ bắt buộc" in html
    assert missing.name in html
    assert not Dossier.objects.filter(applicant_name="Trần Văn Tám").exists()


def test_refusing_at_the_counter_requires_a_reason(demo, client):
    _login(client, "motcua")
    response = client.post(_counter_url(), _intake_data(decision="refuse"))
    assert response.status_code == 400
    assert "Cần ghi rõ lý do từ chối tiếp nhận." in response.content.decode()
    assert not Dossier.objects.filter(applicant_name="Trần Văn Tám").exists()

    reason = "Thủ tục thuộc thẩm quyền của Công an tỉnh."
    response = client.post(_counter_url(), _intake_data(decision="refuse", reason=reason), follow=True)
    dossier = Dossier.objects.filter(applicant_name="Trần Văn Tám").get()
    assert dossier.status == Status.REFUSED and dossier.decision_reason == reason
    assert reason in response.content.decode()


def test_counter_intake_reports_a_bad_identifier_on_its_field(demo, client):
    _login(client, "motcua")
    response = client.post(_counter_url(), _intake_data(decision="receive", applicant_id_number="12345"))
    assert response.status_code == 400
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in response.content.decode()
    assert not Dossier.objects.filter(applicant_name="Trần Văn Tám").exists()


def test_a_scan_is_served_only_after_the_access_check(demo, client):
    _login(client, "motcua")
    first = _components()[0]
    scan = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    client.post(_counter_url(), {**_intake_data(decision="receive"), f"scan_{first.pk}": scan})
    dossier = Dossier.objects.filter(applicant_name="Trần Văn Tám").get()
    document = dossier.documents.get(component=first)
    url = reverse("dossiers:office_file", kwargs={"code": dossier.code, "document_id": document.pk})
    assert url in client.get(_detail(dossier)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    _login(client, "congdan")
    assert client.get(url).status_code == 403
    other = user_upsert(
        username="chuyenvien_xd",
        password=None,
        role=Role.SPECIALIST,
        full_name="Chuyên viên Sở Xây dựng",
        agency=Agency.objects.get(code="000.00.10.H99"),
    )
    client.force_login(other)
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- online reception


def test_the_reception_queue_shows_an_online_dossier_and_receiving_starts_the_clock(demo, client):
    dossier = _submitted_online()
    _login(client, "motcua")
    html = client.get(reverse("dossiers:office_home"), {"muc": "cho-tiep-nhan"}).content.decode()
    assert dossier.code in html
    assert "Chờ tiếp nhận" in html
    # A narrow column breaks between the time and the date, never inside the date (07/12/2 | 026).
    submitted = timezone.localtime(dossier.submitted_at)
    assert f'{submitted:%H:%M} <span class="nowrap">{submitted:%d/%m/%Y}</span>' in html

    response = _act(client, dossier, "receive")
    assert response.status_code == 200
    dossier.refresh_from_db()
    # One click: received, and handed to the processing unit as the process's first step says.
    assert dossier.status == Status.IN_PROGRESS and dossier.current_step == 2
    assert dossier.received_at is not None and dossier.due_at is not None
    assert list(dossier.events.values_list("action", flat=True)) == ["submit", "receive", "forward"]
    assert "Đã thực hiện: Tiếp nhận hồ sơ, Chuyển bước tiếp theo." in response.content.decode()


def test_a_stale_expected_status_is_refused_and_nothing_changes(demo, client):
    dossier = _submitted_online()
    _login(client, "motcua")
    assert "submitted" in client.get(_detail(dossier)).content.decode()  # what the officer saw
    services.dossier_act(dossier=dossier, actor=_user("motcua"), action="receive")  # a colleague was faster
    events = DossierEvent.objects.filter(dossier=dossier).count()

    response = _act(client, dossier, "refuse", expected_status=Status.SUBMITTED, comment="Không thuộc thẩm quyền")
    assert "Hồ sơ vừa được người khác xử lý" in response.content.decode()
    assert _status(dossier) == Status.RECEIVED
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_an_action_needing_a_reason_is_not_taken_without_one(demo, client):
    dossier = _submitted_online()
    _login(client, "motcua")
    response = _act(client, dossier, "refuse", comment="")
    assert response.status_code == 400
    assert "Cần ghi rõ lý do hoặc nội dung." in response.content.decode()
    assert _status(dossier) == Status.SUBMITTED


# ---------------------------------------------------------------- processing


def test_the_full_processing_through_the_pages(demo, client):
    dossier = _received()
    _login(client, "motcua")
    _act(client, dossier, "forward", comment="Hồ sơ đầy đủ")
    assert _status(dossier) == Status.IN_PROGRESS

    _login(client, "truongphong")
    html = client.get(_detail(dossier)).content.decode()
    assert 'value="chuyenvien"' in html
    _act(client, dossier, "assign", assignee="chuyenvien")
    assert dossier.steps.get(finished_at__isnull=True).assignee.username == "chuyenvien"

    _login(client, "chuyenvien")
    assert "Việc của tôi" in client.get(reverse("dossiers:office_home")).content.decode()
    assert dossier.code in client.get(reverse("dossiers:office_home"), {"muc": "viec-cua-toi"}).content.decode()
    _act(client, dossier, "forward", comment="Đủ điều kiện đổi giấy phép")
    _login(client, "truongphong")
    _act(client, dossier, "forward")
    _login(client, "lanhdao")
    _act(client, dossier, "approve")
    assert _status(dossier) == Status.APPROVED

    _login(client, "motcua")
    _act(client, dossier, "result_ready")
    assert _status(dossier) == Status.RESULT_READY
    response = _act(client, dossier, "return_result", return_method="counter")
    assert _status(dossier) == Status.RETURNED

    html = response.content.decode()
    assert "Đã trả kết quả" in html
    # The process-control slip: every step judged against its own budget.
    assert html.count("Trước hạn") + html.count("Đúng hạn") + html.count("Quá hạn") >= 5
    assert "Phê duyệt, ký kết quả" in html
    assert "Đủ điều kiện đổi giấy phép" in html  # the timeline keeps the comments


def test_sending_back_needs_a_reason_and_returns_to_the_previous_step(demo, client):
    dossier = _received()
    services.dossier_act(dossier=dossier, actor=_user("motcua"), action="forward")
    _login(client, "chuyenvien")
    _act(client, dossier, "send_back", comment="")
    assert Dossier.objects.get(pk=dossier.pk).current_step == 2
    _act(client, dossier, "send_back", comment="Thiếu bản sao giấy phép lái xe")
    moved = Dossier.objects.get(pk=dossier.pk)
    assert moved.current_step == 1 and moved.status == Status.RECEIVED


def test_a_processing_supplement_request_pauses_the_dossier(demo, client):
    dossier = _received()
    services.dossier_act(dossier=dossier, actor=_user("motcua"), action="forward")
    _login(client, "chuyenvien")
    items = "Ảnh 3x4 mới\nGiấy khám sức khỏe"
    response = _act(client, dossier, "request_supplement", comment="Ảnh không rõ", items=items)
    paused = Dossier.objects.get(pk=dossier.pk)
    assert paused.status == Status.WAITING_SUPPLEMENT and paused.paused_since is not None
    assert paused.supplement_requests.get().items == ["Ảnh 3x4 mới", "Giấy khám sức khỏe"]
    assert "Tạm dừng tính thời hạn từ" in response.content.decode()


def test_the_apology_sets_a_new_appointment_once(demo, client):
    dossier = _received()
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() + timedelta(days=10))
    _login(client, "lanhdao")
    # A working day (the new appointment must fall inside office hours), 09:00.
    day = working_calendar().next_working_day(timezone.localdate() + timedelta(days=20))
    new_due = timezone.localtime(timezone.now()).replace(year=day.year, month=day.month, day=day.day, hour=9, minute=0)
    _act(client, dossier, "apologize", comment="Cần xác minh dữ liệu", new_due_at=f"{new_due:%d/%m/%Y %H:%M}")
    dossier.refresh_from_db()
    assert dossier.due_at == new_due.replace(second=0, microsecond=0)
    html = client.get(_detail(dossier)).content.decode()
    assert "Phiếu xin lỗi, hẹn lại" in html
    assert "/thao-tac/apologize/" not in html


# ---------------------------------------------------------------- the desk


def test_due_soon_and_late_sections_list_the_dossiers(demo, client):
    soon, late = _received("Người Sắp Hạn"), _received("Người Quá Hạn")
    now = timezone.now()
    Dossier.objects.filter(pk=soon.pk).update(
        due_at=now + timedelta(minutes=30), deadline_at=now + timedelta(minutes=30)
    )
    Dossier.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=2), deadline_at=now - timedelta(hours=2))
    _login(client, "motcua")
    due_soon = client.get(reverse("dossiers:office_home"), {"muc": "sap-den-han"}).content.decode()
    assert soon.code in due_soon and late.code not in due_soon
    overdue = client.get(reverse("dossiers:office_home"), {"muc": "qua-han"}).content.decode()
    assert late.code in overdue and soon.code not in overdue
    assert "due-late" in overdue


def test_all_dossiers_can_be_filtered_and_a_bad_date_is_reported(demo, client):
    first, second = _received("Lê Thị Mười"), _received("Phan Văn Mười Một")
    _login(client, "motcua")
    url = reverse("dossiers:office_home")
    html = client.get(url, {"muc": "tat-ca", "q": "Mười Một"}).content.decode()
    assert second.code in html and first.code not in html
    today = f"{timezone.localdate():%d/%m/%Y}"
    html = client.get(url, {"muc": "tat-ca", "received_from": today, "status": "received"}).content.decode()
    assert first.code in html and second.code in html
    response = client.get(url, {"muc": "tat-ca", "received_from": "31/02/2026"})
    assert response.status_code == 200
    assert "Ngày phải theo dạng dd/mm/yyyy." in response.content.decode()


def test_the_desk_list_takes_a_fixed_number_of_queries(demo, client, django_assert_max_num_queries):
    _received("Người Thứ Nhất")
    _login(client, "motcua")
    url = reverse("dossiers:office_home")
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url, {"muc": "tat-ca"}).status_code == 200
    for n in range(6):
        _received(f"Người Thêm {n}")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = client.get(url, {"muc": "tat-ca"}).content.decode()
    assert "Người Thêm 5" in html


@pytest.mark.parametrize("username", ["motcua", "truongphong", "lanhdao", "cchc"])
def test_every_staff_role_opens_the_desk(demo, client, username):
    _login(client, username)
    response = client.get(reverse("dossiers:office_home"))
    assert response.status_code == 200
    assert "Tất cả hồ sơ" in response.content.decode()


def test_the_desk_stops_counting_at_the_cap_and_asks_for_a_filter(demo, client, monkeypatch):
    for name in ("Nguyễn Văn Một", "Nguyễn Văn Hai", "Nguyễn Văn Ba"):
        _received(name)
    _login(client, "lanhdao")
    html = client.get(reverse("dossiers:office_home"), {"muc": "tat-ca"}).content.decode()
    assert "3 hồ sơ" in html and "Hơn" not in html
    monkeypatch.setattr("cchc.core.paging.COUNT_CAP", 2)
    response = client.get(reverse("dossiers:office_home"), {"muc": "tat-ca"})
    html = response.content.decode()
    assert "Hơn 2 hồ sơ: chọn điều kiện lọc để thu hẹp danh sách." in html
    assert '<span class="count">2+</span>' in html
    assert len(response.context["page"].object_list) == 2  # never more rows than counted


# ---------------------------------------------------------------- officers land on their work (issue 14, item 6)


def test_staff_land_on_their_desk_after_login_and_citizens_do_not(demo, client):
    from cchc.accounts.models import User as Account

    for username, landing in (("chuyenvien", reverse("dossiers:office_home")), ("congdan", "/")):
        account = Account.objects.get(username=username)
        account.set_password("mat-khau-thu-nghiem-14")
        account.save()
        response = client.post(reverse("account_login"), {"login": username, "password": "mat-khau-thu-nghiem-14"})
        assert response.status_code == 302 and response["Location"] == landing, username
        client.logout()


def test_every_desk_tab_searches_by_code_name_and_id_number(demo, client):
    first, second = _received("Lê Thị Mười"), _received("Phan Văn Mười Một")
    Dossier.objects.filter(pk=second.pk).update(applicant_id_number="079123456789")
    _login(client, "motcua")
    url = reverse("dossiers:office_home")
    for tab in ("viec-cua-toi", "tat-ca"):
        html = client.get(url, {"muc": tab, "q": "0791234"}).content.decode()
        assert 'name="q"' in html
        assert second.code in html and first.code not in html, tab
    found = client.get(url, {"muc": "viec-cua-toi", "q": first.code.lower()})
    assert found.status_code == 302 and found["Location"] == _detail(first)


def test_my_work_lists_nearly_due_then_new_work_first(demo, client):
    old, new, urgent = _received("Việc Cũ"), _received("Việc Mới"), _received("Việc Gấp")
    now = timezone.now()
    from cchc.dossiers.models import DossierStep

    DossierStep.objects.filter(dossier=old).update(started_at=now - timedelta(days=3), due_at=now + timedelta(days=5))
    DossierStep.objects.filter(dossier=new).update(due_at=now + timedelta(days=4))
    DossierStep.objects.filter(dossier=urgent).update(
        started_at=now - timedelta(days=3), due_at=now + timedelta(days=6)
    )
    Dossier.objects.filter(pk=urgent.pk).update(due_at=now + timedelta(minutes=30))
    DossierStep.objects.filter(dossier=urgent).update(due_at=now + timedelta(minutes=30))
    _login(client, "motcua")
    html = client.get(reverse("dossiers:office_home"), {"muc": "viec-cua-toi"}).content.decode()
    assert html.index(urgent.code) < html.index(new.code) < html.index(old.code)


def test_a_dossier_just_acted_on_stays_one_click_away(demo, client):
    dossier = _received()
    _login(client, "motcua")
    _act(client, dossier, "forward", comment="Hồ sơ đầy đủ")
    desk = client.get(reverse("dossiers:office_home")).content.decode()
    assert "Vừa xử lý" in desk and f'href="{_detail(dossier)}"' in desk


# ---------------------------------------------------------------- one decision, one click (issue 14, item 7)


def test_a_leader_approves_and_signs_at_once_and_an_online_result_goes_back_by_itself(demo, client, signing):
    from cchc.procedures.models import ProcedureVersion

    dossier = _submitted_online()
    assert dossier.procedure_version.result_type == ProcedureVersion.ResultType.ELECTRONIC
    motcua = _user("motcua")
    services.dossier_act(dossier=dossier, actor=motcua, action="receive")
    services.dossier_act(dossier=dossier, actor=motcua, action="forward")
    services.dossier_act(dossier=dossier, actor=_user("chuyenvien"), action="forward")
    services.dossier_act(dossier=dossier, actor=_user("truongphong"), action="forward")
    _login(client, "lanhdao")
    response = _act(client, dossier, "approve")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.return_method == "online", [
        str(m) for m in response.context["messages"]
    ]
    actions = list(dossier.events.values_list("action", "actor__username"))
    assert actions[-4:] == [
        ("approve", "lanhdao"),
        ("sign_result", "lanhdao"),
        ("result_ready", None),
        ("return_result", None),
    ]
    assert hasattr(dossier, "signed_result")
    assert "Phê duyệt, Ký số kết quả điện tử" in response.content.decode()


def test_a_refused_follow_on_keeps_the_decision_and_says_why(demo, client, monkeypatch):
    from cchc.dossiers import hooks

    dossier = _submitted_online()
    monkeypatch.setattr(hooks, "_guards", [lambda d, action: "Chưa nộp phí." if action == "forward" else None])
    _login(client, "motcua")
    response = _act(client, dossier, "receive")
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.current_step == 1
    assert "Chưa làm tiếp được: Chưa nộp phí." in response.content.decode()


def test_counter_intake_hands_on_takes_the_fee_and_finds_a_returning_applicant(demo, client):
    first = _received("Trần Văn Tám")
    Dossier.objects.filter(pk=first.pk).update(applicant_id_number="001099054321", applicant_address="Bình Sơn")
    _login(client, "motcua")
    page = client.get(_counter_url() + "&nguoi_nop=001099054321")
    form = page.context["form"]
    assert form["applicant_name"].value() == "Trần Văn Tám" and form["applicant_address"].value() == "Bình Sơn"
    fee = services.fee_for(_procedure().current_version, online=False)
    assert fee > 0 and "Đã thu phí, lệ phí bằng tiền mặt" in page.content.decode()

    response = client.post(_counter_url(), _intake_data(decision="receive", fee_taken="on"))
    assert response.status_code == 302
    dossier = Dossier.objects.exclude(pk=first.pk).get(applicant_id_number="001099054321")
    assert dossier.paid_at is not None and dossier.payments.get().amount == fee
    assert dossier.status == Status.IN_PROGRESS and dossier.current_step == 2


def test_the_counter_narrows_procedures_as_the_officer_types_and_works_without_javascript(demo, client):
    _login(client, "motcua")
    page = client.get(reverse("dossiers:counter_new")).content.decode()
    assert 'hx-get="' in page and 'hx-select="#procedure-choice"' in page and "htmx-2.min.js" in page
    narrowed = client.get(reverse("dossiers:counter_new"), {"q": "đổi giấy phép lái xe"}).content.decode()
    assert PROCEDURE_CODE in narrowed and "1.002859" not in narrowed


def test_the_counter_picks_the_one_procedure_whose_name_holds_the_whole_phrase(demo, client):
    _login(client, "motcua")
    page = client.get(reverse("dossiers:counter_new"), {"q": "cấp lại giấy phép lái xe bị mất"})
    assert page.context["procedure"].code == "1.002804"


def test_the_citizen_hears_of_the_milestones_only(demo, client, signing):
    """Issue 14: one dossier sent the citizen 7 e-mails in 5 minutes."""
    from cchc.dossiers.models import Notification

    dossier = _submitted_online()
    motcua = _user("motcua")
    services.dossier_act_with_follow_ons(dossier=dossier, actor=motcua, action="receive")
    services.dossier_act(dossier=dossier, actor=_user("chuyenvien"), action="forward")
    services.dossier_act(dossier=dossier, actor=_user("truongphong"), action="forward")
    services.dossier_act_with_follow_ons(dossier=dossier, actor=_user("lanhdao"), action="approve")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED
    sent = Notification.objects.filter(dossier=dossier, recipient__username="congdan", channel="email")
    # Submitted with the fee unpaid (fee due), received with its appointment, the result returned online.
    kinds = sorted(sent.values_list("kind", flat=True))
    assert [k for k in kinds if k.startswith("status.")] == ["status.received", "status.returned", "status.submitted"]
    assert len(kinds) <= 4  # and the invitation to rate the service
