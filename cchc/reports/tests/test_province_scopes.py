"""The service index for the province (issue 11): per agency, per one-stop point that received the
dossiers (`centre`), per commune and for the whole province; who may read which, both ways; and
the province's figures are the sum of its agencies'."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from cchc.accounts.models import Agency
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.province import CENTRE, COMMUNE_A, COMMUNE_B, PASSWORD, build_province
from cchc.dossiers.tests.test_province_intake import counter_intake
from cchc.reports.selectors import service_index

API = "/api/v1/reports/service-index"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def province(client, demo):
    built = build_province()
    # Commune A's counter receives two dossiers for commune B, the provincial centre one for commune A.
    for _ in range(2):
        assert counter_intake(client, built).status_code == 201
    assert counter_intake(client, built, username="tt_motcua", agency=COMMUNE_A).status_code == 201
    cache.clear()  # the token endpoint's rate limit
    return built


def _headers(client, username: str) -> dict:
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _figures(index: dict) -> dict[str, tuple]:
    return {i["code"]: (i["numerator"], i["denominator"]) for g in index["groups"] for i in g["indicators"]}


def _online_share_denominator(index: dict) -> int:
    return _figures(index)["online.dossiers"][1]


def test_the_provincial_leader_reads_the_whole_province_by_default(client, province):
    index = client.get(API, headers=_headers(client, "tinh_lanhdao"))
    assert index.status_code == 200, index.content
    body = index.json()
    assert body["scope"]["province"] == "1"
    received = Dossier.objects.filter(received_at__isnull=False).count()
    assert received >= 3
    assert _online_share_denominator(body) == received
    # each drill-down keeps the province scope
    on_time = next(i for g in body["groups"] for i in g["indicators"] if i["code"] == "online.dossiers")
    assert "province=1" in on_time["drilldown"]["denominator"]


def test_the_province_figure_is_the_sum_over_its_agencies(client, province):
    today = timezone.localdate()
    first = today.replace(day=1)
    body = client.get(API, {"province": "1"}, headers=_headers(client, "tinh_lanhdao")).json()
    per_agency = [
        _figures(service_index(date_from=first, date_to=today, agency=agency)) for agency in Agency.objects.all()
    ]
    for code, (numerator, denominator) in _figures(body).items():
        measured = [figures[code] for figures in per_agency if figures[code][1] is not None]
        if not measured:
            assert denominator is None, code
            continue
        assert numerator == sum(n or 0 for n, _d in measured), code
        assert denominator == sum(d for _n, d in measured), code
    # commune B resolves the two dossiers commune A received, commune A the centre's one
    assert _figures(service_index(date_from=first, date_to=today, agency=province.commune_b))["online.dossiers"] == (
        0,
        2,
    )


def test_a_centres_figures_count_what_it_received_for_every_agency(client, province):
    headers = _headers(client, "tinh_lanhdao")
    at_commune_a = client.get(API, {"centre": COMMUNE_A}, headers=headers).json()
    assert at_commune_a["scope"]["centre"] == COMMUNE_A
    assert _online_share_denominator(at_commune_a) == 2
    at_centre = client.get(API, {"centre": CENTRE}, headers=headers).json()
    assert _online_share_denominator(at_centre) == 1
    # the catalogue indicators belong to the resolving agency, not to a reception point
    published = next(i for g in at_centre["groups"] for i in g["indicators"] if i["code"] == "transparency.published")
    assert published["counted"] is False
    # centre and resolving agency together: what commune A received for commune B
    both = client.get(API, {"centre": COMMUNE_A, "agency": COMMUNE_B}, headers=headers).json()
    assert _online_share_denominator(both) == 2


def test_a_commune_leader_reads_their_commune_and_what_it_received_and_nothing_else(client, province):
    headers = _headers(client, "xa_a_lanhdao")
    own = client.get(API, headers=headers).json()
    assert own["scope"]["agency"] == COMMUNE_A
    assert _online_share_denominator(own) == 1  # the dossier the provincial centre received for it
    received = client.get(API, {"centre": COMMUNE_A}, headers=headers)
    assert received.status_code == 200
    assert _online_share_denominator(received.json()) == 2
    for params in ({"province": "1"}, {"agency": COMMUNE_B}, {"centre": CENTRE}):
        response = client.get(API, params, headers=headers)
        assert response.status_code == 403, params


def test_a_department_leader_and_a_counter_officer_cannot_read_the_province(client, province):
    for username in ("lanhdao", "xa_a_motcua"):
        response = client.get(API, {"province": "1"}, headers=_headers(client, username))
        assert response.status_code == 403, username
    # the commune's counter officer may not look by reception point either
    response = client.get(API, {"centre": COMMUNE_A}, headers=_headers(client, "xa_a_motcua"))
    assert response.status_code == 403


def test_a_unit_without_its_agency_is_refused_for_a_centre(client, province):
    response = client.get(API, {"centre": COMMUNE_A, "unit": "QLVT"}, headers=_headers(client, "tinh_lanhdao"))
    assert response.status_code == 400
    assert response.json()["code"] == "agency_required"
