"""Every page of the reform work, as every demo role and anonymously, with garbage parameters and
empty or wrong-typed forms: never a server error."""

import pytest
from django.test import Client

from cchc.accounts.models import User
from cchc.plans.demo import load_demo_plans
from cchc.plans.models import Commitment, Task, TaskReport
from cchc.reform.demo import load_demo_reform
from cchc.reform.models import Evidence

ROLES = (None, "cchc", "lanhdao", "truongphong", "chuyenvien", "motcua", "quantri", "congdan", "doanhnghiep")
GARBAGE = (
    "",
    "?year=abc",
    "?year=99999",
    "?year=-1",
    "?year=2026&unit=NOPE",
    "?month=2026-13",
    "?month=abc&unit=QLVT",
    "?page=x",
    "?year=99999999999999999999999",
    "?status=nope&late=1&unit=QLVT",
    "?format=pdf&month=2026-13",
    "?format=xlsx&unit=KCHT",
    "?year=2026&unit=QLPT",
)
POSTS = (
    {},
    {"action": "score", "self_score": "abc", "notes": "x", "responsible_unit": "999999"},
    {"action": "score", "self_score": "-5"},
    {"action": "score", "self_score": "1e400"},
    {"action": "evidence", "title": "", "link": "javascript:alert(1)"},
    {"action": "nope"},
    {"year": "abc", "title": "", "unit": "999999"},
    {"year": "99999", "unit": "NOPE", "deadline": "2026-13-45", "lead": "abc"},
    {"chuyen": "1", "to_status": "nope", "expected_status": "x"},
    {"percent": "-5", "text": "", "link": "x"},
    {"percent": "abc"},
    {"them_chi_tieu": "1", "target": "abc", "comparison": "zz", "indicator": "nope"},
    {"xoa_chi_tieu": "abc"},
    {"xoa_chi_tieu": "99999999999999999999999"},
    {"nhiem_vu": "1", "tasks": ["abc", "999999"]},
    {"ket_qua": "1", "target_id": "abc", "value": "1e400"},
    {"ket_qua": "1", "target_id": "99999999999999999999999", "value": "50"},
    {"appraised_on": "31/02/2026"},
)


@pytest.fixture
def demo_reform(demo, signing):
    load_demo_reform(demo)
    load_demo_plans(demo)
    return demo


def _urls():
    task = Task.objects.order_by("pk").first()
    commitment = Commitment.objects.order_by("pk").first()
    report = TaskReport.objects.order_by("pk").first()
    evidence = Evidence.objects.order_by("pk").first()
    urls = [
        "/cai-cach/ke-hoach/",
        "/cai-cach/ke-hoach/lap/",
        "/cai-cach/ke-hoach/nhiem-vu/moi/",
        f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/",
        f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/sua/",
        "/cai-cach/ke-hoach/nhiem-vu/999999/",
        "/cai-cach/ke-hoach/nhiem-vu/999999/sua/",
        f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/minh-chung/{report.pk}/",
        f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/minh-chung/999999/",
        "/cai-cach/nhiem-vu-tre-han/",
        "/cai-cach/cam-ket/",
        f"/cai-cach/cam-ket/{commitment.pk}/",
        f"/cai-cach/cam-ket/{commitment.pk}/ky/",
        f"/cai-cach/cam-ket/{commitment.pk}/ky-duyet/",
        f"/cai-cach/cam-ket/{commitment.pk}/ban-ky-so.pdf",
        "/cai-cach/cam-ket/999999/",
        "/cai-cach/giao-ban/",
        "/cai-cach/khac-phuc/",
        "/cai-cach/chi-so-par/",
        "/cai-cach/chi-so-par/nap-bo-tieu-chi/",
        "/cai-cach/chi-so-par/bo-tieu-chi-mau.xlsx",
        f"/cai-cach/chi-so-par/kiem-chung/{evidence.pk if evidence else 1}/",
        "/cai-cach/chi-so-par/kiem-chung/999999/",
        "/cai-cach/chi-so-par/2026/bo-tieu-chi.xlsx",
        "/cai-cach/chi-so-par/1999/bo-tieu-chi.xlsx",
        "/cai-cach/chi-so-par/2025/tham-dinh/",
        "/cai-cach/chi-so-par/2030/tham-dinh/",
        "/cai-cach/chi-so-par/2025/so-sanh/",
        "/cai-cach/chi-so-par/99999/so-sanh/",
        "/cai-cach/chi-so-par/2026/tieu-chi/1.1.1/",
        "/cai-cach/chi-so-par/2026/tieu-chi/NOPE/",
        "/cai-cach/chi-so-par/2026/tieu-chi/1.1.1/kiem-chung/999999/xoa/",
        "/api/v1/reform/par-index",
        "/api/v1/reform/par-index?year=abc",
        "/api/v1/reform/par-index?year=99999999999999999999999",
        "/api/v1/plans/tasks",
        "/api/v1/plans/tasks?year=abc&late=maybe",
        "/api/v1/plans/commitments?year=99999",
        "/cai-cach/ke-hoach/nhiem-vu/99999999999999999999/",
        "/cai-cach/cam-ket/99999999999999999999/ban-ky-so.pdf",
        "/cai-cach/chi-so-par/99999999999999999999/so-sanh/",
    ]
    return urls


def _client(username):
    client = Client(raise_request_exception=False)
    if username:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_no_page_of_the_reform_work_answers_with_a_server_error(demo_reform, username):
    client = _client(username)
    failures = []
    for url in _urls():
        for query in GARBAGE:
            full = url + (("&" + query[1:]) if "?" in url and query else query)
            response = client.get(full)
            if response.status_code >= 500:
                failures.append(("GET", full, response.status_code))
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_no_form_of_the_reform_work_answers_with_a_server_error(demo_reform, username):
    client = _client(username)
    failures = []
    for url in _urls():
        if url.endswith((".pdf", ".xlsx")) or "/api/" in url:
            continue
        for data in POSTS:
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append(("POST", url, data, response.status_code))
    assert failures == []
