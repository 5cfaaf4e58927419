from hypothesis import given
from hypothesis import strategies as st

from cchc.procedures.rules import StepSpec, budget_errors, spec_errors, time_limit_hours

from .factories import make_spec


def test_time_limit_in_working_days_counts_eight_hours_a_day():
    assert time_limit_hours(5, "working_days") == 40
    assert time_limit_hours(16, "working_hours") == 16


def test_valid_spec_has_no_errors():
    assert spec_errors(make_spec()) == []


def test_budgets_that_do_not_add_up_are_reported_in_vietnamese():
    spec = make_spec(time_limit_value=3)
    (error,) = spec_errors(spec)
    assert "16 giờ" in error and "24 giờ" in error


def test_every_broken_rule_is_listed():
    spec = make_spec(code="ABC", online_level=5, components=(), legal_basis=())
    errors = " ".join(spec_errors(spec))
    for fragment in ("1.000010", "2, 3 hoặc 4", "thành phần hồ sơ", "căn cứ pháp lý"):
        assert fragment in errors


@given(
    hours=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=8),
    days=st.integers(min_value=1, max_value=30),
)
def test_budgets_are_valid_exactly_when_they_sum_to_the_limit(hours, days):
    steps = tuple(StepSpec(name=f"B{i}", unit_code="QLVT", role="specialist", hours=h) for i, h in enumerate(hours))
    spec = make_spec(steps=steps, time_limit_value=days)
    assert (budget_errors(spec) == []) == (sum(hours) == days * 8)
