"""CCHC's dossier figures for `/metrics` (named in settings.CCHC_METRICS_COLLECTORS).

Per agency: dossiers ever received and returned (counters), dossiers being handled now and those of
them late by the one rule of `timeliness`; per channel, notifications that failed in the last day.
One aggregate query for the dossiers, one for the notifications.
"""

from datetime import timedelta

from django.db.models import Count, Q
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from cchc.core import clock

from . import timeliness
from .models import Dossier, Notification


def collect():
    now = clock.now()
    received = CounterMetricFamily("cchc_dossiers_received", "Dossiers received, ever.", labels=["agency"])
    returned = CounterMetricFamily(
        "cchc_dossiers_returned", "Dossiers whose result was returned, ever.", labels=["agency"]
    )
    waiting = GaugeMetricFamily("cchc_dossiers_waiting", "Dossiers received and being handled now.", labels=["agency"])
    late = GaugeMetricFamily("cchc_dossiers_late", "Dossiers being handled and late now.", labels=["agency"])
    rows = (
        Dossier.objects.values("agency__code")
        .annotate(
            received=Count("pk", filter=Q(received_at__isnull=False)),
            returned=Count("pk", filter=Q(returned_at__isnull=False)),
            waiting=Count("pk", filter=Q(status__in=timeliness.UNFINISHED, received_at__isnull=False)),
            late=Count("pk", filter=timeliness.open_late(now)),
        )
        .order_by("agency__code")
    )
    for row in rows:
        agency = [row["agency__code"]]
        received.add_metric(agency, row["received"])
        returned.add_metric(agency, row["returned"])
        waiting.add_metric(agency, row["waiting"])
        late.add_metric(agency, row["late"])
    failing = GaugeMetricFamily(
        "cchc_notifications_failed", "Notifications that failed to send in the last 24 hours.", labels=["channel"]
    )
    recent_failures = Notification.objects.filter(
        state=Notification.State.FAILED, created_at__gte=now - timedelta(days=1)
    )
    for row in recent_failures.values("channel").annotate(n=Count("pk")).order_by("channel"):
        failing.add_metric([row["channel"]], row["n"])
    return [received, returned, waiting, late, failing]
