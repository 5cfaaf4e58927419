"""`bin/run` (what `make run` ends with): gunicorn, the worker and the scheduler under supervisord.
A crashed web server is started again; SIGTERM stops everything within 10 seconds."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append((int(entry.name), command))
    return found


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def running(tmp_path):
    port = _free_port()
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHON": sys.executable,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "CCHC_VAR_DIR": str(tmp_path),
        "WEB_CONCURRENCY": "1",
    }
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(["bin/run"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, port
    finally:
        if process.poll() is None:
            for pid, _command in _children(process.pid):
                os.killpg(pid, signal.SIGKILL)
            process.kill()
        process.wait()
        log.close()


def test_a_crashed_web_server_is_restarted_and_sigterm_stops_everything_within_ten_seconds(running):
    process, port = running
    assert _wait(lambda: _healthy(port), 90), "gunicorn never answered /healthz"
    [(web, _)] = [child for child in _children(process.pid) if "gunicorn" in child[1]]

    os.killpg(web, signal.SIGKILL)  # the master and its workers, as an out-of-memory kill would
    assert _wait(lambda: not _healthy(port), 10)
    assert _wait(lambda: _healthy(port), 90), "the web server was not started again"
    assert process.poll() is None, "the supervisor stopped with the web server"
    children = _children(process.pid)
    [(restarted, _)] = [child for child in children if "gunicorn" in child[1]]
    assert restarted != web
    assert any("run_scheduler" in command for _pid, command in children)

    stopping = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)
    assert time.monotonic() - stopping < 10
    assert all(not Path(f"/proc/{pid}").exists() for pid, _command in children)
    assert not _healthy(port)


def test_the_application_loads_in_the_master_without_opening_a_connection(tmp_path):
    # gunicorn loads CCHC once in its master and forks the workers from it (`preload_app`): a worker
    # recycled after `max_requests` or killed is ready at once instead of loading CCHC again (3.5 s of
    # CPU). That is safe only while loading opens no database, cache or Redis connection the forked
    # workers would share.
    probe = (
        "import config.wsgi\n"
        "from django.db import connections\n"
        "from django.core.cache import caches\n"
        "open_databases = [c.alias for c in connections.all() if c.connection is not None]\n"
        "made = caches.all(initialized_only=True)\n"
        "open_caches = [c for c in made if getattr(vars(c).get('_cache'), '_pools', None)]\n"
        "print(open_databases, open_caches)\n"
    )
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "CCHC_VAR_DIR": str(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:6379/3",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[] []"
    conf = {}
    exec((ROOT / "config" / "gunicorn.conf.py").read_text(), conf)  # noqa: S102
    assert conf["preload_app"] is True
