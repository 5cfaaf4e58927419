"""The API keeps its OpenAPI contract under generated input (Schemathesis): unauthenticated, as a
citizen and as a one-stop officer. No 5xx, every status declared, every body matching its schema.

Examples per operation: `CCHC_CONTRACT_EXAMPLES` (small by default so a local run stays quick;
.ci/run sets a larger sweep). Generation is derandomised, so a failure reproduces.
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("CCHC_CONTRACT_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema():
    """The schema the API publishes at /api/v1/openapi.json, called in-process through WSGI."""
    from config.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes the database connection around every WSGI request; inside a test's transaction
    that would close the test's own connection (Django's test client disconnects the same handler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(demo) -> dict[str, dict]:
    """Each generated request is sent as nobody, as a citizen and as a one-stop officer. (Tokens come
    from the service: Django's test client would reconnect the handler the fixture above detaches.)"""
    from cchc.accounts.models import User
    from cchc.accounts.services import api_token_create

    headers = {"anonymous": {}}
    for username in ("congdan", "motcua"):
        token = api_token_create(user=User.objects.get(username=username))
        headers[username] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, callers):
    for headers in callers.values():
        cache.clear()  # rate limits would answer 429 to a sweep this fast
        case.call_and_validate(headers=headers, checks=CHECKS)
