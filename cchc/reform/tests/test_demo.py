"""The demo PAR Index: 2025 appraised at about 76 points, 2026 partly self-assessed; loading twice changes nothing."""

from decimal import Decimal

from cchc.audit.models import AuditEvent
from cchc.reform import selectors
from cchc.reform.demo import load_demo_reform
from cchc.reform.models import Criterion, Evidence, ParYear


def test_the_demo_loads_two_years_once(demo, no_live_values):
    assert load_demo_reform(demo) > 0
    events, evidence = AuditEvent.objects.count(), Evidence.objects.count()
    assert load_demo_reform(demo) == 0
    assert AuditEvent.objects.count() == events and Evidence.objects.count() == evidence

    past = selectors.par_index(par_year=ParYear.objects.get(agency=demo, year=2025), indicator_values={})
    assert Decimal(75) <= past.appraised_total <= Decimal(77) and past.appraised_band == "Khá"
    assert past.par_year.appraised_on is not None

    current = ParYear.objects.get(agency=demo, year=2026)
    assert current.appraised_on is None
    assert Criterion.objects.filter(par_year=current, method="self", self_score__isnull=True, children=None).exists()
    # With live figures like those of the demo dossiers, 2026 is in the high 70s: short of 80.
    values = {
        "transparency.published": 100.0,
        "progress.on_time": 85.5,
        "progress.average_time": 96.2,
        "online.procedures": 92.7,
        "online.dossiers": 62.4,
        "payment.dossiers": 66.7,
        "digitisation.electronic_result": 0.0,
        "digitisation.digitised": 100.0,
        "digitisation.reused": 0.0,
        "satisfaction.complaints": None,
        "satisfaction.satisfaction": 85.5,
    }
    result = selectors.par_index(par_year=current, indicator_values=values)
    assert Decimal(75) <= result.projected_total < Decimal(80) and result.gap > 0


def test_the_shortcomings_of_the_appraised_year_come_most_first(demo, no_live_values):
    load_demo_reform(demo)
    lost = selectors.criteria_lost_at_appraisal(par_year=ParYear.objects.get(agency=demo, year=2025))
    assert [points for _c, points in lost] == sorted((points for _c, points in lost), reverse=True)
    assert lost[0][0].code == "8.1" and lost[0][1] == Decimal(2)  # 8 of 10 in the SIPAS survey
    assert sum(points for _c, points in lost) == Decimal(24)
    assert selectors.criteria_lost_at_appraisal(par_year=ParYear.objects.get(agency=demo, year=2026)) == []
