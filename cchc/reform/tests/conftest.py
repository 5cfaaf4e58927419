import pytest
from django.core.cache import cache

from cchc.accounts.models import Agency
from cchc.dossiers.tests.helpers import user
from cchc.reform import criteria_file
from cchc.reform.services import par_year_load

YEAR = 2026


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Live indicator values are cached per agency and period: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_live_values(monkeypatch):
    """Computed criteria measure nothing (their indicators have no data), unless a test says otherwise."""
    values: dict[str, float | None] = {}
    monkeypatch.setattr("cchc.reform.selectors.live_indicator_values", lambda **kwargs: values)
    return values


@pytest.fixture
def par_year(demo, no_live_values):
    """The sample template loaded for the demo agency's 2026."""
    return par_year_load(
        agency=demo,
        year=YEAR,
        data=criteria_file.SAMPLE_TEMPLATE.read_bytes(),
        filename="par_template_sample.yaml",
        actor=user("cchc"),
    )


@pytest.fixture
def other_agency(demo):
    return Agency.objects.get(code="000.00.10.H99")
