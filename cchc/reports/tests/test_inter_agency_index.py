"""An agency's service index counts its passages through other agencies' inter-agency (liên thông)
dossiers on indicator 2.1, each judged by its own due moment; the list behind the figure shows them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.dossiers.models import DossierSegment
from cchc.dossiers.tests.helpers import act, frozen, submit, user
from cchc.dossiers.tests.interagency import CODE, build_inter_agency_procedure
from cchc.reports.selectors import index_figures, indicator_items, make_scope


@pytest.fixture(autouse=True)
def _only_the_dossier_core(monkeypatch):
    from cchc.dossiers import hooks

    monkeypatch.setattr(hooks, "_guards", [])


def _to_department(dossier):
    dossier = act(dossier, "xa_a_motcua", "receive")
    dossier = act(dossier, "xa_a_motcua", "forward")
    dossier = act(dossier, "xa_a_truongphong", "assign", assignee="xa_a_chuyenvien")
    return act(dossier, "xa_a_chuyenvien", "forward")


def _decide(dossier):
    dossier = act(dossier, "chuyenvien", "forward")
    return act(dossier, "lanhdao", "approve")


def test_the_department_is_judged_on_its_passages_and_the_commune_on_its_dossiers(demo):
    procedure = build_inter_agency_procedure()
    department, commune = user("lanhdao").agency, procedure.agency
    quick = _to_department(submit(code=CODE))
    slow = _to_department(submit(code=CODE, key="second"))
    quick = _decide(quick)
    entered = DossierSegment.objects.get(dossier=slow, agency=department).entered_at
    with frozen(entered + timedelta(days=21)):
        slow = _decide(slow)
    left = DossierSegment.objects.filter(agency=department).values_list("left_at", flat=True)
    period = {
        "date_from": timezone.localdate(min(left)),
        "date_to": timezone.localdate(max(left)),
        "now": max(left) + timedelta(days=1),
    }

    scope = make_scope(agency=department, **period)
    on_time = index_figures(scope)["progress.on_time"]
    assert (on_time.numerator, on_time.denominator) == (1, 2)
    assert on_time.extra["breakdown"]["inter_agency"] == 2
    assert on_time.extra["breakdown"]["late_finished"] == 1
    _kind, rows = indicator_items(code="progress.on_time", part="denominator", scope=scope)
    assert set(rows) == {quick, slow}
    _kind, rows = indicator_items(code="progress.on_time", part="numerator", scope=scope)
    assert list(rows) == [quick]

    # The commune resolves both: they are in its figures as its own dossiers, not as passages.
    commune_figure = index_figures(make_scope(agency=commune, **period))["progress.on_time"]
    assert "inter_agency" not in commune_figure.extra["breakdown"]
    # A third agency takes no part: nothing of these dossiers in its figures.
    other = index_figures(make_scope(agency=user("xa_b_lanhdao").agency, **period))["progress.on_time"]
    assert other.denominator == 0
