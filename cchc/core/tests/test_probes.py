"""/healthz, /readyz and /metrics as an operator's monitoring sees them."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from cchc.core import health, heartbeat
from cchc.core.models import WorkerBeat


def test_healthz_answers_without_the_database_or_a_known_host(client, settings):
    settings.ALLOWED_HOSTS = ["dvc.example.gov.vn"]
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection") as connect:
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    connect.assert_not_called()


def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_ready_with_a_live_worker(client):
    heartbeat.beat("w1")
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "worker", "migrations"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_fails_when_the_worker_is_silent_for_a_minute(client, settings):
    settings.CCHC_WORKER_STALE_SECONDS = 60
    heartbeat.beat("w1")
    WorkerBeat.objects.update(beat_at=timezone.now() - timedelta(seconds=61))
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["worker"]["ok"] is False and "61 s old" in checks["worker"]["error"]
    assert checks["database"]["ok"] is True


@pytest.mark.django_db
def test_readyz_fails_without_any_worker(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "ok": False,
        "ms": response.json()["checks"]["worker"]["ms"],
        "error": "no task worker has ever beaten",
    }


@pytest.mark.django_db
def test_readyz_names_a_database_that_does_not_answer(client):
    heartbeat.beat("w1")
    with mock.patch.dict(health.CHECKS, database=mock.Mock(side_effect=OperationalError("connection refused"))):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["error"] == "OperationalError: connection refused"


@pytest.mark.django_db
def test_readyz_reports_unapplied_migrations(client, monkeypatch):
    heartbeat.beat("w1")
    monkeypatch.setattr(health, "_migrated", False)
    with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[("x", False)]):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["error"] == "1 migration(s) not applied"


@pytest.mark.django_db
def test_metrics_need_the_bearer_token_when_one_is_set(client, settings):
    settings.CCHC_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    refused = client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert refused.json()["code"] == "unauthenticated"
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert allowed.status_code == 200 and "cchc_tasks_oldest_waiting_seconds" in allowed.content.decode()


def test_probes_answer_only_reads(client):
    assert Client().post("/healthz").status_code == 405
