"""Reports read from the replica only when it keeps up; everything else reads the primary."""

from unittest import mock

import pytest
from django.db import OperationalError, transaction

from cchc.core import replica
from cchc.core.replica import ReplicaRouter, replica_reads
from cchc.dossiers.models import Dossier


@pytest.fixture
def with_replica(settings, monkeypatch):
    monkeypatch.setitem(settings.DATABASES, "replica", {"ENGINE": "django.db.backends.postgresql", "NAME": "x"})
    settings.CCHC_REPLICA_MAX_LAG_SECONDS = 30
    monkeypatch.setattr(replica, "_lag_checked_at", 0.0)
    return settings


def _read_database(lag=None, error=None) -> str | None:
    probe = mock.Mock(return_value=lag, side_effect=error)
    with mock.patch.object(replica, "replica_lag_seconds", probe), mock.patch.object(replica, "connections") as conns:
        conns.__getitem__.return_value.in_atomic_block = False
        return replica_reads(lambda: ReplicaRouter().db_for_read(Dossier))()


def test_a_report_reads_from_a_replica_that_keeps_up(with_replica):
    assert _read_database(lag=2.0) == "replica"


def test_a_replica_lagging_beyond_the_setting_is_skipped(with_replica):
    assert _read_database(lag=45.0) is None


def test_an_unreachable_replica_is_skipped(with_replica):
    assert _read_database(error=OperationalError("could not connect")) is None


def test_other_views_read_the_primary(with_replica):
    assert ReplicaRouter().db_for_read(Dossier) is None


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(with_replica):
    with mock.patch.object(replica, "replica_lag_seconds", return_value=0.0), transaction.atomic():
        assert replica_reads(lambda: ReplicaRouter().db_for_read(Dossier))() is None


def test_without_a_replica_everything_reads_the_primary(settings):
    assert "replica" not in settings.DATABASES
    assert replica_reads(lambda: ReplicaRouter().db_for_read(Dossier))() is None


def test_writes_and_migrations_never_reach_the_replica():
    router = ReplicaRouter()
    assert replica_reads(lambda: router.db_for_write(Dossier))() == "default"
    assert router.allow_migrate("replica", "dossiers") is False and router.allow_migrate("default", "dossiers")
