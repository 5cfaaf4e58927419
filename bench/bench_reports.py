"""Report benchmarks on a big data set: the service index, the statutory report, the public
quality table, the dashboards and the desk, for a whole agency and the last full month.

Usage (from the repository root):

    .venv/bin/python bench/bench_reports.py --database-url postgres://postgres@127.0.0.1:5432/cchc_bench \\
        [--generate 1000000] [--months 36] [--runs 5] [--month 2026-10] [--explain]

The database must be given: a PostgreSQL database whose name contains "bench" (with
`--generate` it is dropped and created again), or an SQLite file other than the development
one (var/cchc.sqlite3). With `--generate N` the database is migrated, the demo organisation
and catalogue are loaded and N dossiers are generated (`manage.py generate_dossiers`, over
`--months` months); without it the existing data is used (migrations are applied first, so new
indexes are there). Prints figures only: median and max of `--runs` runs (the first run
included, caches not warmed) of

1. the service index (`reports.selectors.service_index`) of the whole agency for the month;
2. the statutory report (`reports.statutory.statutory_report`) for the month;
3. the public transparency table (`reports.selectors.quality_by_month`, six months, no cache);
4. the periodic refresh of the dashboards' monthly rollups (`reports.tasks.refresh_trends`,
   as the job run on the first of the month after the chosen one would do it), then each
   dashboard page (`reports:dashboard_leader`, `_unit`, `_officer`) through Django's test
   client, signed in as the demo leader, unit head and officers, with the cache cleared before
   each request and then with it kept, and the leader's and unit head's once more without any
   rollup (what the first visitor would wait if the job had never run) — skipped with a note if
   the URL does not exist yet; and
   the index page, the public page, the statutory page and the desk (`dossiers:office_home`) the
   same way (median and max in ms).

`--explain` prints `EXPLAIN (ANALYZE, BUFFERS)` of every query the index and the statutory
report run, slowest first.

`--province` benches the province instead (issue 11): with `--generate N` the demo province is
loaded and N dossiers are spread over 150 agencies (`generate_dossiers --province`; a
province-year is `--generate 3000000 --months 12`); then, median and max of `--runs` (default 3),
each through the test client as the person who would ask: the month's service index (API) for
one commune and for the whole province (first the month-close task that computes every agency's
index of the month ahead, `reports.snapshots.close_period_snapshots`, timed; then the province's
first ask, printed apart), the ranking of the communes (API and page), a centre
officer's desk (`motcua_tinh`) and the provincial leader's dashboard (`lanhdao_tinh`). Target:
each under 1 s. The database may also be one named `*_big`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DEV_SQLITE = (REPO_ROOT / "var" / "cchc.sqlite3").resolve()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--generate", type=int, default=0, help="recreate the database with N generated dossiers")
    parser.add_argument("--months", type=int, default=36, help="generated dossiers span MONTHS months (36)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--agency", default="", help="agency code (default: the demo agency)")
    parser.add_argument("--month", default="", help="YYYY-MM (default: the last full month)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the report queries")
    parser.add_argument("--province", action="store_true", help="bench the province's reports (issue 11)")
    parser.add_argument("--workers", type=int, default=4, help="with --province --generate: generator processes (4)")
    return parser.parse_args()


def check_database(url: str, *, recreate: bool) -> str:
    """The engine's name, after refusing what must not be touched."""
    if not url:
        sys.exit("give --database-url (a PostgreSQL database named *bench*, or an SQLite file); never the dev database")
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        name = parsed.path.lstrip("/")
        if "bench" not in name and not name.endswith("_big"):
            sys.exit(f"refusing database {name!r}: a bench database name must contain 'bench' or end with '_big'")
        if recreate:
            import psycopg

            admin = parsed._replace(scheme="postgresql", path="/postgres").geturl()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        return "PostgreSQL"
    if parsed.scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///")).resolve()
        if path == DEV_SQLITE:
            sys.exit("refusing the development SQLite database (var/cchc.sqlite3)")
        if recreate:
            if "bench" not in path.name:
                sys.exit(f"refusing to recreate {path}: a bench database file name must contain 'bench'")
            path.unlink(missing_ok=True)
        return "SQLite"
    sys.exit(f"unsupported database URL {url!r}")


def configure(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "0"  # no query log growing during the run
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("CCHC_VAR_DIR", str(Path("/tmp/cchc-bench-var")))
    Path(os.environ["CCHC_VAR_DIR"]).mkdir(parents=True, exist_ok=True)


def timed_runs(runs: int, call: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def line(label: str, samples: list[float], *, unit: str = "s", note: str = "") -> None:
    scale = 1000 if unit == "ms" else 1
    median, worst = statistics.median(samples) * scale, max(samples) * scale
    digits = 0 if unit == "ms" else 3
    print(
        f"  {label:<58} median {median:9.{digits}f} {unit}   max {worst:9.{digits}f} {unit}{note}",
        flush=True,
    )


def queries_of(call: Callable[[], object]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


# ---------------------------------------------------------------- the parts


def setup(args) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if args.generate:
        from cchc.demo.bulk import generate_dossiers
        from cchc.demo.loader import load_demo

        load_demo()
        print(f"  migrate + demo organisation and catalogue {time.perf_counter() - started:8.1f} s", flush=True)

        def progress(done: int, total: int, seconds: float) -> None:
            if done == total or done % (total // 10 or 1) < 25_000:
                print(f"    {done:>10,} / {total:,} dossiers  {seconds:7.1f} s", flush=True)

        result = generate_dossiers(
            count=args.generate, months=args.months, seed=args.seed, agency_code=args.agency or None, progress=progress
        )
        rows = sum(result.rows.values())
        print(
            f"  generate_dossiers: {result.dossiers:,} dossiers ({rows:,} rows) in {result.seconds:.1f} s "
            f"({result.dossiers / result.seconds:,.0f} dossiers/s)",
            flush=True,
        )
    # The reform pages read the PAR Index years, the plan, commitments, initiatives and a review round.
    from cchc.demo.reform import load_reform_demo

    started = time.perf_counter()
    made = load_reform_demo()
    if any(made.values()):
        print(f"  reform demo data {made} in {time.perf_counter() - started:.1f} s", flush=True)


def month_bounds(text: str) -> tuple[date, date]:
    from django.utils import timezone

    if text:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    else:
        first = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last


def explain(label: str, sqls: list[str]) -> None:
    from django.db import connection

    print(f"\n  EXPLAIN ANALYZE — {label}: {len(sqls)} queries", flush=True)
    plans = []
    with connection.cursor() as cursor:
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + sql)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            took = 0.0
            for row in plan.splitlines():
                if row.startswith("Execution Time:"):
                    took = float(row.split()[2])
            plans.append((took, sql, plan))
    for took, sql, plan in sorted(plans, key=lambda p: -p[0]):
        print(f"\n  --- {took:.1f} ms\n  {sql[:1500]}\n{plan}", flush=True)


def bench_selectors(args, agency, first: date, last: date) -> None:
    from cchc.reports import selectors, statutory

    def index():
        return selectors.service_index(date_from=first, date_to=last, agency=agency)

    def report():
        return statutory.statutory_report(agency=agency, period_start=first, period_end=last)

    def public():
        return selectors.quality_by_month(agency=agency, year=last.year, month=last.month)

    count = len(queries_of(index))
    line(f"service index, whole agency, {first:%m/%Y} ({count} queries)", timed_runs(args.runs, index))
    count = len(queries_of(report))
    line(f"statutory report, {first:%m/%Y} ({count} queries)", timed_runs(args.runs, report))
    count = len(queries_of(public))
    line(f"public quality table, 6 months to {last:%m/%Y} ({count} queries)", timed_runs(args.runs, public))
    if args.explain:
        explain("service index", queries_of(index))
        explain("statutory report", queries_of(report))
        explain("public quality table", queries_of(public))


PAGES = (
    # (label, URL name, query, usernames: each is timed; cached: also timed with the cache kept)
    ("dashboard: leader", "reports:dashboard_leader", "thang={month_value}", ("lanhdao",), True),
    ("dashboard: unit", "reports:dashboard_unit", "thang={month_value}", ("truongphong",), True),
    ("dashboard: officer", "reports:dashboard_officer", "thang={month_value}", ("motcua", "chuyenvien"), True),
    ("index page, whole agency", "reports:index", "from={first}&to={last}", ("lanhdao",), False),
    ("public quality page", "reports:transparency", "nam={year}&thang={month}", (None,), True),
    ("statutory report page", "reports:statutory", "", ("lanhdao",), False),
    ("desk, counter officer (waiting for reception)", "dossiers:office_home", "", ("motcua",), False),
    ("desk, specialist (my work)", "dossiers:office_home", "", ("chuyenvien",), False),
    ("desk, unit head (my work)", "dossiers:office_home", "", ("truongphong",), False),
    ("desk, leader, all dossiers", "dossiers:office_home", "muc=tat-ca", ("lanhdao",), False),
    ("desk, unit head, all dossiers", "dossiers:office_home", "muc=tat-ca", ("truongphong",), False),
    ("PAR Index page (live criteria, year to date)", "reform:par_index", "", ("cchc",), True),
    ("reform plan", "plans:plan", "", ("cchc",), False),
    ("commitments", "plans:commitments", "", ("lanhdao",), True),
    ("monthly briefing, QLVT", "plans:briefing", "unit=QLVT&month={month_value}", ("lanhdao",), True),
    ("initiatives", "initiatives:list", "", ("cchc",), False),
    ("simplification candidates", "simplification:candidates", "", ("cchc",), True),
)


def bench_pages(args, first: date, last: date) -> None:
    """Each page through the test client: first with the cache cleared before every request (what
    the first visitor after a restart or an expiry waits), then, for pages that cache, with the
    cache kept (everyone else)."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from cchc.accounts.models import User

    values = {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "year": last.year,
        "month": last.month,
        "month_value": f"{last:%Y-%m}",
    }
    from datetime import datetime

    from cchc.core.calendar import VN_TZ
    from cchc.reports.models import TrendMonth
    from cchc.reports.tasks import refresh_trends

    agency = User.objects.get(username="lanhdao").agency
    job_time = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=VN_TZ) + timedelta(hours=1)
    TrendMonth.objects.all().delete()
    started = time.perf_counter()
    scopes = refresh_trends(agency=agency, now=job_time)
    line(f"rollup refresh: {scopes} scopes, first run", [time.perf_counter() - started])
    started = time.perf_counter()
    refresh_trends(agency=agency, now=job_time)
    line("rollup refresh: the periodic run (two months recomputed)", [time.perf_counter() - started])

    from cchc.reports.dashboards import leading_units
    from cchc.reports.snapshots import refresh_snapshots
    from cchc.simplification.selectors import CANDIDATES_DAYS, agency_candidates, default_period

    started = time.perf_counter()
    written = refresh_snapshots(agency=agency, units=leading_units(agency))
    line(f"index snapshots: the hourly run ({written} year/month so far)", [time.perf_counter() - started])
    started = time.perf_counter()
    quarter = default_period(days=CANDIDATES_DAYS)
    agency_candidates(agency=agency, date_from=quarter[0], date_to=quarter[1], refresh=True)
    line("simplification candidates: the daily run (a quarter)", [time.perf_counter() - started])

    for label, name, query, usernames, cached in PAGES:
        try:
            url = reverse(name) + "?" + query.format(**values)
        except NoReverseMatch:
            print(f"  {label:<58} skipped: {name} does not exist yet", flush=True)
            continue
        for username in usernames:
            client = Client()
            if username is not None:
                user = User.objects.filter(username=username).first()
                if user is None:
                    print(f"  {label:<58} skipped: no account {username}", flush=True)
                    continue
                client.force_login(user)
            who = f"   ({username or 'anonymous'})"
            cache.clear()
            status = client.get(url).status_code
            if status != 200:
                print(f"  {label:<58} skipped: {url} answered {status}{who}", flush=True)
                continue

            def get(client=client, url=url, clear=True):
                if clear:
                    cache.clear()
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")

            line(label + (", cache cleared" if cached else ""), timed_runs(args.runs, get), unit="ms", note=who)
            if cached:
                line(label + ", cache kept", timed_runs(args.runs, lambda g=get: g(clear=False)), unit="ms", note=who)
            if name in ("reports:dashboard_leader", "reports:dashboard_unit"):
                saved = list(TrendMonth.objects.all())

                def cold(get=get):
                    TrendMonth.objects.all().delete()
                    get()

                line(label + ", no rollup yet", timed_runs(min(args.runs, 2), cold), unit="ms", note=who)
                TrendMonth.objects.all().delete()
                TrendMonth.objects.bulk_create(saved)


# ---------------------------------------------------------------- the province (issue 11)


def setup_province(args) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if not args.generate:
        return
    from cchc.demo.bulk import generate_province
    from cchc.demo.loader import load_demo

    load_demo(province=True)
    print(f"  migrate + demo province {time.perf_counter() - started:8.1f} s", flush=True)

    def progress(done: int, total: int, seconds: float) -> None:
        if done == total or done % (total // 10 or 1) < 25_000:
            print(f"    {done:>10,} / {total:,} dossiers  {seconds:7.1f} s", flush=True)

    result = generate_province(
        count=args.generate,
        months=args.months,
        seed=args.seed,
        progress=progress,
        workers=args.workers,
        bulk_load=True,  # the database was just created for the bench
        chunk_size=5_000,
    )
    print(
        f"  generate_dossiers --province: {result.dossiers:,} dossiers in {result.seconds:.1f} s "
        f"({result.dossiers / result.seconds:,.0f} dossiers/s)",
        flush=True,
    )


def province_requests(first: date, last: date) -> list[tuple[str, str, str]]:
    """(label, username, path with query) of what `bench_province` measures."""
    from django.db.models import Count
    from django.urls import reverse

    from cchc.accounts.models import Agency
    from cchc.dossiers.models import Dossier

    period = f"from={first.isoformat()}&to={last.isoformat()}"
    busiest = (
        Dossier.objects.filter(agency__level=Agency.Level.COMMUNE, received_at__date__range=(first, last))
        .values("agency__code")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    commune = busiest["agency__code"] if busiest else Agency.objects.filter(level="commune").first().code
    index = "/api/v1/reports/service-index"
    return [
        (f"service index API, one commune ({commune})", "lanhdao_tinh", f"{index}?agency={commune}&{period}"),
        ("service index API, the whole province", "lanhdao_tinh", f"{index}?province=1&{period}"),
        ("service index page, the whole province", "lanhdao_tinh", reverse("reports:index") + f"?{period}"),
        (
            "ranking of the communes, API",
            "",
            f"/api/v1/reports/rankings?level=commune&year={last.year}&month={last.month}",
        ),
        (
            "ranking of the communes, page",
            "",
            reverse("reports:rankings") + f"?cap=commune&nam={last.year}&thang={last.month}",
        ),
        ("centre officer's desk", "motcua_tinh", reverse("dossiers:office_home")),
        ("provincial leader's dashboard", "lanhdao_tinh", reverse("reports:dashboard_leader") + f"?thang={last:%Y-%m}"),
    ]


def bench_province(runs: int, first: date, last: date, *, report=line) -> dict[str, float]:
    """Each request of `province_requests`, signed in as its user: the province's first ask apart
    (after the month-close task stored each agency's index), then median of `runs`. Returns {label: median seconds}."""
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from cchc.accounts.models import User
    from cchc.reports.models import IndexSnapshot
    from cchc.reports.province import province_agencies
    from cchc.reports.snapshots import stored_indexes

    medians = {}
    IndexSnapshot.objects.filter(date_from=first).delete()
    # What the periodic task does once the month has closed (`snapshots.close_period_snapshots`):
    # every agency's index of the month, computed ahead so that no visitor waits for it.
    agencies = province_agencies(date_from=first, date_to=last)
    started = time.perf_counter()
    stored_indexes(agencies=agencies, date_from=first, date_to=min(last, timezone.localdate()))
    report(
        f"month-close task: each of {len(agencies)} agencies' index of {first:%m/%Y}",
        [time.perf_counter() - started],
    )
    # and the province's 12-month trend rollups for the leader's dashboard (`tasks.refresh_province_trend`):
    # the run in the chosen month stored the older months, the run now the months since.
    from datetime import datetime

    from cchc.core import clock
    from cchc.core.calendar import VN_TZ
    from cchc.reports.tasks import refresh_province_trend

    started = time.perf_counter()
    for moment in (datetime.combine(last, datetime.min.time(), tzinfo=VN_TZ), clock.now()):
        refresh_province_trend(now=moment)
    report("periodic task: the province's trend rollups (first runs)", [time.perf_counter() - started])
    started = time.perf_counter()
    refresh_province_trend()
    report("periodic task: the province's trend rollups (the hourly run)", [time.perf_counter() - started])
    for label, username, url in province_requests(first, last):
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))

        def get(client=client, url=url):
            cache.clear()
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        if "whole province" in label and "API" in label:
            report(label + ", first ask after the task", timed_runs(1, get))
        samples = timed_runs(runs, get)
        report(label, samples, unit="ms", note=f"   ({username or 'anonymous'})")
        medians[label] = statistics.median(samples)
    return medians


def main_province(args) -> None:
    from cchc.accounts.models import Agency
    from cchc.dossiers.models import Dossier

    setup_province(args)
    first, last = month_bounds(args.month)
    agencies = Agency.objects.filter(province__isnull=False, valid_to__isnull=True).count()
    total = Dossier.objects.count()
    in_month = Dossier.objects.filter(received_at__date__range=(first, last)).count()
    print(f"  {total:,} dossiers over {agencies} agencies; {in_month:,} received in {first:%m/%Y}", flush=True)
    bench_province(args.runs, first, last)


def main() -> None:
    args = parse_args()
    if args.province and "--runs" not in sys.argv:
        args.runs = 3
    engine = check_database(args.database_url, recreate=bool(args.generate))
    configure(args.database_url)

    import django

    django.setup()
    from django.db import connection

    from cchc.accounts.models import Agency
    from cchc.demo.loader import DEMO_AGENCY_CODE
    from cchc.dossiers.models import Dossier

    print(f"CCHC report bench on {engine} ({args.database_url})", flush=True)
    if args.province:
        try:
            main_province(args)
        finally:
            connection.close()
        return
    try:
        setup(args)
        agency = Agency.objects.get(code=args.agency or DEMO_AGENCY_CODE)
        first, last = month_bounds(args.month)
        total = Dossier.objects.filter(agency=agency).count()
        in_month = Dossier.objects.filter(agency=agency, received_at__date__range=(first, last)).count()
        print(f"  {total:,} dossiers of {agency.code}; {in_month:,} received in {first:%m/%Y}", flush=True)
        try:
            import cchc.reports.selectors  # noqa: F401
        except ImportError:
            print("  reports: skipped, cchc.reports.selectors does not exist yet")
        else:
            bench_selectors(args, agency, first, last)
        bench_pages(args, first, last)
    finally:
        connection.close()


if __name__ == "__main__":
    main()
