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


def _login(client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)


def test_the_provincial_leaders_dashboard_ranks_the_agencies_of_the_province(client, province):
    # one of commune B's dossiers has its result (on time): commune B has a share to rank
    finished = Dossier.objects.filter(agency=province.commune_b).order_by("pk").first()
    Dossier.objects.filter(pk=finished.pk).update(status="result_ready", finished_at=timezone.now())
    _login(client, "tinh_lanhdao")
    page = client.get("/can-bo/bang-dieu-khien/lanh-dao/")
    assert page.status_code == 200, page.content[:500]
    text = page.content.decode()
    assert "Toàn tỉnh (tổng các cơ quan)" in text
    assert "Xã Đại Phước" in text  # commune B, which resolves the dossiers, is a row
    centre = client.get("/can-bo/bang-dieu-khien/lanh-dao/", {"centre": COMMUNE_A})
    assert centre.status_code == 200
    assert "hồ sơ tiếp nhận tại Xã An Phú" in centre.content.decode()


def test_a_commune_leaders_dashboard_is_their_commune_and_not_the_province(client, province):
    _login(client, "xa_a_lanhdao")
    assert client.get("/can-bo/bang-dieu-khien/lanh-dao/").status_code == 200
    assert client.get("/can-bo/bang-dieu-khien/lanh-dao/", {"province": "1"}).status_code == 403


def test_the_statutory_report_for_the_province_a_centre_and_a_commune(client, province):
    month = timezone.localdate().strftime("%Y-%m")
    query = {"kind": "month", "period": month, "format": "html"}
    _login(client, "tinh_lanhdao")
    whole = client.get("/can-bo/bao-cao/giai-quyet-tthc/", query)
    assert whole.status_code == 200
    assert "Toàn tỉnh: hồ sơ của tất cả các cơ quan" in whole.content.decode()
    at_a = client.get("/can-bo/bao-cao/giai-quyet-tthc/", {**query, "centre": COMMUNE_A})
    assert "Hồ sơ tiếp nhận tại Xã An Phú" in at_a.content.decode()
    client.logout()
    _login(client, "xa_a_lanhdao")
    assert client.get("/can-bo/bao-cao/giai-quyet-tthc/", {**query, "centre": COMMUNE_A}).status_code == 200
    assert client.get("/can-bo/bao-cao/giai-quyet-tthc/", {**query, "centre": CENTRE}).status_code == 403
    assert client.get("/can-bo/bao-cao/giai-quyet-tthc/", {**query, "province": "1"}).status_code == 403


def test_the_statutory_report_of_the_province_adds_up_its_agencies(province):
    from cchc.reports.statutory import statutory_report

    today = timezone.localdate()
    first = today.replace(day=1)
    committee = province.committee
    whole = statutory_report(agency=committee, period_start=first, period_end=today, province=True)
    parts = [statutory_report(agency=a, period_start=first, period_end=today) for a in Agency.objects.all()]
    assert whole.total.cells() == tuple(map(sum, zip(*(p.total.cells() for p in parts), strict=True)))
    assert sum(whole.total.cells()) > 0


def test_the_public_quality_page_per_province_centre_and_commune(client, province):
    whole = client.get("/cong-khai/chat-luong-phuc-vu/", {"co-quan": "toan-tinh"})
    assert whole.status_code == 200
    text = whole.content.decode()
    assert "Toàn tỉnh (tổng các cơ quan)" in text
    assert "Xã Đại Phước" in text  # a row per resolving agency
    at_a = client.get("/cong-khai/chat-luong-phuc-vu/", {"noi-tiep-nhan": COMMUNE_A})
    assert "Hồ sơ tiếp nhận tại Xã An Phú" in at_a.content.decode()
    commune = client.get("/cong-khai/chat-luong-phuc-vu/", {"co-quan": COMMUNE_B})
    assert commune.status_code == 200
    assert f'value="{COMMUNE_B}" selected' in commune.content.decode()


def test_the_ranking_by_quarter_drills_down_to_the_dossiers(client, province):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    api = client.get("/api/v1/reports/rankings", {"level": "commune", "year": today.year, "quarter": quarter})
    assert api.status_code == 200
    assert {row["agency"]["code"] for row in api.json()} == {COMMUNE_A, COMMUNE_B}
    page = client.get("/cong-khai/xep-hang/", {"cap": "commune", "nam": today.year, "quy": quarter})
    text = page.content.decode()
    link = f"/can-bo/bao-cao/chi-so/progress.on_time/mau-so/?agency={COMMUNE_B}"
    assert link in text
    _login(client, "tinh_lanhdao")
    first = today.replace(month=3 * (quarter - 1) + 1, day=1)
    listing = client.get(link.split("?")[0], {"agency": COMMUNE_B, "from": first.isoformat(), "to": today.isoformat()})
    assert listing.status_code == 200
