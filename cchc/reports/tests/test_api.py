"""GET /api/v1/reports/service-index: the shape, the period, and who may see which scope."""

from unittest import mock

import pytest
from django.utils import timezone

from cchc.dossiers.tests.helpers import user

from .conftest import NOW
from .test_service_index import EXPECTED

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/service-index"
FEBRUARY = {"from": "01/02/2025", "to": "28/02/2025", "unit": "BCTEST"}


@pytest.fixture
def as_user(client):
    def login(username: str):
        client.force_login(user(username))
        return client

    return login


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("cchc.reports.selectors.timezone.now", return_value=NOW):
        yield


def test_the_answer_has_the_documented_shape(february, as_user):
    """issue 15 item 1: `max` is 100 and the six groups carry the national portal's maxima (18, 20,
    12, 10, 22, 18; legal-details.md §1.1 [S]) — the old answer was 51.86 out of 91."""
    response = as_user("lanhdao").get(URL, FEBRUARY)
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"total", "max", "groups", "measured_max", "measured_percent"} <= set(body)
    assert (body["total"], body["max"]) == (37.11, 100)
    assert [g["max"] for g in body["groups"]] == [18, 20, 12, 10, 22, 18]
    assert [g["code"] for g in body["groups"]] == [
        "transparency",
        "progress",
        "online",
        "payment",
        "digitisation",
        "satisfaction",
    ]
    for group in body["groups"]:
        assert {"code", "name", "points", "max", "indicators"} <= set(group)
        for indicator in group["indicators"]:
            assert {"code", "name", "value", "numerator", "denominator", "points", "max"} <= set(indicator)
            code = indicator["code"]
            assert (indicator["numerator"], indicator["denominator"], indicator["points"]) == EXPECTED[code]
    assert body["groups"][0]["name"] == "Công khai, minh bạch"
    sync = body["groups"][0]["indicators"][3]
    assert (sync["code"], sync["source"], sync["source_label"]) == (
        "transparency.portal_sync",
        "national",
        "Đo tại Cổng DVCQG",
    )
    assert sync["drilldown"] is None


def test_every_figure_links_to_its_list(february, as_user):
    client = as_user("lanhdao")
    body = client.get(URL, FEBRUARY).json()
    on_time = body["groups"][1]["indicators"][0]
    assert on_time["drilldown"]["numerator"].startswith("/can-bo/bao-cao/chi-so/progress.on_time/tu-so/?")
    page = client.get(on_time["drilldown"]["numerator"])
    assert page.status_code == 200
    for code in ("BC-D1", "BC-D2", "BC-D4", "BC-D8", "BC-D14"):
        assert code in page.content.decode()
    assert "BC-D3" not in page.content.decode()


def test_iso_dates_are_accepted_too(february, as_user):
    body = as_user("lanhdao").get(URL, {**FEBRUARY, "from": "2025-02-01", "to": "2025-02-28"}).json()
    assert body["total"] == 37.11


def test_without_dates_the_period_is_the_current_month(demo, as_user):
    body = as_user("lanhdao").get(URL).json()
    today = timezone.localdate(NOW)
    assert body["period"] == {"from": today.replace(day=1).isoformat(), "to": "2025-03-31"}
    assert body["scope"]["agency"] == demo.code


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "31/02/2025"}, "invalid_date"),
        ({"from": "hôm qua"}, "invalid_date"),
        ({"from": "01/03/2025", "to": "01/02/2025"}, "invalid_period"),
        ({"from": "01/01/2024", "to": "01/02/2025"}, "period_too_long"),
    ],
)
def test_bad_dates_are_refused_in_vietnamese(demo, as_user, params, code):
    response = as_user("lanhdao").get(URL, params)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert "ngày" in response.json()["detail"].lower() or "kỳ" in response.json()["detail"].lower()


def test_unknown_codes_answer_404(demo, as_user):
    client = as_user("lanhdao")
    assert client.get(URL, {"unit": "KHONGCO"}).status_code == 404
    assert client.get(URL, {"procedure": "9.999999"}).status_code == 404
    assert client.get(URL, {"officer": "congdan"}).json()["code"] == "unknown_officer"


def test_a_unit_head_sees_their_unit_and_not_another(february, as_user):
    client = as_user("truongphong")
    response = client.get(URL, FEBRUARY)
    assert response.status_code == 403
    assert response.json()["detail"] == "Trưởng đơn vị chỉ được xem chỉ số của đơn vị mình."
    own = client.get(URL, {"from": "01/02/2025", "to": "28/02/2025"}).json()
    assert own["scope"]["unit"] == "QLVT"


def test_a_one_stop_officer_sees_the_dossiers_they_received(february, as_user):
    client = as_user("motcua")
    body = client.get(URL, FEBRUARY).json()
    assert body["scope"]["officer"] == "motcua"
    assert body["groups"][1]["indicators"][0]["denominator"] == 10
    assert client.get(URL, {**FEBRUARY, "officer": "lanhdao"}).status_code == 403


def test_another_agency_is_forbidden(demo, as_user):
    assert as_user("lanhdao").get(URL, {"agency": "000.00.10.H99"}).status_code == 403


@pytest.mark.parametrize("username", ["chuyenvien", "congdan"])
def test_specialists_and_applicants_are_refused(demo, as_user, username):
    response = as_user(username).get(URL)
    assert response.status_code == 403
    assert response.json()["code"] == "report_forbidden"


def test_anonymous_callers_must_sign_in(demo, client):
    response = client.get(URL)
    assert response.status_code == 401


def test_a_bearer_token_works(february, client):
    token = client.post(
        "/api/v1/auth/token", {"username": "cchc", "password": "demo12345"}, content_type="application/json"
    ).json()["token"]
    response = client.get(URL, FEBRUARY, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["total"] == 37.11
