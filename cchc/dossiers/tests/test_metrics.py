"""The dossier figures /metrics gives an operator, per agency."""

from datetime import timedelta

from django.utils import timezone

from cchc.dossiers.models import Notification

from .helpers import act, submit


def _metrics(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_metrics_carry_the_dossiers_per_agency_and_the_queue(demo, client, settings):
    settings.CCHC_METRICS_CACHE_SECONDS = 0
    received = act(submit(), "motcua", "receive")
    submit()  # submitted online, not received yet
    Notification.objects.create(
        channel="email", subject="x", body="x", state=Notification.State.FAILED, address="a@example.vn"
    )
    text = _metrics(client)
    agency = received.agency.code
    assert f'cchc_dossiers_received_total{{agency="{agency}"}} 1.0' in text
    assert f'cchc_dossiers_waiting{{agency="{agency}"}} 1.0' in text
    assert f'cchc_dossiers_late{{agency="{agency}"}} 0.0' in text
    assert f'cchc_dossiers_returned_total{{agency="{agency}"}} 0.0' in text
    assert 'cchc_notifications_failed{channel="email"} 1.0' in text
    # Submitting and receiving queued notification jobs; nothing ran them.
    assert 'cchc_tasks_waiting{queue="default"}' in text
    assert "cchc_tasks_oldest_waiting_seconds" in text
    assert "cchc_worker_last_beat_seconds -1.0" in text
    # django-prometheus's own figures are there too.
    assert "django_http_requests_total_by_method_total" in text


def test_a_late_dossier_is_counted_late(demo, client, settings):
    settings.CCHC_METRICS_CACHE_SECONDS = 0
    dossier = act(submit(), "motcua", "receive")
    type(dossier).objects.filter(pk=dossier.pk).update(deadline_at=timezone.now() - timedelta(hours=1))
    assert f'cchc_dossiers_late{{agency="{dossier.agency.code}"}} 1.0' in _metrics(client)
