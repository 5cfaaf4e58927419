"""The demo of the reform work: PAR Index years, the plan and commitments, a review round,
initiatives and news. Loaded after the demo dossiers and the demo certificate (commitments are
countersigned with it; initiatives and reviews measure the dossiers), and never into the test
database, whose tests make their own."""

from django.db import transaction

from cchc.accounts.models import Agency

from .loader import DEMO_AGENCY_CODE


def load_reform_demo() -> dict[str, int]:
    """Each part's loader is idempotent: a second run returns zeros and changes nothing."""
    from cchc.initiatives.demo import load_demo_initiatives
    from cchc.news.demo import load_demo_news
    from cchc.plans.demo import load_demo_plans
    from cchc.reform.demo import load_demo_reform
    from cchc.simplification.demo import load_demo_simplification

    agency = Agency.objects.get(code=DEMO_AGENCY_CODE)
    while agency.successor_id is not None:  # merged (the demo province): its successor carries the work on
        agency = agency.successor
    loaders = (
        # The plan's remediation tasks come from the PAR Index's 2025 appraisal: reform first.
        ("reform", load_demo_reform),
        ("plans", load_demo_plans),
        ("simplification", load_demo_simplification),
        ("initiatives", load_demo_initiatives),
        ("news", load_demo_news),
    )
    result = {}
    for name, loader in loaders:
        with transaction.atomic():
            result[name] = loader(agency)
    return result
