"""Index snapshots: a page reading a year so far gets the stored figures while they are recent, the
same figures the index computes, and the periodic task keeps them recent."""

from datetime import date, datetime, timedelta

from cchc.core.calendar import VN_TZ
from cchc.dossiers.models import Dossier
from cchc.reports.models import IndexSnapshot
from cchc.reports.selectors import service_index
from cchc.reports.snapshots import refresh_snapshots, stored_index

from .conftest import NOW, PERIOD


def test_a_stored_index_is_the_index_and_is_reused_while_recent(february, django_assert_num_queries):
    agency, unit = february.unit.agency, february.unit
    first = stored_index(agency=agency, unit=unit, date_from=PERIOD[0], date_to=PERIOD[1], now=NOW)
    expected = service_index(date_from=PERIOD[0], date_to=PERIOD[1], agency=agency, unit=unit, now=NOW)
    assert first.values()["progress.on_time"] == next(
        i["value"] for g in expected["groups"] for i in g["indicators"] if i["code"] == "progress.on_time"
    )
    assert IndexSnapshot.objects.count() == 1
    with django_assert_num_queries(1):
        again = stored_index(agency=agency, unit=unit, date_from=PERIOD[0], date_to=PERIOD[1], now=NOW)
    assert again.computed_at == NOW and again.result == first.result


def test_an_old_snapshot_is_computed_again_with_the_new_figures(february):
    agency, unit = february.unit.agency, february.unit
    stored_index(agency=agency, unit=unit, date_from=PERIOD[0], date_to=PERIOD[1], now=NOW)
    before = stored_index(agency=agency, unit=unit, date_from=PERIOD[0], date_to=PERIOD[1], now=NOW).values()
    Dossier.objects.filter(pk__in=[d.pk for d in february.dossiers.values()]).update(channel="counter")
    later = NOW + timedelta(days=2)  # a closed period is kept a day
    after = stored_index(agency=agency, unit=unit, date_from=PERIOD[0], date_to=PERIOD[1], now=later)
    assert after.computed_at == later
    assert before["online.dossiers"] not in (None, 0.0) and after.values()["online.dossiers"] == 0.0


def test_the_periodic_refresh_stores_the_year_and_month_so_far(february):
    agency, unit = february.unit.agency, february.unit
    now = datetime(2025, 2, 20, 9, tzinfo=VN_TZ)
    assert refresh_snapshots(agency=agency, units=[unit], now=now) == 4
    periods = set(IndexSnapshot.objects.values_list("scope_key", "date_from", "date_to"))
    assert (f"agency={agency.code}&unit={unit.code}", date(2025, 1, 1), date(2025, 2, 20)) in periods
    assert (f"agency={agency.code}", date(2025, 2, 1), date(2025, 2, 20)) in periods
    # The page asking within the hour reads the stored figures.
    later = now + timedelta(minutes=40)
    page = stored_index(agency=agency, date_from=date(2025, 1, 1), date_to=date(2025, 2, 20), now=later)
    assert page.computed_at == now
    # Three hours later (two refresh intervals have passed without the task) it is computed again.
    late = now + timedelta(hours=3)
    assert (
        stored_index(agency=agency, date_from=date(2025, 1, 1), date_to=date(2025, 2, 20), now=late).computed_at == late
    )


def test_the_task_computes_every_agencys_closed_month_ahead_and_keeps_it_once_final(
    february, monkeypatch, django_assert_max_num_queries
):
    """At 300,000 dossiers the province's index of a closed month made its first visitor wait 51 s
    while each agency's index was computed; the periodic task now computes them when the month
    closes, and a month's figures, once final, are never computed again."""
    from cchc.reports import snapshots
    from cchc.reports.province import province_agencies
    from cchc.reports.snapshots import close_period_snapshots, stored_indexes

    agencies = province_agencies(date_from=PERIOD[0], date_to=PERIOD[1])
    closed = datetime(2025, 3, 1, 2, tzinfo=VN_TZ)  # the first run after February closed
    assert close_period_snapshots(now=closed) == len(agencies)
    assert close_period_snapshots(now=closed + timedelta(minutes=60)) == 0  # nothing to do within the day

    def computing(*args, **kwargs):
        raise AssertionError("the province's index of a closed month computed an agency's index")

    # The first visitor reads the stored figures: one query for the agencies' snapshots.
    with monkeypatch.context() as patch:
        patch.setattr(snapshots, "service_index_for", computing)
        with django_assert_max_num_queries(1):
            found = stored_indexes(agencies=agencies, date_from=PERIOD[0], date_to=PERIOD[1], now=closed)
    assert set(found) == {a.pk for a in agencies}

    # Until the month is final (ratings and complaints still come in), the task keeps it fresh...
    assert close_period_snapshots(now=closed + timedelta(days=2)) == len(agencies)
    # ... and once computed final, it is kept: weeks later nothing is computed again.
    final = snapshots.period_end(PERIOD[1]) + snapshots.FINAL_AFTER + timedelta(hours=1)
    stored_indexes(agencies=agencies, date_from=PERIOD[0], date_to=PERIOD[1], now=final)
    Dossier.objects.filter(pk__in=[d.pk for d in february.dossiers.values()]).update(channel="counter")
    months_later = final + timedelta(days=90)
    refresh_snapshots(agency=agencies[0], units=[], now=months_later)  # its clean-up keeps final figures
    with monkeypatch.context() as patch:
        patch.setattr(snapshots, "service_index_for", computing)
        stored_indexes(agencies=agencies, date_from=PERIOD[0], date_to=PERIOD[1], now=months_later)
