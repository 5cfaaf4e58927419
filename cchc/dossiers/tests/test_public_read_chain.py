"""The public status lookup through the WSGI application (cchc.core.lean): the short middleware chain
answers it as the whole chain does, with the same security headers, Host check and rate limit, and
its one query is prepared on PostgreSQL."""

import json

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory

from cchc.core import lean
from cchc.dossiers.selectors import dossier_public_status_row

from .helpers import act, submit

PATH = "/api/v1/dossiers/{code}/status"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def app():
    return lean.with_public_reads(WSGIHandler())


@pytest.fixture
def dossier(demo):
    return act(submit(), "motcua", "receive")


def call(app, path: str, method: str = "GET", **environ) -> tuple[int, dict, bytes]:
    """One request through the WSGI application, as the server makes it."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    # As Django's test client does: the test's transaction keeps its connection across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = app(RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD=method, **environ), start_response)
        body = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def test_the_short_chain_keeps_every_middleware_but_the_session_and_user_ones(settings):
    chain = lean.public_read_middleware()
    assert [m for m in settings.MIDDLEWARE if m not in chain] == [m for m in settings.MIDDLEWARE if m in lean.SKIPPED]
    for kept in (
        "django.middleware.security.SecurityMiddleware",
        "cchc.core.csp.SiteCSPMiddleware",
        "django.middleware.common.CommonMiddleware",
        "cchc.core.middleware.ApiGuardMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "cchc.core.observability.RequestIdMiddleware",
    ):
        assert kept in chain
    assert not any("session" in m.lower() or "auth" in m.lower() for m in chain)


def test_only_reads_of_the_public_status_take_the_short_chain():
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": PATH.format(code="X-1")}
    assert lean.is_public_read(environ)
    assert not lean.is_public_read({**environ, "REQUEST_METHOD": "POST"})
    assert not lean.is_public_read({**environ, "PATH_INFO": "/api/v1/dossiers/X-1"})
    assert not lean.is_public_read({**environ, "PATH_INFO": "/api/v1/dossiers/X-1/status/extra"})


def test_the_lookup_answers_with_the_site_headers_and_sets_no_cookie(app, dossier, client):
    status, headers, body = call(app, PATH.format(code=dossier.code))
    assert status == 200
    data = json.loads(body)
    assert data["code"] == dossier.code and data["status"] == "received"
    assert data == client.get(PATH.format(code=dossier.code)).json()  # the whole chain's answer
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Request-ID"]
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")


def test_an_unknown_code_is_the_json_404(app, demo):
    status, _headers, body = call(app, PATH.format(code="KHONG-CO"))
    assert status == 404
    assert json.loads(body)["code"] == "dossier_not_found"


def test_a_foreign_host_is_refused_on_the_short_chain_too(app, dossier):
    status, _headers, body = call(app, PATH.format(code=dossier.code), HTTP_HOST="evil.example")
    assert status == 400
    assert b"received" not in body


def test_the_rate_limit_still_applies(app, dossier, settings):
    settings.CCHC_LOOKUP_RATE_PER_MINUTE = 2
    answers = [call(app, PATH.format(code=dossier.code))[0] for _ in range(3)]
    assert answers == [200, 200, 429]


def test_other_methods_go_through_the_whole_chain(app, dossier):
    status, headers, body = call(app, PATH.format(code=dossier.code), method="POST")
    assert status == 405
    assert headers["Content-Type"].startswith("application/json")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_lookup_query_is_prepared_on_its_connection(dossier):
    first = dossier_public_status_row(code=dossier.code)
    assert dossier_public_status_row(code=dossier.code) == first
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("dossiers_dossierevent" in statement for statement in prepared), prepared
