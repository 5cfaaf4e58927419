"""`/metrics`: Prometheus text with django-prometheus's request, cache and database figures, plus
CCHC's own, each collected from the database at scrape time by the functions named in
`settings.CCHC_METRICS_COLLECTORS` (so this module imports no app above core).

A collector is a function returning prometheus_client metric families. Its result is kept in the
cache for `CCHC_METRICS_CACHE_SECONDS`, so several scrapers (or a short scrape interval) cost one
set of queries. Under gunicorn with `PROMETHEUS_MULTIPROC_DIR` set, the request figures are summed
over every worker process.
"""

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Min
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from cchc.core import clock

from .heartbeat import latest_beat

CACHE_KEY = "cchc:metrics"


def collect_tasks():
    """The task queue: jobs waiting per queue, the age of the oldest that could run now, jobs
    running, and how long ago a worker last beat."""
    now = clock.now()
    depth = GaugeMetricFamily("cchc_tasks_waiting", "Jobs waiting in the task queue.", labels=["queue"])
    oldest = GaugeMetricFamily(
        "cchc_tasks_oldest_waiting_seconds", "Age of the oldest job that could run now (0 when none)."
    )
    running = GaugeMetricFamily("cchc_tasks_running", "Jobs claimed by a worker and not finished.")
    ready = DBTaskResult.objects.ready()
    for row in ready.values("queue_name").annotate(n=Count("pk")).order_by("queue_name"):
        depth.add_metric([row["queue_name"]], row["n"])
    first = ready.aggregate(first=Min("enqueued_at"))["first"]
    oldest.add_metric([], (now - first).total_seconds() if first else 0)
    running.add_metric([], DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count())
    beat = GaugeMetricFamily("cchc_worker_last_beat_seconds", "Seconds since a task worker last beat (-1: never).")
    last = latest_beat()
    beat.add_metric([], (now - last).total_seconds() if last else -1)
    return [depth, oldest, running, beat]


class _Collected:
    """Adapts the cached metric families to prometheus_client's collector interface."""

    def __init__(self, families):
        self.families = families

    def collect(self):
        return iter(self.families)


def cchc_families() -> list:
    seconds = settings.CCHC_METRICS_CACHE_SECONDS
    cache = caches["default"]
    families = cache.get(CACHE_KEY) if seconds else None
    if families is None:
        families = [family for path in settings.CCHC_METRICS_COLLECTORS for family in import_string(path)()]
        if seconds:
            cache.set(CACHE_KEY, families, seconds)
    return families


def metrics_text() -> bytes:
    """Everything `/metrics` answers, in Prometheus's text format."""
    if settings.PROMETHEUS_MULTIPROC_DIR:
        process_registry = CollectorRegistry()
        MultiProcessCollector(process_registry)
    else:
        process_registry = REGISTRY
    own = CollectorRegistry()
    own.register(_Collected(cchc_families()))
    return generate_latest(process_registry) + generate_latest(own)
