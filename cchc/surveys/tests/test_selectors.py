"""Satisfaction per unit, procedure and receiving officer, computed in one query."""

from datetime import date, datetime

import pytest

from cchc.accounts.models import Unit
from cchc.accounts.roles import Role
from cchc.accounts.services import user_upsert
from cchc.core.calendar import VN_TZ
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.helpers import frozen, submit, user
from cchc.dossiers.workflow import Status
from cchc.surveys.scores import FACTORS, indexes
from cchc.surveys.selectors import satisfaction_by, satisfaction_total
from cchc.surveys.services import rating_submit

QLVT_PROCEDURE, KCHT_PROCEDURE = "1.003683", "1.001087"
IN_PERIOD = datetime(2030, 6, 14, 9, 0, tzinfo=VN_TZ)
LATER = datetime(2030, 7, 20, 9, 0, tzinfo=VN_TZ)
PERIOD = {"date_from": date(2030, 6, 1), "date_to": date(2030, 6, 30)}


def _rated(procedure: str, officer, scores: dict, at: datetime):
    """A returned dossier received by `officer`, rated at `at` (the flow itself is tested elsewhere)."""
    dossier = submit(code=procedure)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED, received_by=officer, returned_at=at)
    with frozen(at):
        return rating_submit(dossier=dossier, scores=scores, channel="online", rater=user("congdan"))


def _scores(access, procedure, officer, result, feedback) -> dict:
    return dict(zip(FACTORS, (access, procedure, officer, result, feedback), strict=True))


@pytest.fixture
def ratings(demo):
    second_officer = user_upsert(
        username="motcua2",
        password=None,
        role=Role.ONE_STOP_OFFICER,
        full_name="Lê Thị Lan",
        agency=demo,
        unit=Unit.objects.get(agency=demo, code="MOTCUA"),
    )
    first_officer = user("motcua")
    return [
        _rated(QLVT_PROCEDURE, first_officer, _scores(5, 5, 5, 5, 5), IN_PERIOD),
        _rated(QLVT_PROCEDURE, second_officer, _scores(3, 4, 2, 5, 1), IN_PERIOD),
        _rated(KCHT_PROCEDURE, first_officer, _scores(4, 3, 3, 3, 3), IN_PERIOD),
        _rated(KCHT_PROCEDURE, first_officer, _scores(1, 1, 1, 1, 1), LATER),  # outside the period
    ]


def _by_code(rows) -> dict:
    return {row.code: row for row in rows}


def test_satisfaction_per_unit(demo, ratings, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = _by_code(satisfaction_by(group="unit", agency=demo, **PERIOD))
    assert set(rows) == {"QLVT", "KCHT"}
    qlvt, kcht = rows["QLVT"], rows["KCHT"]
    assert qlvt.count == 2 and qlvt.name.startswith("Phòng Quản lý vận tải")
    assert qlvt.factors == {"access": 50.0, "procedure": 100.0, "officer": 50.0, "result": 100.0, "feedback": 50.0}
    assert qlvt.overall == 70.0
    assert qlvt.satisfied == {"access": 1, "procedure": 2, "officer": 1, "result": 2, "feedback": 1}
    assert kcht.count == 1
    assert kcht.factors == {"access": 100.0, "procedure": 0.0, "officer": 0.0, "result": 0.0, "feedback": 0.0}
    assert kcht.overall == 20.0


def test_satisfaction_per_procedure(demo, ratings):
    rows = _by_code(satisfaction_by(group="procedure", agency=demo, **PERIOD))
    assert set(rows) == {QLVT_PROCEDURE, KCHT_PROCEDURE}
    assert rows[QLVT_PROCEDURE].overall == 70.0 and rows[QLVT_PROCEDURE].count == 2
    assert rows[KCHT_PROCEDURE].overall == 20.0


def test_satisfaction_per_receiving_officer(demo, ratings):
    rows = _by_code(satisfaction_by(group="officer", agency=demo, **PERIOD))
    assert set(rows) == {"motcua", "motcua2"}
    assert rows["motcua"].count == 2 and rows["motcua"].name == "Phạm Thu Dung"
    assert rows["motcua"].factors == {
        "access": 100.0,
        "procedure": 50.0,
        "officer": 50.0,
        "result": 50.0,
        "feedback": 50.0,
    }
    assert rows["motcua"].overall == 60.0
    assert rows["motcua2"].factors == {
        "access": 0.0,
        "procedure": 100.0,
        "officer": 0.0,
        "result": 100.0,
        "feedback": 0.0,
    }
    assert rows["motcua2"].overall == 40.0


def test_the_sql_figures_match_the_pure_rule(demo, ratings):
    total = satisfaction_total(agency=demo, **PERIOD)
    expected = indexes([r.scores() for r in ratings[:3]])
    assert total.count == 3
    assert total.factors == pytest.approx({f: expected[f] for f in FACTORS})
    assert total.overall == pytest.approx(expected["overall"])
    assert total.overall == pytest.approx(160 / 3)


def test_no_ratings_give_no_rows_and_no_index(demo):
    assert satisfaction_by(group="unit", agency=demo, **PERIOD) == []
    assert satisfaction_total(agency=demo, **PERIOD).overall is None


def test_an_unknown_grouping_is_refused(demo):
    with pytest.raises(ValueError):
        satisfaction_by(group="field", agency=demo)
