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
        _sqlite_audit_triggers(create=True)


SIGNING_PASSWORD = "test-only-pass"  # noqa: S105 - a throwaway certificate's


@pytest.fixture(scope="session")
def agency_p12(tmp_path_factory):
    """A throwaway agency certificate (PKCS#12), made once per test session."""
    from cchc.results.certificates import make_demo_certificate

    path = tmp_path_factory.mktemp("signing") / "agency.p12"
    make_demo_certificate(path, SIGNING_PASSWORD)
    return path


@pytest.fixture
def signing(settings, agency_p12):
    """Tests sign with their own certificate, never the installation's."""
    settings.CCHC_SIGNING_P12_PATH = str(agency_p12)
    settings.CCHC_SIGNING_P12_PASSWORD = SIGNING_PASSWORD
    return agency_p12


@pytest.fixture
def demo(db):
    """The demo organisation, accounts and catalogue (reloaded if a transactional test flushed them)."""
    from cchc.accounts.models import Agency
    from cchc.demo.loader import DEMO_AGENCY_CODE, load_demo
    from cchc.procedures.models import Procedure

    if not Procedure.objects.exists():
        load_demo()
    return Agency.objects.get(code=DEMO_AGENCY_CODE)


def _sqlite_audit_triggers(*, create: bool) -> None:
    """SQLite empties tables with DELETE after a transactional test, which the audit log's
    append-only triggers refuse; the suite lifts them for that flush and restores them."""
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    triggers = import_module("cchc.audit.migrations.0002_append_only_triggers")
    statements = (
        [sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1) for sql in triggers.SQLITE_CREATE]
        if create
        else triggers.SQLITE_DROP
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _audit_triggers_survive_flush(request):
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    _sqlite_audit_triggers(create=True)
    yield
    _sqlite_audit_triggers(create=False)


@pytest.fixture(autouse=True)
def _one_rate_limit_window(monkeypatch):
    """Rate limits count per wall-clock minute; on a loaded machine a test could straddle two
    windows and see its count start afresh. Tests that need the window to move set their own."""
    from types import SimpleNamespace

    from cchc.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))


class _DjangoClientAdapter:
    """A `requests` transport that answers through Django's test client: the suite speaks each national
    system's HTTP protocol to its simulator (cchc.core.integrations) without a socket. Every request is
    recorded as (method, url, headers, body)."""

    def __init__(self, sent: list):
        from django.test import Client

        self.client = Client(raise_request_exception=True)
        self.sent = sent

    def send(self, request, **kwargs):
        from urllib.parse import urlsplit

        import requests

        parts = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        self.sent.append((request.method, request.url, dict(request.headers), body))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("content-type", "content-length")}
        answer = self.client.generic(
            request.method,
            parts.path + (f"?{parts.query}" if parts.query else ""),
            data=body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            headers=headers,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


@pytest.fixture
def simulated_http(monkeypatch):
    """Calls to national systems reach their local simulators (the list records what was sent)."""
    import requests

    from cchc.core import integrations

    sent: list = []
    real = integrations.http_session

    def session():
        s = real()
        adapter = _DjangoClientAdapter(sent)
        s.mount("http://", adapter)
        s.mount("https://", adapter)
        return s

    monkeypatch.setattr(integrations, "http_session", session)
    assert isinstance(real(), requests.Session)
    return sent


@pytest.fixture(autouse=True)
def _no_network_to_national_systems(request, monkeypatch):
    """No test reaches a real national system: without `simulated_http` (or `live_simulators`, for browser
    journeys whose simulators are served by the live server) every call is refused."""
    if {"simulated_http", "live_simulators"} & set(request.fixturenames):
        return

    from cchc.core import integrations

    def refuse():
        raise AssertionError("a test tried to reach a national system without the simulated_http fixture")

    monkeypatch.setattr(integrations, "http_session", refuse)


@pytest.fixture
def live_simulators(live_server, settings):
    """The simulators as the live server serves them, reached over real HTTP (browser journeys)."""
    settings.CCHC_PUBLIC_URL = live_server.url
    settings.CCHC_SIMULATORS = True
    return live_server.url
