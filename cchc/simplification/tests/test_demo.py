"""The demo round: loaded through the services, shaped on the worked case, idempotent."""

from decimal import Decimal

from cchc.audit.models import AuditEvent
from cchc.simplification import selectors
from cchc.simplification.demo import DEMO_ROUND, load_demo_simplification
from cchc.simplification.models import ProcedureReview, ProposedChange, ReviewRound

from .conftest import user


def test_the_demo_round_loads_once_with_the_worked_case(demo):
    created = load_demo_simplification(demo)
    round = ReviewRound.objects.get(name=DEMO_ROUND)
    assert round.year == 2026 and round.is_open and round.agency == demo
    assert round.reviews.count() == 4 and ProposedChange.objects.filter(review__round=round).count() == 6
    assert created == 1 + 4 + 6
    licence = round.reviews.get(procedure__code="1.000010")
    figures = selectors.review_figures(licence)
    assert (figures.before.total, figures.after.total, figures.saving_percent) == (1_024_000, 231_000, Decimal("77.44"))
    assert licence.status == ProcedureReview.Status.CONCLUDED
    assert licence.volume == 18_500  # no dossiers in the test database: the catalogue's yearly figure, with its reason
    assert "danh mục" in licence.volume_override_reason
    _rows, totals = selectors.round_figures(user=user("lanhdao"), round=round)
    assert totals.procedures == 4 and totals.annual_saving > 0

    events = AuditEvent.objects.count()
    assert load_demo_simplification(demo) == 0
    assert ReviewRound.objects.count() == 1 and ProposedChange.objects.count() == 6
    assert AuditEvent.objects.count() == events
