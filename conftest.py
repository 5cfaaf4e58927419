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
    import time
    from types import SimpleNamespace

    from cchc.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0, monotonic=time.monotonic))


class OutboundHttp(list):
    """Every request the providers sent during a test: (method, url, body, headers)."""

    simulator_emptied = False  # the simulator server was emptied for this test

    def to(self, fragment: str) -> list:
        return [call for call in self if fragment in call[1]]


# ---------------------------------------------------------------- the simulator server

# The simulator server's address as the suite's settings name it (config/settings/test.py): the
# transport below sends what goes there to the real server, started on first use on a free port.
SIMULATOR_HOST = "simulators.test"


class SimulatorServer:
    """The simulator server (`python -m cchc.simulators`), one per test process, reached over HTTP.

    Requests to `http://simulators.test/…` go to it with that Host header, so the addresses it
    builds (the issuer, the payment page) stay the ones the settings name. Callbacks to CCHC are held
    (`SIMULATOR_DELIVER_CALLBACKS` off): `deliver(client)` hands them to CCHC through the test client;
    `live(url)` lets the server send them itself to a live server."""

    def __init__(self, workdir):
        import subprocess
        import sys

        from django.conf import settings

        from cchc.core.management.commands.run_simulators import simulator_environment

        env = {
            **os.environ,
            **simulator_environment(merchant_url="http://testserver", database=str(workdir / "simulators.sqlite3")),
            "SIMULATOR_DELIVER_CALLBACKS": "false",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cchc.simulators", "--host", "127.0.0.1", "--port", "0"],
            cwd=str(settings.BASE_DIR),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.process.kill()
            raise RuntimeError(f"the simulator server did not start: {line!r}")
        self.url = line.removeprefix("listening on ")
        self.delivered: set[int] = set()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()

    # -- the tester's side
    def _control(self, method: str, path: str, **kwargs):
        import requests

        response = requests.request(method, self.url + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self._control("POST", "/_sim/reset")
        self._control("POST", "/_sim/config", json={"cchc_url": "http://testserver", "deliver": False})
        self.delivered.clear()

    def live(self, cchc_url: str) -> None:
        """The merchant is a live server: the simulator calls it back itself."""
        self._control("POST", "/_sim/config", json={"cchc_url": cchc_url, "deliver": True})

    def callbacks(self, **filters) -> list[dict]:
        return self._control("GET", "/_sim/callbacks", params=filters)["callbacks"]

    def transactions(self, **filters) -> list[dict]:
        return self._control("GET", "/_sim/transactions", params=filters)["transactions"]

    def receipts(self, **filters) -> list[dict]:
        return self._control("GET", "/_sim/receipts", params=filters)["receipts"]

    def messages(self, **filters) -> list[dict]:
        return self._control("GET", "/_sim/messages", params=filters)["messages"]

    def set_down(self, service: str, down: bool = True) -> None:
        """Take DVCQG or VNPost down (their APIs answer 503) or bring it back up."""
        self._control("POST", "/_sim/down", json={"service": service, "down": down})

    def dvcqg_dossier(self, national_code: str) -> dict | None:
        """What the simulated portal holds of one dossier (`{"dossier": …, "steps": […]}`), or None."""
        held = self._control("GET", "/_sim/dvcqg/dossiers", params={"code": national_code})["dossiers"]
        return held[0]["data"] if held else None

    def dvcqg_lodge(self, **fields) -> None:
        """A citizen lodges a dossier on the national portal (agency_code, national_code, procedure_code, …)."""
        self._control("POST", "/_sim/dvcqg/lodge", json=fields)

    def vnpost_orders(self) -> list[dict]:
        return self._control("GET", "/_sim/vnpost/orders")["orders"]

    def browse(self, method: str, url: str, data: dict | None = None):
        """What a browser does on a simulator page (`url` as CCHC gave it); redirects are not followed."""
        from urllib.parse import urlsplit

        import requests

        parts = urlsplit(url)
        target = (self.url if parts.netloc == SIMULATOR_HOST else f"{parts.scheme}://{parts.netloc}") + parts.path
        return requests.request(
            method,
            target + ("?" + parts.query if parts.query else ""),
            data=data,
            headers={"Host": parts.netloc},
            allow_redirects=False,
            timeout=30,
        )

    def deliver(self, client) -> list:
        """Hand the held callbacks (IPN, results, delivery reports) to CCHC through the test client,
        oldest first."""
        from urllib.parse import urlsplit

        responses = []
        for callback in self.callbacks(status="held"):
            if callback["id"] in self.delivered:
                continue
            self.delivered.add(callback["id"])
            parts = urlsplit(callback["url"])
            path = parts.path + ("?" + parts.query if parts.query else "")
            headers = {"HTTP_" + key.upper().replace("-", "_"): value for key, value in callback["headers"].items()}
            if callback["method"] == "GET":
                responses.append(client.get(path, **headers))
            else:
                body = callback["body"].encode()
                responses.append(
                    client.generic("POST", path, data=body, content_type=callback["content_type"], **headers)
                )
        return responses


_SIMULATOR_SERVER: list[SimulatorServer] = []


def simulator_server_started(tmp_path_factory=None) -> SimulatorServer:
    """The test process's simulator server, started on first use and stopped at exit."""
    if not _SIMULATOR_SERVER:
        import atexit
        import tempfile
        from pathlib import Path

        workdir = Path(tempfile.mkdtemp(prefix="cchc-simulators-"))
        server = SimulatorServer(workdir)
        atexit.register(server.stop)
        _SIMULATOR_SERVER.append(server)
    return _SIMULATOR_SERVER[0]


@pytest.fixture
def simulator(simulated_http) -> SimulatorServer:
    """The simulator server, emptied for this test."""
    server = simulator_server_started()
    server.reset()
    simulated_http.simulator_emptied = True
    return server


@pytest.fixture(autouse=True)
def simulated_http(monkeypatch, settings):
    """No network in the suite: provider calls to the simulator server (`http://simulators.test`)
    reach the real one (started on first use; emptied once per test); calls to this site (at
    `CCHC_PUBLIC_URL` or the test client's host) are answered through Django's test client; a live
    server's own address (browser journeys) is reached for real; anything else fails."""
    from urllib.parse import urlsplit

    from django.test import Client

    from cchc.core import http

    calls = OutboundHttp()
    real = http._urlopen
    local_hosts = {"testserver", urlsplit(settings.CCHC_PUBLIC_URL).netloc}

    def transport(method, url, body, headers, timeout):
        calls.append((method, url, body, headers))
        parts = urlsplit(url)
        path = parts.path + ("?" + parts.query if parts.query else "")
        if parts.netloc == SIMULATOR_HOST:
            server = simulator_server_started()
            if not calls.simulator_emptied:
                server.reset()
                calls.simulator_emptied = True
            return real(method, server.url + path, body, {**headers, "Host": SIMULATOR_HOST}, timeout)
        if parts.netloc not in local_hosts:
            if parts.hostname in ("127.0.0.1", "localhost"):
                return real(method, url, body, headers, timeout)  # a live server started by the test
            raise AssertionError(f"a test tried to reach {url}")
        client = Client(HTTP_HOST=parts.netloc)
        extra = {"HTTP_" + key.upper().replace("-", "_"): value for key, value in headers.items()}
        content_type = extra.pop("HTTP_CONTENT_TYPE", "application/octet-stream")
        response = client.generic(method, path, data=body or b"", content_type=content_type, **extra)
        return http.HttpAnswer(response.status_code, response.content, dict(response.headers.items()))

    monkeypatch.setattr(http, "transport", transport)
    return calls


@pytest.fixture
def live_simulators(live_server, settings, simulator):
    """The simulator server and this site as a live server, both reached over real HTTP (browser
    journeys): the browser goes to the simulator's pages, which call the live site back."""
    server = simulator
    server.live(live_server.url)
    settings.CCHC_PUBLIC_URL = live_server.url
    settings.CCHC_SIMULATORS = True
    settings.CCHC_SIMULATOR_URL = server.url
    # The pay button and VNeID's sign-in are redirected to the simulator's origin (a form-action).
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        policy = getattr(settings, name)
        if policy:
            directives = {**policy["DIRECTIVES"]}
            directives["form-action"] = [*directives.get("form-action", []), server.url]
            setattr(settings, name, {**policy, "DIRECTIVES": directives})
    yield live_server.url
    server.reset()
