"""The index's arithmetic, without a database: points, scoring, weights, average processing time."""

from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.calendar import DEFAULT_OFFICE_HOURS, VN_TZ, WorkingCalendar
from cchc.reports.config import DEFAULT_GROUPS, INDICATOR_CODES, index_groups, indicator_spec
from cchc.reports.indicators import (
    DayGroup,
    Figure,
    FinishedRow,
    ProcedureTotals,
    averages_from_groups,
    elapsed_minutes,
    office_intervals,
    points,
    procedure_averages,
    score_index,
)

rates = st.floats(min_value=0, max_value=1, allow_nan=False)
thresholds = st.floats(min_value=0.01, max_value=1, allow_nan=False)
maxima = st.floats(min_value=0, max_value=30, allow_nan=False)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


# ---------------------------------------------------------------- points


def test_full_points_at_and_above_the_threshold():
    assert points(0.8, threshold=0.8, maximum=4) == 4
    assert points(0.95, threshold=0.8, maximum=4) == 4


def test_below_the_threshold_points_are_pro_rated():
    # 40 % of an 80 % threshold earns half the maximum.
    assert points(0.4, threshold=0.8, maximum=4) == pytest.approx(2.0)
    assert points(0.45, threshold=0.9, maximum=12) == pytest.approx(6.0)
    assert points(0, threshold=0.5, maximum=4) == 0


def test_nothing_measured_earns_no_points_rather_than_zero():
    assert points(None, threshold=0.8, maximum=4) is None


def test_a_threshold_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        points(0.5, threshold=0, maximum=4)
    with pytest.raises(ValueError):
        points(0.5, threshold=1.5, maximum=4)


@given(rate=rates, threshold=thresholds, maximum=maxima)
def test_points_stay_between_zero_and_the_maximum(rate, threshold, maximum):
    assert 0 <= points(rate, threshold=threshold, maximum=maximum) <= maximum


@given(a=rates, b=rates, threshold=thresholds, maximum=maxima)
def test_points_never_fall_when_the_rate_rises(a, b, threshold, maximum):
    low, high = sorted((a, b))
    assert points(low, threshold=threshold, maximum=maximum) <= points(high, threshold=threshold, maximum=maximum)


@given(threshold=thresholds, maximum=maxima, extra=st.floats(min_value=0, max_value=1))
def test_the_threshold_and_anything_above_it_earn_the_maximum(threshold, maximum, extra):
    rate = min(threshold + extra, 1.0)
    assert points(rate, threshold=threshold, maximum=maximum) == maximum


# ---------------------------------------------------------------- the definitions as data


def test_the_default_groups_add_up_to_the_decisions_100_points():
    assert [(g.code, g.maximum) for g in DEFAULT_GROUPS] == [
        ("transparency", 18),
        ("progress", 20),
        ("online", 12),
        ("payment", 10),
        ("digitisation", 22),
        ("satisfaction", 18),
    ]
    assert sum(g.maximum for g in DEFAULT_GROUPS) == 100


def test_the_weights_inside_the_groups_follow_the_portals_description():
    """issue 15 item 2; legal-details.md §1.2 [S]: transparency 6/4/2/6, progress all 20 on the on-time
    rate, payment 2/2/6, digitisation 6/4/2/2/4/2/2, satisfaction 6/6/6 (three indicators: complaint
    handling satisfaction was missing); the online group's split is not known (4/4/4 here, "NF")."""
    weights = {g.code: [(i.code, i.maximum) for i in g.indicators] for g in DEFAULT_GROUPS}
    assert weights["transparency"] == [
        ("transparency.published_on_time", 6),
        ("transparency.made_public_on_time", 4),
        ("transparency.published", 2),
        ("transparency.portal_sync", 6),
    ]
    assert weights["progress"] == [("progress.on_time", 20), ("progress.average_time", 0)]
    assert weights["payment"] == [("payment.integrated", 2), ("payment.procedures", 2), ("payment.dossiers", 6)]
    assert [m for _c, m in weights["digitisation"]] == [6, 4, 2, 2, 4, 2, 2]
    assert weights["satisfaction"] == [
        ("satisfaction.complaints", 6),
        ("satisfaction.complaint_handling", 6),
        ("satisfaction.satisfaction", 6),
    ]
    unconfirmed = {i.code for g in DEFAULT_GROUPS for i in g.indicators if i.weight_source != "S"}
    assert unconfirmed == {"progress.average_time", "online.procedures", "online.used", "online.dossiers"}
    for group in DEFAULT_GROUPS:
        assert sum(i.maximum for i in group.indicators) == group.maximum


def test_the_thresholds_the_sources_state():
    """legal-details.md §1.2 [S]: full points at 80 % (online procedures, payment integration, digitised,
    reused), 50 % (online dossiers), 90 % (satisfaction); none stated elsewhere (100 %: rate × max)."""
    stated = {i.code: i.threshold for g in DEFAULT_GROUPS for i in g.indicators if i.threshold < 1}
    assert stated == {
        "online.procedures": 0.8,
        "online.dossiers": 0.5,
        "payment.integrated": 0.8,
        "digitisation.digitised": 0.8,
        "digitisation.reused": 0.8,
        "satisfaction.satisfaction": 0.9,
    }


@override_settings(CCHC_SERVICE_INDEX={"online.procedures": {"max": 6}, "online.used": {"max": 2}})
def test_sub_weights_come_from_the_setting():
    assert indicator_spec("online.procedures").maximum == 6
    assert indicator_spec("online.procedures").weight_source == "config"
    online = next(g for g in index_groups() if g.code == "online")
    assert online.maximum == 12


@pytest.mark.parametrize(
    "setting",
    [
        {"progress.late": {"max": 3}},
        {"progress.on_time": {"max": -1}},
        {"progress.on_time": {"threshold": 0}},
        {"progress.on_time": {"weight": 3}},
        {"progress.on_time": {"max": "10"}},
        # the group would no longer add up to its 20 points
        {"progress.on_time": {"max": 14}},
    ],
)
def test_a_wrong_setting_is_refused_with_its_name(setting):
    with override_settings(CCHC_SERVICE_INDEX=setting), pytest.raises(ImproperlyConfigured, match="CCHC_SERVICE_INDEX"):
        index_groups()


def test_a_setting_leaving_the_100_point_scale_stops_the_start_up():
    from cchc.reports.checks import check_service_index_settings

    with override_settings(CCHC_SERVICE_INDEX={"online.used": {"max": 8}}):
        (error,) = check_service_index_settings()
    assert error.id == "reports.E001" and "'online'" in error.msg
    with override_settings(CCHC_SERVICE_INDEX_NATIONAL="ignore"):
        (error,) = check_service_index_settings()
    assert "CCHC_SERVICE_INDEX_NATIONAL" in error.msg
    assert check_service_index_settings() == []


# ---------------------------------------------------------------- scoring


def test_nothing_measured_earns_zero_and_stays_in_the_maximum():
    """issue 15 item 1: the total is out of 100 whatever could be measured; an indicator measured at
    the national portal without a figure counts 0 and is never dropped from the maximum."""
    figures = {code: Figure(1, 1) for code in INDICATOR_CODES}
    figures["payment.procedures"] = Figure(0, 0)
    figures["transparency.portal_sync"] = Figure(reason="Đo tại Cổng DVCQG: chưa nhập số liệu")
    result = score_index(DEFAULT_GROUPS, figures)
    assert (result["total"], result["max"], result["percent"]) == (92, 100, 92)
    assert (result["measured_max"], result["measured_percent"]) == (92, 100)
    payment = next(g for g in result["groups"] if g["code"] == "payment")
    procedures = payment["indicators"][1]
    assert (procedures["counted"], procedures["points"], procedures["value"]) == (False, 0.0, None)
    assert procedures["reason"] == "Không phát sinh trong kỳ: 0 điểm."
    assert (payment["points"], payment["max"], payment["full_max"], payment["measured_max"]) == (8, 10, 10, 8)
    sync = result["groups"][0]["indicators"][3]
    assert (sync["points"], sync["max"], sync["source"], sync["source_label"]) == (
        0.0,
        6,
        "national",
        "Đo tại Cổng DVCQG",
    )


def test_points_are_rounded_half_up_and_the_sums_add_up():
    figures = {"online.procedures": Figure(1, 2), "online.used": Figure(1, 2), "online.dossiers": Figure(1, 8)}
    online = next(g for g in score_index(DEFAULT_GROUPS, figures)["groups"] if g["code"] == "online")
    # 50 % of an 80 % threshold: 4 × 0.625 = 2.5; 50 % of 100 %: 2; 12.5 % of 50 %: 4 × 0.25 = 1.
    assert [i["points"] for i in online["indicators"]] == [2.5, 2.0, 1.0]
    figures = {"payment.integrated": Figure(1, 2), "payment.procedures": Figure(1, 3)}
    payment = next(g for g in score_index(DEFAULT_GROUPS, figures)["groups"] if g["code"] == "payment")
    # 2 × 0.5 / 0.8 = 1.25; 2 / 3 = 0.666… shown as 0.67
    assert [i["points"] for i in payment["indicators"]] == [1.25, 0.67, 0.0]
    assert payment["points"] == 1.92


# ---------------------------------------------------------------- average processing time


def test_processing_time_leaves_out_tet_weekends_and_the_wait_for_supplementation():
    calendar = WorkingCalendar()
    rows = [
        # Friday before Tết 2025 (25/01–02/02) at 08:00 to Thursday 06/02 at 10:00: 7 h + 3 days + 3 h;
        # due five working days on, 07/02 08:00.
        FinishedRow(1, 1, at(2025, 1, 24, 8), at(2025, 2, 6, 10), deadline_at=at(2025, 2, 7, 8)),
        # 5 days and 3 hours, of which 2 days waiting for the applicant: 3 days and 3 hours; the wait
        # moved the deadline from 07/02 17:00 to 11/02 17:00.
        FinishedRow(1, 1, at(2025, 2, 3, 7), at(2025, 2, 10, 10), deadline_at=at(2025, 2, 11, 17), paused_minutes=960),
        FinishedRow(2, 1, at(2025, 2, 3, 7), at(2025, 2, 20, 10), deadline_at=at(2025, 2, 7, 17)),
    ]
    first, second = procedure_averages(rows, lambda agency_id: calendar)
    assert (first.procedure_id, first.dossiers) == (1, 2)
    assert first.average_minutes == (2040 + 1620) / 2
    assert first.average_days == pytest.approx(3.8125)
    assert first.limit_days == 5
    assert first.within_limit
    # 03/02–20/02 10:00: 13 working days and 3 hours, far beyond 5 days.
    assert second.average_minutes == 13 * 480 + 180
    assert not second.within_limit


def test_a_calendar_day_limit_allows_the_working_time_its_days_hold():
    """issue 15 item 4: a limit of 10 calendar days from Monday 02/03/2026 07:00 ends Thursday 12/03
    17:00, which holds nine working days: that is the dossier's limit in the average-time indicator."""
    calendar = WorkingCalendar()
    start = at(2026, 3, 2, 7)
    deadline = calendar.add_calendar_days(start, 10)
    assert deadline == at(2026, 3, 12, 17)
    (average,) = procedure_averages(
        [FinishedRow(1, 1, start, at(2026, 3, 11, 17), deadline_at=deadline)], lambda agency_id: calendar
    )
    assert average.limit_days == 9  # 02/03–12/03: nine whole working days
    assert average.average_days == 8 and average.within_limit


CALENDAR = WorkingCalendar()
INTERVALS = office_intervals(DEFAULT_OFFICE_HOURS)
moments = st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2026, 2, 28)).map(
    lambda m: m.replace(tzinfo=VN_TZ)
)
finished_rows = st.builds(
    lambda pid, start, days, minutes, limit, paused: FinishedRow(
        pid,
        1,
        start,
        start + timedelta(days=days, minutes=minutes),
        deadline_at=CALENDAR.add_working_minutes(CALENDAR.counting_start(start), limit + paused),
        paused_minutes=paused,
    ),
    st.integers(1, 3),
    moments,
    st.integers(0, 40),
    st.integers(0, 24 * 60),
    st.sampled_from((480, 960, 2400)),
    st.integers(0, 600),
)


def _groups(rows, attribute) -> list[DayGroup]:
    sums = defaultdict(lambda: [0, 0])
    for row in rows:
        moment = getattr(row, attribute).astimezone(VN_TZ)
        key = (row.procedure_id, moment.date())
        sums[key][0] += 1
        sums[key][1] += elapsed_minutes(moment.hour * 60 + moment.minute, INTERVALS)
    return [DayGroup(pid, day, count, elapsed) for (pid, day), (count, elapsed) in sums.items()]


@given(rows=st.lists(finished_rows, min_size=1, max_size=40))
def test_grouped_sums_give_the_same_averages_as_dossier_by_dossier(rows):
    """What the database sums per (procedure, day) equals the calendar applied to each dossier,
    weekends, Tết, lunch breaks and moments outside office hours included."""
    totals = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[row.procedure_id][0] += 1
        totals[row.procedure_id][1] += row.paused_minutes
    grouped = averages_from_groups(
        starts=_groups(rows, "counted_from"),
        ends=_groups(rows, "finished_at"),
        deadlines=_groups(rows, "deadline_at"),
        totals=[ProcedureTotals(pid, *values) for pid, values in totals.items()],
        calendar=CALENDAR,
    )
    assert grouped == procedure_averages(rows, lambda agency_id: CALENDAR)
