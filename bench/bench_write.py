"""The write and read paths at scale, as ratios to a bare Django ceiling in one run (issue 12).

Usage (from the repository root; PostgreSQL only, the database name must contain "bench"):

    .venv/bin/python bench/bench_write.py --database-url postgres://postgres@127.0.0.1:5432/cchc_bench \\
        [--port 18300] [--seconds 15] [--clients 16] [--only status|submission] [--redis-url redis://…]
        [--rounds 3] [--reuse-database]

It recreates the database, migrates it and loads the demo organisation and catalogue, then starts
two servers with the same gunicorn settings (`config/gunicorn.conf.py`: 2 workers, gthread, here 8
threads each) on the same database:
- CCHC (`config.wsgi`, the production server);
- the bare app (`bench/bare_app.py`): (a) a status read of one dossier by code, (b) an insert of one
  row plus five small files and one queued job in one transaction.
Then, with keep-alive HTTP clients, it prints requests per second one at a time and at `--clients`
concurrent clients: CCHC's status lookup against (a), CCHC's online submission (five small PDFs)
against (b), and submissions to two agencies at once against one agency. Figures only, no asserts.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from bench_dossiers import recreate_postgres

BOUNDARY = "cchcbenchboundary"
PROCEDURE_CODE = "1.000010"  # driving-licence exchange: five required components
FILE_SIZE = 2048


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=18300, help="CCHC on PORT, the bare app on PORT+1")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each measurement")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (both servers)")
    parser.add_argument("--rounds", type=int, default=1, help="alternate CCHC and the bare app this many times")
    parser.add_argument(
        "--redis-url", default="", help="CCHC's cache (rate limits) in this Redis, as in production; default: memory"
    )
    parser.add_argument(
        "--reuse-database", action="store_true", help="keep the database a previous run set up (faster reruns)"
    )
    parser.add_argument(
        "--only", choices=("status", "submission"), help="measure only the status lookup or only the submissions"
    )
    return parser.parse_args()


# ---------------------------------------------------------------- setup (in this process)


def setup(database_url: str, workdir: Path, *, reuse: bool = False) -> dict:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url,
        CCHC_VAR_DIR=str(workdir),
        DJANGO_DEBUG="0",
    )
    if not reuse:
        recreate_postgres(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    from cchc.accounts.models import Agency, User
    from cchc.accounts.services import api_token_create
    from cchc.demo.loader import load_demo
    from cchc.procedures.models import Offering, Procedure, ProcedureVersion

    if not reuse:
        call_command("migrate", verbosity=0, interactive=False)
        load_demo()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_row (id bigserial PRIMARY KEY, code text, created_at timestamptz)"
        )
    user = User.objects.get(username="congdan")
    _accept_notice(user)
    token = api_token_create(user=user)
    # The same procedure offered by two agencies of the province: each has its own daily sequence
    # and audit chain, so their submissions should not queue behind each other.
    procedure = Procedure.objects.select_related("agency", "current_version").get(code=PROCEDURE_CODE)
    assert procedure.current_version.online_level >= ProcedureVersion.OnlineLevel.PARTIAL
    agencies = [procedure.agency, *Agency.objects.exclude(pk=procedure.agency_id).order_by("code")[:1]]
    for agency in agencies:
        Offering.objects.get_or_create(procedure=procedure, agency=agency)
    components = [c.pk for c in procedure.current_version.components.all()]
    procedures = [{"code": procedure.code, "agency": a.code, "components": components} for a in agencies]
    return {"token": token, "procedures": procedures}


def _accept_notice(user) -> None:
    from cchc.privacy.services import notice_accept

    notice_accept(user=user, context="bench")


# ---------------------------------------------------------------- servers


def start(name: str, app: str, port: int, env: dict, threads: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(REPO_ROOT / "config" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", str(threads), app,
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"{name} did not start; see {log}")


# ---------------------------------------------------------------- clients


def multipart(fields: dict, files: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, content in files.items():
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def pdf(tag: str) -> bytes:
    return b"%PDF-1.4\n% bench " + tag.encode() + b"\n" + b"0" * FILE_SIZE + b"\n%%EOF\n"


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of every core since boot (Linux /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def cpu_busy(since: tuple[int, int]) -> float:
    busy, total = cpu_ticks()
    return (busy - since[0]) / max(1, total - since[1])


def run_clients(port: int, clients: int, seconds: float, make_request) -> tuple[float, int]:
    """Requests per second of `clients` keep-alive clients for `seconds`, and how many failed."""
    done, failed, stop = [0] * clients, [0] * clients, threading.Event()

    def client(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = 0
        while not stop.is_set():
            method, url, body, headers = make_request(n, i)
            i += 1
            try:
                connection.request(method, url, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status < 300
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            if not stop.is_set():
                done[n] += ok
                failed[n] += not ok

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(done) / seconds, sum(failed)


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cchc-bench-write-"))
    data = setup(args.database_url, workdir, reuse=args.reuse_database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
        "CCHC_LOOKUP_RATE_PER_MINUTE": str(10**9),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": args.redis_url,
    }
    servers = [
        start("CCHC", "config.wsgi:application", args.port, env, args.threads, workdir / "cchc.log"),
        start("bare", "bare_app:application", args.port + 1, {**env, "PYTHONPATH": str(REPO_ROOT / "bench")},
              args.threads, workdir / "bare.log"),
    ]  # fmt: skip
    try:
        report(args, data)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


def report(args, data) -> None:
    auth = {"Authorization": f"Bearer {data['token']}"}
    applicant = json.dumps(
        {"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "001203004567", "phone": "0912345678"}
    )
    procedures = data["procedures"]
    run = uuid.uuid4().hex[:8]

    def submission(procedure_index):
        def make(n: int, i: int):
            procedure = procedures[procedure_index(n) % len(procedures)]
            tag = f"{run}-{procedure['code']}-{n}-{i}"
            files = {str(c): pdf(f"{tag}-{c}") for c in procedure["components"]}
            fields = {"procedure": procedure["code"], "agency": procedure["agency"], "applicant": applicant}
            body = multipart({**fields, "return_method": "online"}, files)
            headers = {**auth, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Idempotency-Key": tag}
            return "POST", "/api/v1/dossiers", body, headers

        return make

    def bare_insert(n: int, i: int):
        files = {str(c): pdf(f"{run}-bare-{n}-{i}-{c}") for c in range(5)}
        return "POST", "/insert", multipart({}, files), {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}

    codes = []
    maker = submission(lambda n: 0)
    connection = http.client.HTTPConnection("127.0.0.1", args.port)
    for i in range(40):
        method, url, body, headers = maker(999, i)
        connection.request(method, url, body=body, headers=headers)
        response = connection.getresponse()
        payload = json.loads(response.read() or b"{}")
        if response.status != 201:
            sys.exit(f"submission refused: {response.status} {payload}")
        codes.append(payload["code"])

    def cchc_status(n, i):
        return "GET", f"/api/v1/dossiers/{codes[(n * 7 + i) % len(codes)]}/status", None, {}

    def bare_status(n, i):
        return "GET", f"/status/{codes[(n * 7 + i) % len(codes)]}", None, {}

    seconds, clients = args.seconds, args.clients
    cache = "Redis" if args.redis_url else "memory"
    print(
        f"bench_write: 2 gunicorn workers x {args.threads} threads each, PostgreSQL, CCHC's cache in {cache}, "
        f"{seconds:.0f} s per figure"
    )
    pairs = {
        "status": (
            ("status lookup: CCHC", args.port, cchc_status),
            ("status read: bare (a)", args.port + 1, bare_status),
        ),
        "submission": (
            ("submission, 5 PDFs: CCHC", args.port, submission(lambda n: 0)),
            ("insert + 5 files + job: bare (b)", args.port + 1, bare_insert),
        ),
    }
    rows = {}
    for part in [args.only] if args.only else pairs:
        # CCHC and the bare app take turns, `--rounds` times, so a change in the machine's load between
        # two measurements weighs on both sides of the ratio alike.
        totals = {label: [0.0, 0.0, 0] for label, _port, _make in pairs[part]}
        for _ in range(args.rounds):
            for label, port, make in pairs[part]:
                one, failed_one = run_clients(port, 1, seconds / args.rounds, make)
                many, failed_many = run_clients(port, clients, seconds / args.rounds, make)
                total = totals[label]
                total[0] += one / args.rounds
                total[1] += many / args.rounds
                total[2] += failed_one + failed_many
        for label, (one, many, failed) in totals.items():
            rows.setdefault(part, []).append((one, many))
            print(f"  {label:<36} 1 client {one:8.1f}/s   {clients} clients {many:8.1f}/s   failed {failed}")
    if "status" in rows:
        (_, status), (_, bare_a) = rows["status"]
        print(f"  status lookup / bare (a), {clients} clients: {status / bare_a:6.1%}   (target >= 60 %)")
    if "submission" not in rows:
        return
    (_, submit), (_, bare_b) = rows["submission"]
    print(f"  submission / bare (b), {clients} clients:    {submit / bare_b:6.1%}   (target >= 25 %, >= 100/s)")
    if len(procedures) < 2:
        print("  two agencies: the demo organisation has one agency only")
        return
    # Two agencies at once against one: each has its own day's sequence and audit chain, so their
    # intakes do not queue behind each other; they scale as far as the CPU allows, shown beside each
    # figure (the machine's busy share during the measurement, the clients' own work included).
    for count in sorted({2, clients}):
        rates = {}
        for label, pick in (("agency A", lambda n: 0), ("agency B", lambda n: 1), ("A and B", lambda n: n)):
            since = cpu_ticks()
            rate, failed = run_clients(args.port, count, seconds / 2, submission(pick))
            rates[label] = (rate, cpu_busy(since), failed)
        one = (rates["agency A"][0] + rates["agency B"][0]) / 2
        shown = "   ".join(f"{label} {rate:6.1f}/s (CPU {busy:4.0%})" for label, (rate, busy, _) in rates.items())
        failed = sum(failed for _rate, _busy, failed in rates.values())
        print(f"  {count} clients: {shown}   failed {failed}")
        print(
            f"  submissions to two agencies, {count} clients: {rates['A and B'][0] / one:.2f}x one agency"
            "   (target >= 1.6x when CPU allows)"
        )


if __name__ == "__main__":
    main()
