"""`GET /api/v1/reform/par-index?year=`: the year's projected total, target, band and criteria."""

from decimal import Decimal

from cchc.accounts.services import api_token_create
from cchc.dossiers.tests.helpers import user
from cchc.reform import criteria_file
from cchc.reform.models import Criterion
from cchc.reform.services import criterion_update, par_year_load

from .conftest import YEAR

URL = "/api/v1/reform/par-index"
CRITERION_KEYS = {
    "code",
    "parent",
    "name",
    "max",
    "method",
    "indicator",
    "self_score",
    "computed_score",
    "appraised_score",
    "projected",
    "recoverable",
    "unit",
}


def test_the_answer_has_exactly_the_documented_shape_with_numbers(par_year, client, no_live_values):
    leaf = Criterion.objects.get(par_year=par_year, code="1.5")
    criterion_update(criterion=leaf, actor=user("cchc"), self_score=Decimal("1.5"), notes="", responsible_unit=None)
    no_live_values["online.dossiers"] = 50.0  # 7.3.2: 3 points × 50 % = 1.5
    token = api_token_create(user=user("cchc"))
    body = client.get(URL, {"year": YEAR}, headers={"Authorization": f"Bearer {token}"}).json()
    assert set(body) == {"year", "target", "projected_total", "max", "band", "criteria"}
    assert body["year"] == YEAR and body["target"] == 80 and body["max"] == 100
    assert body["projected_total"] == 3.0 and body["band"] == "Yếu"
    codes = [item["code"] for item in body["criteria"]]
    assert codes[:4] == ["1", "1.1", "1.1.1", "1.1.2"] and len(codes) == Criterion.objects.count()
    for item in body["criteria"]:
        assert set(item) == CRITERION_KEYS
        assert isinstance(item["max"], float) and isinstance(item["projected"], float)
    by_code = {item["code"]: item for item in body["criteria"]}
    assert by_code["1.5"] | {"name": ""} == {
        "code": "1.5",
        "parent": "1",
        "name": "",
        "max": 2.0,
        "method": "self",
        "indicator": None,
        "self_score": 1.5,
        "computed_score": 1.5,
        "appraised_score": None,
        "projected": 1.5,
        "recoverable": 0.5,
        "unit": None,
    }
    assert by_code["7.3.2"]["computed_score"] == 1.5 and by_code["7.3.2"]["indicator"] == "online.dossiers"
    assert by_code["7.3.2"]["unit"] == "MOTCUA" and by_code["7.3.2"]["self_score"] is None
    assert by_code["1"]["parent"] is None and by_code["1"]["projected"] == 1.5


def test_the_latest_year_by_default_through_the_session(par_year, client, demo, no_live_values):
    par_year_load(
        agency=demo, year=2025, data=criteria_file.SAMPLE_TEMPLATE.read_bytes(), filename="m.yaml", actor=None
    )
    client.force_login(user("lanhdao"))
    assert client.get(URL).json()["year"] == YEAR


def test_who_may_call_it(par_year, client, other_agency):
    assert client.get(URL).status_code == 401
    client.force_login(user("congdan"))
    response = client.get(URL)
    assert response.status_code == 403 and set(response.json()) == {"detail", "code", "errors"}
    client.force_login(user("chuyenvien"))
    assert client.get(URL).status_code == 200
    assert client.get(URL, {"year": 2019}).json()["code"] == "par_year_not_found"


def test_another_agencys_year_is_not_found(par_year, client, other_agency):
    par_year_load(
        agency=other_agency,
        year=2024,
        data=criteria_file.SAMPLE_TEMPLATE.read_bytes().replace(b"unit: ", b"x-unit: "),
        filename="m.yaml",
        actor=None,
    )
    client.force_login(user("cchc"))
    assert client.get(URL, {"year": 2024}).status_code == 404
