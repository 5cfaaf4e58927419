"""Throughput benchmark for cchc.core.calendar.WorkingCalendar.

Usage (from the repository root):

    .venv/bin/python bench/bench_calendar.py [N]

Computes N (default 200,000) due moments from seeded random receipt moments
spread over 2024-2027 (mixed minutes and seconds, in and out of office hours,
weekends and holidays included) with 1-120 working hours each, then times
counting_start and working_hours_between on the same inputs. Prints figures
only; the target is >= 100,000 add_working_hours calls per second on one core.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from cchc.core.calendar import VN_TZ, WorkingCalendar

SEED = 20250426


def make_inputs(n: int) -> tuple[list[datetime], list[int]]:
    rng = random.Random(SEED)
    start = datetime(2024, 1, 1, tzinfo=VN_TZ)
    span_seconds = int((datetime(2027, 12, 31, tzinfo=VN_TZ) - start).total_seconds())
    moments = [start + timedelta(seconds=rng.randrange(span_seconds)) for _ in range(n)]
    hours = [rng.randint(1, 120) for _ in range(n)]
    return moments, hours


def report(label: str, n: int, seconds: float) -> None:
    rate = n / seconds if seconds else float("inf")
    print(f"calendar: {n} {label} in {seconds:.2f} s = {rate:,.0f} per second")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    moments, hours = make_inputs(n)
    calendar = WorkingCalendar()

    # Warm up: loads the statutory data for the whole range once, so the timed
    # loops measure steady-state throughput, not one-off holiday loading.
    for moment, h in zip(moments[:1000], hours[:1000], strict=True):
        calendar.add_working_hours(moment, h)
    calendar.add_working_hours(datetime(2027, 12, 31, 16, tzinfo=VN_TZ), 120)

    add = calendar.add_working_hours
    t0 = time.perf_counter()
    dues = [add(moment, h) for moment, h in zip(moments, hours, strict=True)]
    report("due moments (add_working_hours)", n, time.perf_counter() - t0)

    start = calendar.counting_start
    t0 = time.perf_counter()
    for moment in moments:
        start(moment)
    report("counting starts (counting_start)", n, time.perf_counter() - t0)

    between = calendar.working_hours_between
    t0 = time.perf_counter()
    for moment, due in zip(moments, dues, strict=True):
        between(moment, due)
    report("intervals (working_hours_between)", n, time.perf_counter() - t0)

    # Django hands out aware datetimes in UTC (USE_TZ=True): time that path too.
    utc = [m.astimezone(UTC) for m in moments]
    t0 = time.perf_counter()
    for moment, h in zip(utc, hours, strict=True):
        add(moment, h)
    report("due moments from UTC input (add_working_hours)", n, time.perf_counter() - t0)


if __name__ == "__main__":
    main()
