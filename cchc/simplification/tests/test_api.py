"""The read-only API of review rounds (the router; the lead mounts it at /api/v1/simplification)."""

import pytest
from ninja.testing import TestClient

from cchc.core.errors import NotFound, PermissionDenied
from cchc.procedures.models import Procedure
from cchc.simplification.api import router
from cchc.simplification.services import review_add

from .conftest import WORKED_AFTER, WORKED_BEFORE, user

client = TestClient(router)


@pytest.fixture
def round_with_worked_case(february_round):
    review_add(
        actor=user("cchc"),
        round=february_round,
        procedure=Procedure.objects.get(code="1.000010"),
        before=WORKED_BEFORE,
        after=WORKED_AFTER,
        volume_override=10,
        volume_override_reason="Số liệu minh họa",
    )
    review_add(actor=user("cchc"), round=february_round, procedure=Procedure.objects.get(code="1.001035"))
    return february_round


def test_a_round_gives_costs_savings_and_totals(round_with_worked_case):
    body = client.get(f"/rounds/{round_with_worked_case.pk}", user=user("lanhdao")).json()
    licence = next(p for p in body["procedures"] if p["code"] == "1.000010")
    assert (licence["cost_before"], licence["cost_after"], licence["saving_percent"]) == (1_024_000, 231_000, 77.44)
    assert body["totals"] == {
        "procedures": 2,
        "annual_before": 10_240_000,
        "annual_after": 2_310_000,
        "annual_saving": 7_930_000,
        "saving_percent": 77.44,
    }
    assert [r["id"] for r in client.get("/rounds", user=user("cchc")).json()] == [round_with_worked_case.pk]


def test_a_unit_head_gets_their_units_procedures_only(round_with_worked_case):
    body = client.get(f"/rounds/{round_with_worked_case.pk}", user=user("truongphong")).json()
    assert [p["code"] for p in body["procedures"]] == ["1.000010"]


def test_others_are_refused_and_another_agencys_round_is_not_found(round_with_worked_case, outsider):
    with pytest.raises(PermissionDenied):
        client.get(f"/rounds/{round_with_worked_case.pk}", user=user("chuyenvien"))
    with pytest.raises(NotFound):
        client.get(f"/rounds/{round_with_worked_case.pk}", user=outsider)
    assert client.get("/rounds", user=outsider).json() == []
