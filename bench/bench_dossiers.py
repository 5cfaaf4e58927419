"""Dossier benchmarks: submissions per second and public status-lookup latency.

Usage (from the repository root):

    .venv/bin/python bench/bench_dossiers.py [--database-url URL] [--n 200] [--dossiers 100000]

Builds a fresh database (SQLite in a temporary directory by default; with
`--database-url postgres://user@host:port/NAME` the database NAME, which must contain
"bench", is dropped and created again), migrates it and loads the demo organisation and
catalogue (not the demo dossiers). Then, printing figures only:

1. online submissions through `services.dossier_submit_online` (driving-licence exchange,
   five small PDF files, notification and its queued job included), one after another;
2. the same through HTTP: `POST /api/v1/dossiers` (multipart) with a bearer token, through
   Django's test client (the whole request stack in process, no socket);
3. public status lookups with `--dossiers` dossiers in the table (bulk-inserted with codes
   and three history rows each): `selectors.dossier_public_status` plus the JSON the status
   endpoint returns, then `GET /api/v1/dossiers/{code}/status` through the test client;
   median and 95th percentile over `--lookups` random codes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

SEED = 20261127
PROCEDURE_CODE = "1.000010"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="default: SQLite in a temporary directory")
    parser.add_argument("--n", type=int, default=200, help="submissions timed per path (default 200)")
    parser.add_argument("--dossiers", type=int, default=100_000, help="dossiers in the table for lookups")
    parser.add_argument("--lookups", type=int, default=2000, help="status lookups timed (default 2000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args()


def configure(database_url: str, workdir: Path) -> None:
    """Environment for the settings module, set before Django starts."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DATABASE_URL"] = database_url
    os.environ["CCHC_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_DEBUG"] = "0"  # no query log growing during the run
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["CCHC_LOOKUP_RATE_PER_MINUTE"] = str(10**9)  # the bench is one client asking a lot


def recreate_postgres(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop database {name!r}: a bench database name must contain 'bench'")
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(label: str, seconds: float) -> None:
    print(f"  {label:<52} {seconds:8.2f} s", flush=True)


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    p99 = ms[int(len(ms) * 0.99) - 1]
    return f"median {statistics.median(ms):6.2f} ms   p95 {p95:6.2f} ms   p99 {p99:6.2f} ms   max {ms[-1]:6.2f} ms"


# ---------------------------------------------------------------- the parts


def setup_database() -> None:
    from django.core.management import call_command

    from cchc.demo.loader import load_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_demo()
    timed("migrate + demo organisation and catalogue", time.perf_counter() - started)


def pdf(i: int, component_id: int) -> bytes:
    return b"%PDF-1.4\n% bench " + f"{i}-{component_id}".encode() + b"\n" + b"0" * 2048 + b"\n%%EOF\n"


def applicant(i: int):
    from cchc.dossiers.rules import ApplicantData

    return ApplicantData(
        kind="citizen",
        name="Nguyễn Văn An",
        id_number=f"{1_090_000_000 + i:012d}",
        phone="0912345678",
        email="an@example.vn",
        address="Số 1 đường Lê Lợi, Bình Sơn",
    )


def bench_service_submissions(n: int) -> float:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.accounts.models import User
    from cchc.dossiers.services import DocumentInput, dossier_submit_online
    from cchc.procedures.models import Procedure

    user = User.objects.get(username="congdan")
    procedure = Procedure.objects.get(code=PROCEDURE_CODE)
    components = list(procedure.current_version.components.values_list("pk", flat=True))

    def submit(i: int) -> None:
        documents = [
            DocumentInput(component_id=c, file=SimpleUploadedFile(f"{c}.pdf", pdf(i, c), "application/pdf"))
            for c in components
        ]
        dossier_submit_online(
            user=user, procedure=procedure, applicant=applicant(i), return_method="online", documents=documents
        )

    for i in range(5):  # warm-up: caches, prepared calendars
        submit(-1 - i)
    started = time.perf_counter()
    for i in range(n):
        submit(i)
    elapsed = time.perf_counter() - started
    return n / elapsed


def bench_http_submissions(n: int) -> float | None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import Resolver404, resolve

    from cchc.procedures.models import Procedure

    try:
        resolve("/api/v1/dossiers")
        resolve("/api/v1/auth/token")
    except Resolver404:
        return None
    client = Client()
    response = client.post(
        "/api/v1/auth/token", {"username": "congdan", "password": "demo12345"}, content_type="application/json"
    )
    if response.status_code != 200:
        print(f"  (token endpoint answered {response.status_code})")
        return None
    headers = {"authorization": f"Bearer {response.json()['token']}"}
    procedure = Procedure.objects.get(code=PROCEDURE_CODE)
    components = list(procedure.current_version.components.values_list("pk", flat=True))

    def post(i: int) -> None:
        data = {
            "procedure": PROCEDURE_CODE,
            "applicant": json.dumps(
                {
                    "kind": "citizen",
                    "name": "Trần Thị Bình",
                    "id_number": f"{2_090_000_000 + i:012d}",
                    "phone": "0912000002",
                    "email": "binh@example.vn",
                },
                ensure_ascii=False,
            ),
            "return_method": "online",
        }
        for c in components:
            data[str(c)] = SimpleUploadedFile(f"{c}.pdf", pdf(100_000 + i, c), "application/pdf")
        answer = client.post("/api/v1/dossiers", data, headers=headers)
        if answer.status_code != 201:
            raise RuntimeError(f"POST /api/v1/dossiers answered {answer.status_code}: {answer.content[:300]!r}")

    for i in range(5):
        post(-1 - i)
    started = time.perf_counter()
    for i in range(n):
        post(i)
    return n / (time.perf_counter() - started)


def bulk_insert_dossiers(count: int) -> list[str]:
    """`count` dossiers over the past year with codes and three history rows each; returns their codes."""
    from django.db import connection, transaction

    from cchc.accounts.models import User
    from cchc.core.calendar import VN_TZ
    from cchc.demo.loader import DEMO_AGENCY_CODE
    from cchc.dossiers.codes import format_dossier_code
    from cchc.dossiers.models import Channel, Dossier, DossierEvent, ReturnMethod
    from cchc.dossiers.workflow import Action, Status
    from cchc.procedures.models import Procedure

    rng = random.Random(SEED)
    procedures = list(Procedure.objects.filter(agency__code=DEMO_AGENCY_CODE).select_related("current_version"))
    counter = User.objects.get(username="motcua")
    agency = procedures[0].agency
    per_day = 300
    # Days strictly before today: the codes cannot meet those given by the submissions above.
    first_day = datetime.now(VN_TZ).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=1)
    statuses = [Status.RETURNED] * 8 + [Status.IN_PROGRESS, Status.RECEIVED, Status.REFUSED, Status.RESULT_READY]
    codes = []
    started = time.perf_counter()
    batch = 5000
    with transaction.atomic():
        for start in range(0, count, batch):
            dossiers = []
            for i in range(start, min(start + batch, count)):
                day, sequence = divmod(i, per_day)
                received = first_day - timedelta(days=day) + timedelta(minutes=sequence)
                procedure = procedures[i % len(procedures)]
                code = format_dossier_code(agency.code, received.date(), sequence + 1)
                codes.append(code)
                status = rng.choice(statuses)
                dossiers.append(
                    Dossier(
                        code=code,
                        agency=agency,
                        procedure=procedure,
                        procedure_version=procedure.current_version,
                        status=status,
                        channel=Channel.COUNTER,
                        return_method=ReturnMethod.COUNTER,
                        applicant_kind="citizen",
                        applicant_name=f"Người nộp số {i}",
                        applicant_id_number=f"{i:012d}",
                        current_step=2,
                        submitted_at=received,
                        received_at=received,
                        received_by=counter,
                        counted_from=received,
                        original_due_at=received + timedelta(days=7),
                        due_at=received + timedelta(days=7),
                        deadline_at=received + timedelta(days=7),
                        returned_at=received + timedelta(days=5) if status == Status.RETURNED else None,
                    )
                )
            Dossier.objects.bulk_create(dossiers, batch_size=1000)
            events = []
            for dossier in dossiers:
                at = dossier.received_at
                events += [
                    DossierEvent(
                        dossier=dossier,
                        action=Action.RECEIVE,
                        from_status=Status.DRAFT,
                        to_status=Status.RECEIVED,
                        step_order=1,
                        actor=counter,
                        at=at,
                    ),
                    DossierEvent(
                        dossier=dossier,
                        action=Action.FORWARD,
                        from_status=Status.RECEIVED,
                        to_status=Status.IN_PROGRESS,
                        step_order=2,
                        actor=counter,
                        at=at + timedelta(hours=2),
                    ),
                    DossierEvent(
                        dossier=dossier,
                        action=Action.RETURN_RESULT,
                        from_status=Status.RESULT_READY,
                        to_status=dossier.status,
                        step_order=5,
                        actor=counter,
                        at=at + timedelta(days=5),
                    ),
                ]
            DossierEvent.objects.bulk_create(events, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timed(f"bulk insert {count:,} dossiers + {3 * count:,} history rows", time.perf_counter() - started)
    return codes


def public_status_json(dossier) -> str:
    """What `GET /api/v1/dossiers/{code}/status` returns, built the same way (no personal data)."""
    from cchc.dossiers.rules import mask_name
    from cchc.dossiers.workflow import Action, Status

    def iso(moment):
        return moment.isoformat() if moment else None

    return json.dumps(
        {
            "code": dossier.code,
            "status": dossier.status,
            "status_label": str(Status(dossier.status).label),
            "procedure": dossier.procedure_version.name,
            "applicant": mask_name(dossier.applicant_name),
            "received_at": iso(dossier.received_at),
            "due_at": iso(dossier.due_at),
            "finished_at": iso(dossier.finished_at),
            "timeline": [
                {
                    "at": iso(e.at),
                    "action": e.action,
                    "action_label": str(Action(e.action).label),
                    "status": e.to_status,
                    "status_label": str(Status(e.to_status).label),
                    "step_name": e.step_name,
                }
                for e in dossier.events.all()
            ],
        },
        ensure_ascii=False,
    )


def bench_lookups(codes: list[str], lookups: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from cchc.dossiers.selectors import dossier_public_status

    rng = random.Random(SEED + 1)
    sample = [rng.choice(codes) for _ in range(lookups)]
    with CaptureQueriesContext(connection) as queries:
        dossier_public_status(code=sample[0]).events.all()
    for code in sample[:100]:
        public_status_json(dossier_public_status(code=code))
    samples = []
    for code in sample:
        started = time.perf_counter()
        body = public_status_json(dossier_public_status(code=code))
        samples.append(time.perf_counter() - started)
        assert code in body
    print(f"  selector + JSON ({len(queries)} queries each)             {percentiles(samples)}")

    try:
        resolve(f"/api/v1/dossiers/{codes[0]}/status")
    except Resolver404:
        print("  HTTP GET /api/v1/dossiers/{code}/status:           skipped: API not available")
        return
    client = Client()
    for code in sample[:100]:
        client.get(f"/api/v1/dossiers/{code}/status")
    samples = []
    for code in sample:
        started = time.perf_counter()
        response = client.get(f"/api/v1/dossiers/{code}/status")
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"status lookup answered {response.status_code}: {response.content[:200]!r}")
    print(f"  HTTP GET /api/v1/dossiers/{{code}}/status             {percentiles(samples)}")


# ---------------------------------------------------------------- main


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    engine = "PostgreSQL" if database_url.startswith(("postgres://", "postgresql://")) else "SQLite"
    if engine == "PostgreSQL":
        recreate_postgres(database_url)
    configure(database_url, workdir)

    import django

    django.setup()
    from django.db import connection

    print(f"CCHC dossier bench on {engine} ({database_url})")
    try:
        setup_database()
        rate = bench_service_submissions(args.n)
        print(f"  submissions via services.dossier_submit_online       {rate:8.1f} /s   ({args.n} timed)")
        rate = bench_http_submissions(args.n)
        if rate is None:
            print("  submissions via POST /api/v1/dossiers                skipped: API not available")
        else:
            print(f"  submissions via POST /api/v1/dossiers (test client)  {rate:8.1f} /s   ({args.n} timed)")
        codes = bulk_insert_dossiers(args.dossiers)
        from cchc.dossiers.models import Dossier

        print(f"  status lookups with {Dossier.objects.count():,} dossiers, {args.lookups} random codes:")
        bench_lookups(codes, args.lookups)
    finally:
        connection.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
