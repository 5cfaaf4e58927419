"""The production server killed in the middle of a load of online submissions (issue 12, item 7).

200 submissions go at once over HTTP to gunicorn (`config/gunicorn.conf.py`) on this test's
PostgreSQL database; the server is killed with SIGKILL (master and workers, as an out-of-memory
kill would) while requests are in flight, then started again. Each client retries its submission
with the same Idempotency-Key until it gets a definitive answer, as the API documents. Then:
nothing acknowledged is lost, nothing is stored twice, the day's numbers have no gap,
`audit_verify` and `files_verify` pass, and after the file sweep no stored file is an orphan.
Runs on PostgreSQL only (CI's second pass); skipped on SQLite.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from cchc.accounts.models import User
from cchc.accounts.services import api_token_create
from cchc.core.backup import files_verify
from cchc.core.blobs import SWEEP_AGE, blob_of_bytes, blob_sweep, referenced
from cchc.core.models import PendingFile
from cchc.dossiers.codes import parse_dossier_code
from cchc.dossiers.models import DailySequence, Dossier, DossierDocument
from cchc.procedures.models import Procedure

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL and a real server"),
    pytest.mark.slow,
]

ROOT = Path(settings.BASE_DIR)
PROCEDURE = "1.000010"  # five required components
SUBMISSIONS = 200
KILL_AFTER = 70  # acknowledged submissions before the kill
APPLICANTS = ("congdan", "congdan2")
GIVE_UP_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    """gunicorn with the production configuration, in its own process group, on this test's database."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.media = folder / "media"
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CCHC_", "DATABASE_", "REDIS_", "AWS_", "PROMETHEUS_"))
        }
        self.env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            # The suite's keys: the audit events the test process wrote verify with the server's.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "CCHC_AUDIT_HMAC_KEY": settings.CCHC_AUDIT_HMAC_KEY,
            "DATABASE_URL": _database_url(),
            "CCHC_VAR_DIR": str(folder / "var"),
            "CCHC_MEDIA_ROOT": str(self.media),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "CCHC_SMS_ENABLED": "false",
            "CCHC_ZALO_ENABLED": "false",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
        }
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        self.starts += 1
        log = (self.folder / f"gunicorn-{self.starts}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url("/healthz"), timeout=2).status_code == 200:
                    return
            assert self.process.poll() is None, self.logs()
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer /healthz\n{self.logs()}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.kill(signal.SIGTERM)

    def logs(self) -> str:
        return "\n".join(path.read_text()[-3000:] for path in sorted(self.folder.glob("gunicorn-*.log")))


@pytest.fixture
def server(demo, tmp_path):
    running = Server(tmp_path)
    try:
        yield running
    finally:
        running.stop()
        with contextlib.suppress(subprocess.TimeoutExpired):
            running.kill()


def _applicant(username: str) -> str:
    user = User.objects.get(username=username)
    return json.dumps(
        {
            "kind": "citizen",
            "name": user.full_name,
            "id_number": user.id_number,
            "phone": user.phone,
            "email": user.email,
            "address": "Số 12 đường Lê Lợi, Bình Sơn",
        },
        ensure_ascii=False,
    )


def _pdf(key: str, component: int) -> bytes:
    """Each submission's papers differ, so each has its own files (and its own orphans if lost)."""
    return f"%PDF-1.4\n% {key} {component}\n".encode() + b"0" * 4096 + b"\n%%EOF\n"


def _waiting_for_a_lock() -> int:
    """The database sessions of this test's database waiting for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_server_killed_mid_load_loses_nothing_duplicates_nothing_and_leaves_no_orphan_file(server, settings):
    procedure = Procedure.objects.select_related("current_version").get(code=PROCEDURE)
    components = list(procedure.current_version.components.values_list("pk", flat=True))
    tokens = {username: api_token_create(user=User.objects.get(username=username)) for username in APPLICANTS}
    applicants = {username: _applicant(username) for username in APPLICANTS}
    keys = [f"crash-{index:03d}-{uuid.uuid4()}" for index in range(SUBMISSIONS)]
    papers = {key: {c: _pdf(key, c) for c in components} for key in keys}
    key_of_file = {blob_of_bytes(content, ".pdf").name: key for key in keys for content in papers[key].values()}
    server.start()

    acknowledged: dict[str, tuple[str, str]] = {}  # key → (applicant, code)
    retried: set[str] = set()
    giving_up: set[str] = set()  # cut off inside their transaction; the applicant closes the page
    abandoned: set[str] = set()
    failures: list[str] = []
    lock = threading.Lock()
    give_up = time.monotonic() + GIVE_UP_SECONDS

    def submit(index: int) -> None:
        """One submission, sent again with its key until it has an answer (unless it gives up)."""
        key, username = keys[index], APPLICANTS[index % len(APPLICANTS)]
        files = {str(c): (f"giay-to-{c}.pdf", content, "application/pdf") for c, content in papers[key].items()}
        with requests.Session() as session:
            session.headers.update({"Authorization": f"Bearer {tokens[username]}", "Idempotency-Key": key})
            while time.monotonic() < give_up:
                try:
                    response = session.post(
                        server.url("/api/v1/dossiers"),
                        data={"procedure": PROCEDURE, "applicant": applicants[username], "return_method": "online"},
                        files=files,
                        timeout=60,
                    )
                except requests.RequestException:
                    with lock:
                        if key in giving_up:
                            abandoned.add(key)
                            return
                        retried.add(key)
                    time.sleep(0.3)  # the server is down: try again with the same key
                    continue
                if response.status_code in (502, 503, 504):
                    time.sleep(0.3)
                    continue
                with lock:
                    if response.status_code in (200, 201):
                        acknowledged[key] = (username, response.json()["code"])
                    else:
                        failures.append(f"{key}: {response.status_code} {response.text[:300]}")
                return
            with lock:
                failures.append(f"{key}: no definitive answer in {GIVE_UP_SECONDS} s")

    def kill_mid_way() -> None:
        """Once KILL_AFTER are acknowledged, hold the day's sequence row so that the next
        submissions stop inside their transactions (files stored, dossier not yet written), then
        kill the server. Half of those cut off there never come back: their files are orphans."""
        try:
            _wait(lambda: len(acknowledged) >= KILL_AFTER or failures, GIVE_UP_SECONDS)
            with transaction.atomic():
                DailySequence.objects.select_for_update().get(day=timezone.localdate())
                _wait(lambda: _waiting_for_a_lock() >= 4, 60)
                pending = list(PendingFile.objects.values_list("name", flat=True))
                inside = sorted({key_of_file[name] for name in set(pending) - referenced(pending)})
                with lock:
                    giving_up.update(inside[::2])
                server.kill()  # SIGKILL to the master and its workers, requests in flight
            # The lock is released: the waiting sessions find their clients gone and roll back.
            server.start()
        finally:
            connection.close()

    killer = threading.Thread(target=kill_mid_way)
    killer.start()
    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        list(pool.map(submit, range(SUBMISSIONS)))
    killer.join()
    server.stop()

    assert not failures, failures[:10]
    assert server.starts == 2
    assert retried, "the kill interrupted no submission"
    assert abandoned, "no submission was cut off inside its transaction"
    assert abandoned == giving_up
    # None lost, none duplicated: every other key was acknowledged and has exactly one dossier, with
    # the acknowledged code; those abandoned inside their transaction have none; no dossier without a key.
    assert set(acknowledged) == set(keys) - abandoned
    stored = {
        (username, key): code
        for username, key, code in Dossier.objects.values_list("applicant_user__username", "idempotency_key", "code")
    }
    assert stored == {(username, key): code for key, (username, code) in acknowledged.items()}
    assert DossierDocument.objects.count() == len(stored) * len(components)

    # No gap in the day's numbers: 1..n for each receiving point and day, and the counter at n.
    numbers: dict[tuple[str, object], list[int]] = defaultdict(list)
    for code in stored.values():
        point, day, sequence = parse_dossier_code(code)
        numbers[point, day].append(sequence)
    for (point, day), sequences in numbers.items():
        assert sorted(sequences) == list(range(1, len(sequences) + 1)), (point, day)
        assert DailySequence.objects.get(agency__code=point, day=day).last == len(sequences)

    out = StringIO()
    call_command("audit_verify", stdout=out)  # exits with status 1 on a bad chain
    assert "Nhật ký toàn vẹn" in out.getvalue()

    # The sweep, a day later: the abandoned submissions' files go; the dossiers' stay, each intact.
    settings.MEDIA_ROOT = str(server.media)
    removed = blob_sweep(now=timezone.now() + SWEEP_AGE + timedelta(minutes=1))
    assert removed == len(abandoned) * len(components)
    on_disk = [path.relative_to(server.media).as_posix() for path in server.media.rglob("*") if path.is_file()]
    orphans = set(on_disk) - referenced(on_disk)
    assert not orphans, sorted(orphans)[:10]
    assert not PendingFile.objects.exists()
    assert len(on_disk) == len(stored) * len(components)
    # The catalogue's files (form templates) were stored by this test process in the suite's own folder.
    checked, problems = files_verify()
    problems = [problem for problem in problems if problem.name.startswith("blobs/")]
    assert not problems, problems[:10]
    assert checked >= len(on_disk)  # the documents' files and their data-store copies
    print(
        f"{len(acknowledged)} acknowledged ({len(retried)} after a retry), {len(abandoned)} abandoned "
        f"inside their transaction, {removed} orphan file(s) swept"
    )
