"""GET /api/v1/plans/tasks and /api/v1/plans/commitments: shape and who sees what."""

from datetime import date
from decimal import Decimal

import pytest

from cchc.plans import services

from .conftest import YEAR, fields, unit, user

TASKS = "/api/v1/plans/tasks"
COMMITMENTS = "/api/v1/plans/commitments"


@pytest.fixture
def tasks(plan, other_agency):
    officer = user("cchc")
    late = services.task_create(
        plan=plan, actor=officer, fields=fields(title="Trễ", deadline=date(YEAR, 1, 5), lead=user("chuyenvien"))
    )
    later = services.task_create(
        plan=plan, actor=officer, fields=fields(title="Cuối năm", unit=unit("KCHT"), deadline=date(YEAR, 12, 31))
    )
    return {"late": late, "later": later}


def test_the_leader_gets_the_whole_plan_and_the_late_filter(tasks, client):
    client.force_login(user("lanhdao"))
    body = client.get(TASKS, {"year": YEAR}).json()
    assert [t["title"] for t in body] == ["Trễ", "Cuối năm"]
    first = body[0]
    assert first["unit"] == "QLVT" and first["lead"] == "chuyenvien" and first["deadline"] == "2026-01-05"
    assert first["status"] == "not_started" and first["status_label"] == "Chưa thực hiện"
    assert [t["title"] for t in client.get(TASKS, {"year": YEAR, "late": "true"}).json()] == ["Trễ"]
    assert [t["title"] for t in client.get(TASKS, {"year": YEAR, "unit": "KCHT"}).json()] == ["Cuối năm"]


def test_a_specialist_sees_their_unit_an_applicant_nothing_and_no_one_another_agency(tasks, client):
    client.force_login(user("chuyenvien"))
    assert [t["title"] for t in client.get(TASKS, {"year": YEAR}).json()] == ["Trễ"]
    client.force_login(user("congdan"))
    response = client.get(TASKS, {"year": YEAR})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    client.logout()
    assert client.get(TASKS, {"year": YEAR}).status_code == 401
    client.force_login(user("cchc"))
    assert "Nhiệm vụ của Sở khác" not in {t["title"] for t in client.get(TASKS, {"year": YEAR}).json()}


def test_commitments_carry_their_targets_and_signatures(tasks, client):
    commitment = services.commitment_draft(actor=user("cchc"), unit=unit("QLVT"), year=YEAR)
    services.commitment_target_add(commitment=commitment, actor=user("cchc"), label="Ký số", target=Decimal(95))
    services.commitment_sign(commitment=commitment, actor=user("truongphong"))
    services.commitment_draft(actor=user("cchc"), unit=unit("KCHT"), year=YEAR)
    client.force_login(user("truongphong"))
    body = client.get(COMMITMENTS, {"year": YEAR}).json()
    assert len(body) == 1  # a unit head: their unit's only
    item = body[0]
    assert (item["unit"], item["status"], item["signer"]) == ("QLVT", "signed_by_unit", "truongphong")
    assert item["targets"] == [
        {"label": "Ký số", "indicator": None, "comparison": "gte", "target": 95.0, "actual": None, "met": None}
    ]
    assert item["tasks"] == [tasks["late"].code]
    client.force_login(user("lanhdao"))
    assert {c["unit"] for c in client.get(COMMITMENTS, {"year": YEAR}).json()} == {"QLVT", "KCHT"}
