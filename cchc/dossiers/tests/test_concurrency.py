"""Races that only a real server shows: run on PostgreSQL (CI does), skipped on SQLite."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from cchc.core.errors import ApplicationError
from cchc.dossiers.codes import parse_dossier_code
from cchc.dossiers.models import Dossier, DossierEvent

from .helpers import act, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL's row locks and real threads"),
]


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return run


def test_fifty_parallel_submissions_get_fifty_consecutive_codes(demo):
    users = ["congdan", "congdan2", "doanhnghiep"]

    @_in_thread
    def one(i):
        return submit(username=users[i % 3], key=f"song-song-{i}").code

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(one, range(50)))

    assert len(set(codes)) == 50
    days = {parse_dossier_code(c)[1] for c in codes}
    sequences = sorted(parse_dossier_code(c)[2] for c in codes)
    assert len(days) == 1
    assert sequences == list(range(1, 51))  # no repeats, no gaps
    assert Dossier.objects.count() == 50


def test_two_officers_receiving_at_once_one_wins_and_nothing_doubles(demo):
    dossier = submit()

    @_in_thread
    def receive(_i):
        try:
            act(Dossier.objects.get(pk=dossier.pk), "motcua", "receive")
            return "ok"
        except ApplicationError as exc:
            return exc.message

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(receive, range(2)))

    assert outcomes.count("ok") == 1
    assert any("Không thể" in o for o in outcomes if o != "ok")
    assert DossierEvent.objects.filter(dossier_id=dossier.pk, action="receive").count() == 1
    assert connection.vendor == "postgresql"
