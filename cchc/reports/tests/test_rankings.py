"""The province's ranking of communes and departments: GET /api/v1/reports/rankings and its page."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from cchc.dossiers.tests.province import COMMUNE_A, COMMUNE_B, PASSWORD, build_province

API = "/api/v1/reports/rankings"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_communes_are_ranked_for_the_year_and_the_month(client, demo):
    build_province()
    today = timezone.localdate()
    rows = client.get(API, {"level": "commune", "year": today.year}).json()
    assert {row["agency"]["code"] for row in rows} == {COMMUNE_A, COMMUNE_B}
    assert [row["rank"] for row in rows] in ([1, 1], [1, 2])
    for row in rows:
        assert set(row) == {"rank", "agency", "total", "max"}
        assert 0 <= row["total"] <= row["max"] <= 100
    monthly = client.get(API, {"level": "commune", "year": today.year, "month": today.month})
    assert monthly.status_code == 200
    departments = client.get(API, {"level": "department", "year": today.year}).json()
    assert all(not row["agency"]["code"].startswith("000.01.") for row in departments)


def test_rankings_are_ordered_by_total_best_first(client, demo):
    """Equal totals share a rank; the order is by total, then by name."""
    build_province()
    today = timezone.localdate()
    rows = client.get(API, {"level": "commune", "year": today.year}).json()
    totals = [row["total"] for row in rows]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"level": "district", "year": "2026"}, "invalid_level"),
        ({"level": "commune", "year": "hai nghìn"}, "invalid_year"),
        ({"level": "commune", "year": "2026", "month": "13"}, "invalid_month"),
        ({"level": "commune", "year": "1999"}, "invalid_year"),
    ],
)
def test_bad_parameters_get_a_clear_refusal(client, demo, params, code):
    response = client.get(API, params)
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_the_rankings_page_links_each_total_to_its_index(client, demo):
    build_province()
    page = client.get("/cong-khai/xep-hang/", {"cap": "commune", "nam": timezone.localdate().year})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Xã Đại Phước" in text
    assert f"agency={COMMUNE_B}" in text
    # On a phone the rows are stacked cards: each figure keeps its column's name.
    for label in ("Hạng", "Cơ quan", "Điểm", "Tối đa", "Hồ sơ được tính"):
        assert f'data-label="{label}"' in text


def test_the_provincial_leader_opens_a_communes_index(client, demo):
    build_province()
    response = client.post(
        "/api/v1/auth/token", {"username": "tinh_lanhdao", "password": PASSWORD}, content_type="application/json"
    )
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    index = client.get("/api/v1/reports/service-index", {"agency": COMMUNE_B}, headers=headers)
    assert index.status_code == 200, index.content
    # A commune's leader may not open another commune's.
    response = client.post(
        "/api/v1/auth/token", {"username": "xa_a_lanhdao", "password": PASSWORD}, content_type="application/json"
    )
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    assert client.get("/api/v1/reports/service-index", {"agency": COMMUNE_B}, headers=headers).status_code == 403
