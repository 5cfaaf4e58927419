"""Fixtures shared by the whole suite."""

import os

import pytest
from hypothesis import HealthCheck, settings

# Timing deadlines would make properties flaky on a loaded two-core CI machine.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo catalogue once per test database: most tests read it."""
    from cchc.demo.loader import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def demo(db):
    """The demo organisation, accounts and catalogue (reloaded if a transactional test flushed them)."""
    from cchc.accounts.models import Agency
    from cchc.demo.loader import DEMO_AGENCY_CODE, load_demo
    from cchc.procedures.models import Procedure

    if not Procedure.objects.exists():
        load_demo()
    return Agency.objects.get(code=DEMO_AGENCY_CODE)
