"""Pure rules: reminders, targets, months, the task lifecycle."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cchc.plans import rules
from cchc.plans.workflow import TASK_TRANSITIONS, TaskStatus, can_finish, can_move_task

DAYS = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=4)


@given(days=DAYS, start=st.integers(min_value=0, max_value=40), after=st.integers(min_value=1, max_value=20))
def test_a_daily_scan_sends_each_reminder_once_tightest_last_then_late_once(days, start, after):
    deadline = date(2026, 6, 30)
    sent: list[str] = []
    for offset in range(-start, after + 1):
        kind = rules.reminder_due(deadline=deadline, today=deadline + timedelta(days=offset), days=days, sent=sent)
        if kind:
            sent.append(kind)
    assert len(sent) == len(set(sent))
    assert sent.count(rules.LATE) == 1 and sent[-1] == rules.LATE
    before = [int(k.split("_")[1]) for k in sent[:-1]]
    assert before == sorted(before, reverse=True)  # never a looser reminder after a tighter one
    assert before[-1] == min(days)  # the scan ran on the deadline day, so the tightest reminder went out
    reached = [d for d in days if start <= d]
    assert before[0] == (min(reached) if reached else max(days))  # first: the tightest reached, or the loosest


def test_a_task_due_in_three_days_gets_the_seven_day_reminder_and_not_the_one_day_one():
    today = date(2026, 6, 1)
    deadline = today + timedelta(days=3)
    assert rules.reminder_due(deadline=deadline, today=today, days=(7, 1), sent=()) == "before_7"
    assert rules.reminder_due(deadline=deadline, today=today, days=(7, 1), sent=("before_7",)) is None
    assert rules.reminder_due(deadline=deadline, today=today - timedelta(days=10), days=(7, 1), sent=()) is None


@given(
    value=st.decimals(min_value=0, max_value=100, places=2), target=st.decimals(min_value=0, max_value=100, places=2)
)
def test_at_least_and_at_most_agree_only_on_equality(value, target):
    gte = rules.target_met(value=value, comparison=rules.GTE, target=target)
    lte = rules.target_met(value=value, comparison=rules.LTE, target=target)
    assert gte or lte
    assert (gte and lte) == (value == target)


def test_nothing_measured_is_neither_met_nor_missed():
    assert rules.target_met(value=None, comparison=rules.GTE, target=Decimal(90)) is None


def test_months_are_read_in_both_spellings_and_nonsense_is_refused():
    assert rules.parse_month("2026-03") == (2026, 3)
    assert rules.parse_month("03/2026") == (2026, 3)
    for bad in ("", "2026", "2026-13", "abc-de", "13/2026", "1999-01"):
        assert rules.parse_month(bad) is None


@given(deadline=st.dates(), today=st.dates(), is_open=st.booleans())
def test_only_open_tasks_past_their_deadline_are_late(deadline, today, is_open):
    assert rules.is_late(deadline=deadline, is_open=is_open, today=today) == (is_open and deadline < today)


def test_a_cancelled_task_goes_nowhere_and_done_needs_a_report_or_100_percent():
    assert not any(can_move_task(TaskStatus.CANCELLED, to) for to in TaskStatus.values)
    assert all(can_move_task(a, b) == (b in TASK_TRANSITIONS[a]) for a in TaskStatus.values for b in TaskStatus.values)
    assert not can_finish(progress=80, report_count=0)
    assert can_finish(progress=100, report_count=0)
    assert can_finish(progress=10, report_count=1)
