"""The compliance cost rules of domain.md §10."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.simplification import costs

# 7,040,000 đồng a month is 40,000 đồng an hour (÷ 22 days ÷ 8 hours).
INCOME = 7_040_000
WORKED_BEFORE = costs.CostInputs(
    hours={
        "learning": Decimal(2),
        "preparing": Decimal(6),
        "submitting": Decimal(3),
        "waiting": Decimal(2),
        "receiving": Decimal(2),
    },
    expenses={"copies": 20_000, "certifications": 54_000, "travel": 150_000, "services": 65_000},
    fees=135_000,
)
WORKED_AFTER = costs.CostInputs(
    hours={
        "learning": Decimal("0.5"),
        "preparing": Decimal(1),
        "submitting": Decimal("0.25"),
        "receiving": Decimal("0.25"),
    },
    expenses={"services": 36_000},
    fees=115_000,
)

hours = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)
money = st.integers(min_value=0, max_value=10**9)
activity_hours = st.fixed_dictionaries(dict.fromkeys(costs.ACTIVITIES, hours))
expenses = st.fixed_dictionaries(dict.fromkeys(costs.EXPENSES, money))


def test_hourly_income_is_monthly_income_over_22_days_of_8_hours():
    assert costs.hourly_income(INCOME) == 40_000
    assert costs.hourly_income(5_000_000) * 176 == 5_000_000


def test_the_worked_case_saves_77_44_percent():
    before = costs.case_cost(WORKED_BEFORE, monthly_income=INCOME)
    after = costs.case_cost(WORKED_AFTER, monthly_income=INCOME)
    assert (before.hours, before.time_cost, before.expenses, before.fees) == (15, 600_000, 289_000, 135_000)
    assert before.total == 1_024_000
    assert after.total == 231_000
    assert costs.saving_percent(before.total, after.total) == Decimal("77.44")
    assert costs.saving_percent(1_024_000, 231_000) == Decimal("77.44")


def test_annual_cost_is_cost_per_case_times_cases():
    assert costs.annual_cost(1_024_000, 18_500) == 18_944_000_000
    assert costs.annual_cost(231_000, 0) == 0
    with pytest.raises(ValueError):
        costs.annual_cost(1, -1)


def test_time_cost_is_rounded_half_up_to_the_dong():
    # 8,800 đồng a month is 50 đồng an hour: 0.01 hour is exactly half a đồng, 0.03 hour 1.5 đồng.
    assert costs.case_cost(costs.CostInputs(hours={"learning": Decimal("0.01")}), monthly_income=8_800).time_cost == 1
    assert costs.case_cost(costs.CostInputs(hours={"learning": Decimal("0.03")}), monthly_income=8_800).time_cost == 2
    # 5,000,000 / 176 × 0.01 = 284.09… → 284
    assert (
        costs.case_cost(costs.CostInputs(hours={"learning": Decimal("0.01")}), monthly_income=5_000_000).time_cost
        == 284
    )


def test_no_cost_before_gives_no_saving_rather_than_a_crash():
    assert costs.saving_percent(0, 0) is None
    assert costs.saving_percent(0, 50_000) is None


def test_a_proposal_that_costs_more_is_a_negative_saving():
    assert costs.saving_percent(100_000, 150_000) == Decimal("-50.00")


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        costs.CostInputs(hours={"learning": Decimal(-1)})
    with pytest.raises(ValueError):
        costs.CostInputs(expenses={"travel": -5})
    with pytest.raises(ValueError):
        costs.CostInputs(fees=-1)
    with pytest.raises(ValueError):
        costs.hourly_income(-1)


@given(activity_hours, expenses, money, st.sampled_from(costs.ACTIVITIES), hours, money)
def test_cost_never_falls_when_hours_grow(base_hours, base_expenses, fees, activity, extra, income):
    before = costs.case_cost(costs.CostInputs(base_hours, base_expenses, fees), monthly_income=income)
    more = dict(base_hours, **{activity: base_hours[activity] + extra})
    after = costs.case_cost(costs.CostInputs(more, base_expenses, fees), monthly_income=income)
    assert after.total >= before.total


@given(activity_hours, expenses, money, money, money)
def test_cost_never_falls_when_income_grows(base_hours, base_expenses, fees, income, raise_):
    inputs = costs.CostInputs(base_hours, base_expenses, fees)
    assert (
        costs.case_cost(inputs, monthly_income=income + raise_).total
        >= costs.case_cost(inputs, monthly_income=income).total
    )


@given(activity_hours, expenses, money, money)
def test_cost_is_its_parts(base_hours, base_expenses, fees, income):
    cost = costs.case_cost(costs.CostInputs(base_hours, base_expenses, fees), monthly_income=income)
    assert cost.total == cost.time_cost + sum(base_expenses.values()) + fees
    assert abs(cost.time_cost - cost.hours * Decimal(income) / 176) <= Decimal("0.5")


@given(money, money)
def test_saving_is_at_most_100_percent_and_signed_like_the_difference(before, after):
    saving = costs.saving_percent(before, after)
    if before == 0:
        assert saving is None
        return
    assert saving <= 100
    assert (saving > 0) <= (after < before)
    assert (saving < 0) <= (after > before)
    if after == before:
        assert saving == 0
    if after == 0:
        assert saving == 100
