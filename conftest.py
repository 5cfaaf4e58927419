"""Fixtures shared by the whole suite."""

import os

import pytest
from hypothesis import HealthCheck, settings

# Timing deadlines would make properties flaky on a loaded two-core CI machine.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    # Deselect with `-m "not slow"` while working; `make test` and CI run them.
    config.addinivalue_line("markers", "slow: takes more than a few seconds (a real OCR run, …)")


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
    # Named as the suite's demo department (the single-agency demo the tests load).
    make_demo_certificate(path, SIGNING_PASSWORD, agency="Sở Giao thông vận tải tỉnh Bình Sơn")
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


class OutboundHttp(list):
    """Every request the providers sent during a test: (method, url, body, headers)."""

    def to(self, fragment: str) -> list:
        return [call for call in self if fragment in call[1]]


@pytest.fixture(autouse=True)
def simulated_http(monkeypatch, settings):
    """No network in the suite: provider calls to this site (the local simulators, at
    `CCHC_PUBLIC_URL` or the test client's host) are answered through Django's test client;
    a live server's own address (browser journeys) is reached for real; anything else fails."""
    from urllib.parse import urlsplit

    from django.test import Client

    from cchc.core import http

    calls = OutboundHttp()
    real = http._urlopen
    local_hosts = {"testserver", urlsplit(settings.CCHC_PUBLIC_URL).netloc}

    def transport(method, url, body, headers, timeout):
        calls.append((method, url, body, headers))
        parts = urlsplit(url)
        if parts.netloc not in local_hosts:
            if parts.hostname in ("127.0.0.1", "localhost"):
                return real(method, url, body, headers, timeout)  # a live server started by the test
            raise AssertionError(f"a test tried to reach {url}")
        client = Client(HTTP_HOST=parts.netloc)
        path = parts.path + ("?" + parts.query if parts.query else "")
        extra = {"HTTP_" + key.upper().replace("-", "_"): value for key, value in headers.items()}
        content_type = extra.pop("HTTP_CONTENT_TYPE", "application/octet-stream")
        response = client.generic(method, path, data=body or b"", content_type=content_type, **extra)
        return http.HttpAnswer(response.status_code, response.content, dict(response.headers.items()))

    monkeypatch.setattr(http, "transport", transport)
    return calls


@pytest.fixture
def live_simulators(live_server, settings):
    """The national-system simulators as a live server serves them, reached over real HTTP (browser journeys)."""
    settings.CCHC_PUBLIC_URL = live_server.url
    settings.CCHC_SIMULATORS = True
    return live_server.url
