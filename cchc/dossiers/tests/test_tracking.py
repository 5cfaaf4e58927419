"""The public lookup: status without personal data, and a per-address rate limit."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse

from cchc.accounts.models import User
from cchc.core import ratelimit
from cchc.dossiers import services
from cchc.dossiers.tests.test_citizen_pages import CODE, received, submitted_dossier
from cchc.procedures.models import Procedure


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_clock(monkeypatch):
    """Keep every request in one rate-limit window, whatever the wall clock does."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))


@pytest.fixture
def dossier(demo):
    citizen = User.objects.get(username="congdan")
    return received(submitted_dossier(citizen, Procedure.objects.get(code=CODE), name="Nguyễn Văn An"))


def lookup(client, code, **extra):
    return client.get(reverse("dossiers:track"), {"ma": code}, **extra)


def test_lookup_shows_status_and_masked_name_but_no_personal_data(dossier, client):
    response = lookup(client, dossier.code)
    html = response.content.decode()
    assert response.status_code == 200
    for text in (dossier.code, dossier.procedure_version.name, "Đã tiếp nhận", "N***** V** A*", "Hẹn trả kết quả"):
        assert text in html
    for secret in ("Nguyễn Văn An", dossier.applicant_id_number, dossier.applicant_phone, "Cán bộ Bộ phận Một cửa"):
        assert secret not in html
    assert [row["status_label"] for row in response.context["result"]["timeline"]] == [
        "Đã nộp trực tuyến, chờ tiếp nhận",
        "Đã tiếp nhận",
    ]


def test_lookup_tolerates_spaces_and_lower_case(dossier, client):
    response = lookup(client, f"  {dossier.code.lower()} ")
    assert response.context["result"]["code"] == dossier.code


def test_lookup_of_an_unknown_code_says_so(demo, client):
    response = lookup(client, "000.00.00.H00-200101-9999")
    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ có mã 000.00.00.H00-200101-9999" in response.content.decode()


def test_an_empty_code_asks_for_one(demo, client):
    response = lookup(client, "")
    assert "Vui lòng nhập mã hồ sơ." in response.content.decode()
    assert response.context["result"] is None


def test_lookups_over_the_limit_get_429(dossier, client, settings, frozen_clock):
    settings.CCHC_LOOKUP_RATE_PER_MINUTE = 30
    for _ in range(30):
        assert lookup(client, dossier.code).status_code == 200
    response = lookup(client, dossier.code)
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert "result" not in response.context or response.context["result"] is None
    # Another address is not held back by the first.
    assert lookup(client, dossier.code, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_rate_limit_starts_afresh_in_the_next_window(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now[0]))
    assert [ratelimit.hit(scope="t", key="1.2.3.4", limit=2) for _ in range(3)] == [True, True, False]
    now[0] += 60
    assert ratelimit.hit(scope="t", key="1.2.3.4", limit=2)
    assert ratelimit.hit(scope="other", key="1.2.3.4", limit=2)


def test_a_withdrawn_dossier_shows_its_final_status(dossier, client):
    services.dossier_act(dossier=dossier, actor=dossier.applicant_user, action="withdraw")
    html = lookup(client, dossier.code).content.decode()
    assert "Đã rút hồ sơ" in html and "Bước đang xử lý" not in html
