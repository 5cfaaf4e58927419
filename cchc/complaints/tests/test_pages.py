"""The complaint pages: sending (public), "my complaints", the unit's queue and the answer page."""

from datetime import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.complaints.models import Complaint
from cchc.complaints.services import complaint_answer
from cchc.core.calendar import VN_TZ
from cchc.dossiers.tests.helpers import frozen, submit, user
from cchc.procedures.models import Procedure

from .helpers import PROCEDURE, about_procedure, kcht_specialist

NEW = "/phan-anh-kien-nghi/gui/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _form(**fields) -> dict:
    return {
        "kind": "petition",
        "procedure": str(Procedure.objects.get(code=PROCEDURE).pk),
        "content": "Đề nghị cho phép nộp bản chụp thay cho bản sao chứng thực.",
        "name": "Lê Văn Khách",
        "phone": "0987654321",
        "email": "",
    } | fields


def test_anyone_may_send_a_complaint_about_a_procedure(demo, client):
    assert reverse("complaints:new") == NEW
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, _form(), follow=True)
    complaint = Complaint.objects.get()
    page = response.content.decode()
    assert complaint.code in page and "Hạn trả lời" in page
    assert complaint.submitter is None and complaint.kind == "petition" and complaint.unit.code == "QLVT"


def test_a_refused_form_saves_nothing_and_says_why(demo, client):
    response = client.post(NEW, _form(phone="", email=""))
    assert response.status_code == 400
    assert "điện thoại hoặc thư điện tử" in response.content.decode()
    response = client.post(NEW, _form(procedure=""))
    assert response.status_code == 400 and "Cần chọn thủ tục" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_signed_in_citizen_finds_their_data_filled_in(demo, client):
    client.force_login(user("congdan"))
    page = client.get(NEW + f"?thu_tuc={PROCEDURE}").content.decode()
    assert 'value="Nguyễn Văn An"' in page and 'value="congdan@example.vn"' in page
    procedure = Procedure.objects.get(code=PROCEDURE)
    assert f'<option value="{procedure.pk}" selected>' in page
    assert client.get(NEW + "?thu_tuc=9.999999").status_code == 404


def test_a_complaint_about_my_own_dossier_only(demo, client):
    dossier = submit()
    client.force_login(user("congdan2"))
    assert client.get(NEW + f"?ho_so={dossier.code}").status_code == 404
    assert client.post(NEW + f"?ho_so={dossier.code}", _form()).status_code == 404
    client.force_login(user("congdan"))
    page = client.get(NEW + f"?ho_so={dossier.code}").content.decode()
    assert dossier.code in page and 'name="procedure"' not in page
    client.post(NEW + f"?ho_so={dossier.code}", _form(procedure=""))
    complaint = Complaint.objects.get()
    assert complaint.dossier == dossier and complaint.submitter.username == "congdan"


def test_i_see_my_complaint_and_its_answer_and_another_citizen_does_not(demo, client):
    complaint = about_procedure()
    complaint_answer(complaint=complaint, user=user("chuyenvien"), answer="Đã cập nhật hướng dẫn trên cổng.")
    client.force_login(user("congdan"))
    page = client.get(reverse("complaints:mine")).content.decode()
    assert complaint.code in page and "Đã trả lời" in page and "Đã cập nhật hướng dẫn trên cổng." in page
    client.force_login(user("congdan2"))
    assert complaint.code not in client.get(reverse("complaints:mine")).content.decode()
    assert client.get(reverse("complaints:answer", kwargs={"code": complaint.code})).status_code == 403


def test_the_unit_queue_is_sorted_by_due_date_and_marks_late_ones(demo, client):
    with frozen(datetime(2025, 3, 3, 8, 0, tzinfo=VN_TZ)):  # long past its deadline
        old = about_procedure()
    recent = about_procedure()
    client.force_login(user("chuyenvien"))
    page = client.get(reverse("complaints:office")).content.decode()
    assert page.index(old.code) < page.index(recent.code)
    assert page.count("Quá hạn</strong>") == 1
    client.force_login(kcht_specialist(demo))
    page = client.get(reverse("complaints:office")).content.decode()
    assert old.code not in page and recent.code not in page


def test_another_units_specialist_gets_404_on_the_answer_page(demo, client):
    complaint = about_procedure()
    url = reverse("complaints:answer", kwargs={"code": complaint.code})
    client.force_login(kcht_specialist(demo))
    assert client.get(url).status_code == 404
    assert client.post(url, {"tra_loi": "1", "answer": "Tôi trả lời hộ đơn vị khác."}).status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).status == "new"


def test_the_unit_takes_up_and_answers_on_the_page(demo, client):
    complaint = about_procedure()
    url = reverse("complaints:answer", kwargs={"code": complaint.code})
    client.force_login(user("chuyenvien"))
    page = client.get(url).content.decode()
    assert "Hướng dẫn thành phần hồ sơ trên cổng chưa rõ ràng." in page and "Nhận xử lý" in page
    client.post(url, {"nhan_xu_ly": "1"})
    assert Complaint.objects.get(pk=complaint.pk).status == "in_progress"
    assert client.post(url, {"tra_loi": "1", "answer": "Ngắn"}).status_code == 400
    response = client.post(url, {"tra_loi": "1", "answer": "Đã bổ sung hướng dẫn chi tiết trên cổng."}, follow=True)
    assert "người gửi được thông báo" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.outcome == "early"


def test_the_reform_officer_sees_the_agencys_complaints_but_cannot_answer(demo, client):
    complaint = about_procedure()
    client.force_login(user("cchc"))
    page = client.get(reverse("complaints:answer", kwargs={"code": complaint.code})).content.decode()
    assert complaint.code in page and "Gửi trả lời" not in page


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_reads_in_a_fixed_number_of_queries(demo, client):
    client.force_login(user("truongphong"))
    about_procedure()
    # Warm the caches every page reads (who runs the installation), so both counts are of the rows.
    client.get(reverse("complaints:office"))
    one = _queries_for(client, reverse("complaints:office"))
    for _ in range(4):
        about_procedure(username=None, name="Khách vãng lai", email="", phone="0987654321")
    assert _queries_for(client, reverse("complaints:office")) == one
