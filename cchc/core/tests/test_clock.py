"""CCHC's clock (`core.clock`): one clock every module reads, replayed in one context only."""

import re
import threading
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings

from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.core.models import CalendarOverride
from cchc.dossiers.tests.helpers import frozen

THEN = datetime(2025, 3, 3, 9, 15, tzinfo=VN_TZ)
LATER = datetime(2025, 3, 4, 14, 0, tzinfo=VN_TZ)
# Reading Django's clock, or stamping rows with it, instead of CCHC's.
WALL_CLOCK = re.compile(
    r"timezone\.(now|localdate|localtime)\(\)|default=timezone\.now|models\.DateTimeField\((?:[^()]|\([^()]*\))*auto_now"
)


def test_a_replay_shows_its_moment_as_it_moves_and_ends_where_it_began():
    with clock.replay(THEN) as replay:
        assert clock.now() == THEN and clock.localdate() == THEN.date()
        replay.moment = LATER
        assert clock.now() == replay.moment == LATER
        assert clock.localtime().hour == 14
    assert clock.now() > LATER  # the real clock again


def test_a_replay_moves_the_clock_of_its_own_thread_only():
    seen = []
    with clock.replay(THEN):
        other = threading.Thread(target=lambda: seen.append(clock.now()))
        other.start()
        other.join()
        assert clock.now() == THEN
    assert seen[0] > LATER


def test_a_replayed_moment_has_a_time_zone():
    with pytest.raises(ValueError, match="time zone"):
        clock.replay(datetime(2025, 3, 3, 9, 15)).__enter__()  # noqa: DTZ001 - the mistake refused


@pytest.mark.django_db
def test_rows_are_stamped_with_the_replayed_moment():
    with clock.replay(THEN) as replay:
        override = CalendarOverride.objects.create(
            date=THEN.date(), kind=CalendarOverride.Kind.DAY_OFF, reason="Nghỉ bù (thử)"
        )
        assert override.updated_at == THEN
        replay.moment = LATER
        override.reason = "Nghỉ bù theo thông báo (thử)"
        override.save()
    override.refresh_from_db()
    assert override.updated_at == LATER


def test_every_module_reads_the_clock_of_cchc():
    """A service reading Django's clock would act at the real moment in a replay (the demo's past)."""
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "cchc").rglob("*.py")):
        skipped = {"tests", "migrations", "simulators"} & set(path.parts) or path.name == "clock.py"
        if not skipped:
            text = path.read_text(encoding="utf-8")
            found += [f"{path.name}: {match.group(0)}" for match in WALL_CLOCK.finditer(text)]
    assert not found


def test_outside_a_replay_the_clock_is_djangos_so_the_tests_frozen_moments_reach_it():
    with frozen(THEN):
        assert clock.now() == THEN
        with clock.replay(LATER):
            assert clock.now() == LATER
        assert clock.localdate() == THEN.date()
