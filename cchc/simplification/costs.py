"""Compliance cost of an administrative procedure (domain.md §10). Pure: no Django, no database.

Cost of one case = Σ over the activities (learning the requirements, preparing the dossier,
submitting, waiting, receiving the result) of hours × average hourly income
+ out-of-pocket costs (copies, certifications, travel, services) + fees and charges.
Average hourly income = average monthly income ÷ 22 working days ÷ 8 hours.
Annual cost = cost per case × cases per year; saving = (before − after) ÷ before.

Money is integer VND: the time cost is computed exactly and the case's total rounded once,
half up, to the đồng. Percentages are rounded half up to two decimals
(1,024,000 → 231,000 đồng is a 77.44 % saving).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# The activities of an applicant and the kinds of out-of-pocket cost, in the order the forms show them.
ACTIVITIES: tuple[str, ...] = ("learning", "preparing", "submitting", "waiting", "receiving")
EXPENSES: tuple[str, ...] = ("copies", "certifications", "travel", "services")

WORKING_DAYS_PER_MONTH = 22
HOURS_PER_WORKING_DAY = 8

_VND = Decimal(1)
_PERCENT = Decimal("0.01")


def round_vnd(amount: Decimal | int) -> int:
    """Whole đồng, half up."""
    return int(Decimal(amount).quantize(_VND, rounding=ROUND_HALF_UP))


def hourly_income(monthly_income: int) -> Decimal:
    """Average hourly income: monthly ÷ 22 ÷ 8, exact (rounding happens on the case's total)."""
    if monthly_income < 0:
        raise ValueError("monthly income must not be negative")
    return Decimal(monthly_income) / (WORKING_DAYS_PER_MONTH * HOURS_PER_WORKING_DAY)


@dataclass(frozen=True)
class CostInputs:
    """What one case costs the applicant: hours per activity, out-of-pocket costs, fees (VND)."""

    hours: Mapping[str, Decimal] = field(default_factory=dict)
    expenses: Mapping[str, int] = field(default_factory=dict)
    fees: int = 0

    def __post_init__(self) -> None:
        for name, value in self.hours.items():
            if Decimal(value) < 0:
                raise ValueError(f"hours of {name} must not be negative")
        for name, value in self.expenses.items():
            if int(value) != value or value < 0:
                raise ValueError(f"cost {name} must be a whole, non-negative amount")
        if int(self.fees) != self.fees or self.fees < 0:
            raise ValueError("fees must be a whole, non-negative amount")

    @property
    def total_hours(self) -> Decimal:
        return sum((Decimal(value) for value in self.hours.values()), Decimal(0))

    @property
    def total_expenses(self) -> int:
        return sum(int(value) for value in self.expenses.values())


@dataclass(frozen=True)
class CaseCost:
    """The cost of one case, split as domain.md §10 adds it up (VND)."""

    hours: Decimal
    time_cost: int
    expenses: int
    fees: int

    @property
    def total(self) -> int:
        return self.time_cost + self.expenses + self.fees


def case_cost(inputs: CostInputs, *, monthly_income: int) -> CaseCost:
    """The compliance cost of one case. `time_cost` is the hours' value rounded to the đồng; the
    other parts are whole đồng already, so `total` is the exact sum rounded once."""
    hours = inputs.total_hours
    return CaseCost(
        hours=hours,
        time_cost=round_vnd(hours * hourly_income(monthly_income)),
        expenses=inputs.total_expenses,
        fees=int(inputs.fees),
    )


def annual_cost(cost_per_case: int, cases_per_year: int) -> int:
    if cases_per_year < 0:
        raise ValueError("cases per year must not be negative")
    return cost_per_case * cases_per_year


def saving_percent(before: int, after: int) -> Decimal | None:
    """(before − after) ÷ before in percent, two decimals; None when there is no cost before
    (nothing to save from). Negative when the proposal costs more; at most 100 while the cost
    after is not negative."""
    if before <= 0:
        return None
    return (Decimal(before - after) * 100 / Decimal(before)).quantize(_PERCENT, rounding=ROUND_HALF_UP)
