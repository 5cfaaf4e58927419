"""One answer for "late" in every report, dashboard and list (issue 15, item 3)."""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest

from cchc.core.calendar import VN_TZ
from cchc.dossiers.models import Dossier
from cchc.dossiers.selectors import dossiers_late
from cchc.dossiers.tests.helpers import act, frozen, submit
from cchc.procedures.models import Procedure
from cchc.procedures.selectors import agency_calendar
from cchc.reports.dashboards import late_by_unit, units_ranked
from cchc.reports.selectors import make_scope, service_index
from cchc.reports.statutory import statutory_report

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
LATER = datetime(2026, 4, 20, 10, 0, tzinfo=VN_TZ)


@pytest.fixture(autouse=True)
def _no_fee_guard(monkeypatch):
    """The fee before reception is the payments app's business, not this rule's."""
    from cchc.dossiers import hooks

    monkeypatch.setattr(hooks, "_guards", [])


def _on_time(result) -> dict:
    return next(i for g in result["groups"] for i in g["indicators"] if i["code"] == "progress.on_time")


@pytest.fixture
def apologised(demo):
    """Received Monday 09/03/2026 08:00 (5 working days: due 16/03 08:00); on 10/03 the leader
    apologises with a new appointment two working days later (18/03 08:00); the result is ready
    on 17/03 10:00, after the original appointment and before the new one."""
    with frozen(datetime(2026, 3, 9, 8, 0, tzinfo=VN_TZ)):
        dossier = act(submit(), "motcua", "receive")
    original = dossier.due_at
    assert original == datetime(2026, 3, 16, 8, 0, tzinfo=VN_TZ)
    new_due = agency_calendar(demo).add_working_hours(original, 16)
    with frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VN_TZ)):
        dossier = act(dossier, "motcua", "forward")
        dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
        dossier = act(dossier, "chuyenvien", "forward", comment="Đủ điều kiện")
        dossier = act(dossier, "truongphong", "forward")
        dossier = act(dossier, "lanhdao", "apologize", comment="Chờ ý kiến phối hợp", new_due_at=new_due)
    assert dossier.due_at == new_due and dossier.deadline_at == original
    return dossier


def test_an_apologised_dossier_is_late_against_its_original_appointment_everywhere(apologised, demo):
    """Issue 15 item 3 (domain.md §4: the apology is what a late office owes, one new appointment
    at most; legal-details.md §1.2 indicator 2.1 [S]): the statutory report and the 766 index
    judged the same dossier differently (new appointment vs original). Both now judge against the
    original appointment, and the statutory report counts the apology in its own column."""
    between = datetime(2026, 3, 17, 10, 0, tzinfo=VN_TZ)
    # Open between the two appointments: late on the desk and on the leader's dashboard.
    assert list(dossiers_late(now=between)) == [apologised]
    assert sum(row["late"] for row in late_by_unit(agency=demo, now=between)) == 1
    with frozen(between):
        dossier = act(Dossier.objects.get(pk=apologised.pk), "lanhdao", "approve")
        dossier = act(dossier, "motcua", "result_ready")
    assert dossier.finished_at < dossier.due_at  # met the new appointment

    with mock.patch("django.utils.timezone.now", return_value=LATER):
        report = statutory_report(agency=demo, period_start=MARCH[0], period_end=MARCH[1])
    assert (report.total.finished_late, report.total.finished_on_time, report.total.finished_early) == (1, 0, 0)
    assert report.total.apologised == 1

    procedure = Procedure.objects.get(code="1.000010")
    on_time = _on_time(service_index(date_from=MARCH[0], date_to=MARCH[1], procedure=procedure, now=LATER))
    assert (on_time["numerator"], on_time["denominator"]) == (0, 1)
    assert on_time["breakdown"]["apologised"] == 1

    ranked = units_ranked(make_scope(date_from=MARCH[0], date_to=MARCH[1], agency=demo, now=LATER))
    assert [(row["on_time"], row["late"]) for row in ranked] == [(0, 1)]


def test_an_open_apologised_dossier_is_late_in_the_statutory_report_too(apologised, demo):
    """Still open after its original appointment: "đang giải quyết – quá hạn" in the statutory
    report as in the index, though the new appointment has not come yet."""
    moment = datetime(2026, 3, 17, 10, 0, tzinfo=VN_TZ)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        report = statutory_report(agency=demo, period_start=MARCH[0], period_end=MARCH[1])
    assert (report.total.open_late, report.total.open_within, report.total.apologised) == (1, 0, 1)
    on_time = _on_time(service_index(date_from=MARCH[0], date_to=MARCH[1], agency=demo, now=moment))
    assert on_time["breakdown"]["late_open"] == 1


def test_a_supplementation_pause_moves_the_deadline_but_an_apology_does_not(demo):
    """domain.md §4: the due moment moves by the working time spent waiting for supplementation;
    the apology's new appointment is not a new deadline."""
    with frozen(datetime(2026, 3, 9, 8, 0, tzinfo=VN_TZ)):
        dossier = act(submit(), "motcua", "receive")
        dossier = act(dossier, "motcua", "forward")
        dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
    with frozen(datetime(2026, 3, 10, 8, 0, tzinfo=VN_TZ)):
        dossier = act(dossier, "chuyenvien", "request_supplement", comment="Thiếu", items=["Bản sao"])
    with frozen(datetime(2026, 3, 11, 8, 0, tzinfo=VN_TZ)):
        dossier = act(dossier, "congdan", "supplement")
    waited = datetime(2026, 3, 16, 8, 0, tzinfo=VN_TZ) + timedelta(days=1)  # one working day: Tuesday 17/03
    assert dossier.deadline_at == dossier.due_at == waited
