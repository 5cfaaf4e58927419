"""An agency that takes part in another agency's inter-agency (liên thông) dossier is judged on its own
passage everywhere the figures are read: the deadline scan tells it when its passage falls late, the
dashboards count the late passage and the passages of each month as the index does, the statutory report
shows its passages in a table of their own, and the ranking reads the index that counts them."""

from calendar import monthrange
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cchc.dossiers.models import DossierSegment, Notification
from cchc.dossiers.services import deadlines_scan
from cchc.dossiers.tests.helpers import act, frozen, submit, user
from cchc.dossiers.tests.interagency import CODE, build_inter_agency_procedure
from cchc.reports.dashboards import late_by_agency, late_by_unit, missing_points
from cchc.reports.rankings import ranking
from cchc.reports.selectors import index_figures, make_scope
from cchc.reports.statutory import PASSAGE_TITLE, statutory_report, statutory_report_xlsx


@pytest.fixture(autouse=True)
def _only_the_dossier_core(monkeypatch):
    from cchc.dossiers import hooks

    monkeypatch.setattr(hooks, "_guards", [])


def _to_department(dossier):
    dossier = act(dossier, "xa_a_motcua", "receive")
    dossier = act(dossier, "xa_a_motcua", "forward")
    dossier = act(dossier, "xa_a_truongphong", "assign", assignee="xa_a_chuyenvien")
    dossier = act(dossier, "xa_a_chuyenvien", "forward")
    return act(dossier, "truongphong", "assign", assignee="chuyenvien")


def _decide(dossier):
    dossier = act(dossier, "chuyenvien", "forward")
    return act(dossier, "lanhdao", "approve")


@pytest.fixture
def waiting(demo):
    """A dossier of commune A held by the department, one minute after the department's due moment
    (the dossier's own deadline is later)."""
    build_inter_agency_procedure()
    dossier = _to_department(submit(code=CODE))
    segment = DossierSegment.objects.get(dossier=dossier, left_at__isnull=True)
    after = segment.due_at + timedelta(minutes=1)
    assert dossier.deadline_at > after
    return dossier, segment, after


@pytest.fixture
def two_passages(demo):
    """Two dossiers of commune A through the department: one passed on at once, one three weeks late."""
    procedure = build_inter_agency_procedure()
    department = user("lanhdao").agency
    quick = _decide(_to_department(submit(code=CODE)))
    slow = _to_department(submit(code=CODE, key="second"))
    entered = DossierSegment.objects.get(dossier=slow, agency=department).entered_at
    with frozen(entered + timedelta(days=21)):
        slow = _decide(slow)
    left = list(DossierSegment.objects.filter(agency=department).values_list("left_at", flat=True))
    return procedure.agency, department, quick, slow, min(left), max(left)


def test_a_passage_past_its_due_moment_is_told_to_the_agency_holding_it_once(waiting):
    dossier, segment, after = waiting
    before = segment.due_at - timedelta(minutes=1)
    assert deadlines_scan(now=before)["segments_late"] == 0

    counts = deadlines_scan(now=after)
    assert counts["segments_late"] == 1 and counts["late"] == 0  # the dossier itself is not late
    notices = Notification.objects.filter(dossier=dossier, kind="deadline.segment_late", channel="in_app")
    # The department's people on the open step: its assignee and the unit's head, not the commune's.
    assert sorted(notices.values_list("recipient__username", flat=True)) == ["chuyenvien", "truongphong"]
    assert all(segment.agency.name in n.subject and dossier.code in n.subject for n in notices)

    assert deadlines_scan(now=after + timedelta(hours=1))["segments_late"] == 0
    assert Notification.objects.filter(dossier=dossier, kind="deadline.segment_late").count() == notices.count() * 2


def test_a_passage_handed_on_in_time_is_never_told(waiting):
    dossier, segment, after = waiting
    _decide(dossier)
    deadlines_scan(now=after)
    # The department passed it on in time: nothing told about its passage (the commune's own return
    # passage, an hour's budget, may be late by then: that one is the commune's).
    subjects = Notification.objects.filter(dossier=dossier, kind="deadline.segment_late").values_list(
        "subject", flat=True
    )
    assert not [subject for subject in subjects if segment.agency.name in subject]


def test_the_dashboards_count_a_late_passage_for_the_agency_holding_it(waiting):
    dossier, segment, after = waiting
    department, commune = segment.agency, dossier.agency
    rows = late_by_unit(agency=department, now=after)
    assert [(row["unit"].agency_id, row["late"]) for row in rows] == [(department.pk, 1)]
    assert "truongphong" in [head.username for head in rows[0]["heads"]]
    assert sum(row["late"] for row in late_by_unit(agency=commune, now=after)) == 0
    province = {row["name"]: row["late"] for row in late_by_agency(now=after)}
    assert province.get(department.name) == 1 and commune.name not in province
    # Before the due moment nothing is late anywhere.
    assert late_by_unit(agency=department, now=segment.due_at - timedelta(minutes=1)) == []


def test_the_trend_counts_the_passages_of_each_month_as_the_index_does(two_passages):
    _commune, department, _quick, _slow, first, last = two_passages
    now = last + timedelta(days=1)
    months = sorted({(m.year, m.month) for m in (timezone.localdate(first), timezone.localdate(last))})
    counted = 0
    for year, month in months:
        last_day = date(year, month, monthrange(year, month)[1])
        scope = make_scope(agency=department, date_from=date(year, month, 1), date_to=last_day, now=now)
        figure = index_figures(scope)["progress.on_time"]
        point = missing_points(scope, [(year, month)])[(year, month)]
        assert (point["on_time"], point["counted"]) == (figure.numerator, figure.denominator)
        counted += point["counted"]
    assert counted >= 2  # both passages are in the department's trend


def test_the_statutory_report_shows_the_passages_apart_and_each_dossier_once(two_passages):
    commune, department, _quick, _slow, first, last = two_passages
    with frozen(last + timedelta(days=1)):
        report = statutory_report(
            agency=department, period_start=timezone.localdate(first), period_end=timezone.localdate(last)
        )
        commune_report = statutory_report(
            agency=commune, period_start=timezone.localdate(first), period_end=timezone.localdate(last)
        )
    assert [row.code for row in report.passages] == [CODE]
    passages = report.passages_total
    assert (passages.received, passages.left, passages.left_late, passages.still_open) == (2, 2, 1, 0)
    assert passages.left_early + passages.left_on_time == 1 and passages.balanced
    # Not in the department's own table: the commune resolves both and reports them there.
    assert CODE not in [row.code for group in report.groups for row in group.rows]
    assert CODE in [row.code for group in commune_report.groups for row in group.rows]
    assert commune_report.passages == ()

    sheet = load_workbook(BytesIO(statutory_report_xlsx(report))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert str(PASSAGE_TITLE) in values and CODE in values


def test_the_ranking_reads_the_department_passages(two_passages):
    _commune, department, _quick, _slow, first, last = two_passages
    day = timezone.localdate(last)
    with frozen(last + timedelta(days=1)):
        rows = {row.agency.pk: row for row in ranking(level="department", year=day.year, month=day.month)}
        scope = make_scope(agency=department, date_from=day.replace(day=1), date_to=day, now=last + timedelta(days=1))
        figure = index_figures(scope)["progress.on_time"]
    assert figure.denominator >= 1  # the late passage, at least, is in the month's figure
    assert figure.numerator < figure.denominator
    assert department.pk in rows


def test_the_department_desk_flags_the_dossier_late_on_its_passage(waiting, client):
    from django.urls import reverse

    dossier, segment, after = waiting
    url = reverse("dossiers:office_home")

    def desk(username, moment, tab):
        with frozen(moment):
            client.force_login(user(username))  # signed in at that moment (staff sessions expire when idle)
            response = client.get(url, {"muc": tab})
        assert response.status_code == 200
        return response.content.decode()

    html = desk("truongphong", segment.due_at - timedelta(minutes=1), "tat-ca")
    assert dossier.code in html and 'class="row-late"' not in html
    html = desk("truongphong", after, "qua-han")
    assert dossier.code in html and 'class="row-late"' in html
    # The commune's desk: the dossier is not late against its own deadline yet.
    html = desk("xa_a_lanhdao", after, "tat-ca")
    assert dossier.code in html and 'class="row-late"' not in html
