"""Fixtures shared by the whole suite."""

import pytest


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
