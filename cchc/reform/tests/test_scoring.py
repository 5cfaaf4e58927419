"""The PAR Index arithmetic: leaf scores by method, sums, the index, bands, the gap, recoverable points."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.reform import scoring
from cchc.reform.scoring import CriterionInput, band_for, band_rank, gap_to_target, index_of, leaf_score, score_tree

D = Decimal
points = st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def trees(draw):
    """A consistent tree: parents' maxima are the sums of their children's; leaves of every method."""
    items: list[CriterionInput] = []

    def leaf(code: str) -> Decimal:
        maximum = draw(points)
        method = draw(st.sampled_from(sorted(scoring.METHODS)))
        self_score = draw(st.none() | st.decimals(min_value=-5, max_value=maximum + 5, places=2))
        value = draw(st.none() | st.floats(min_value=-10, max_value=150, allow_nan=False))
        appraised = draw(st.none() | st.decimals(min_value=0, max_value=maximum, places=2))
        items.append(CriterionInput(code, maximum, method, self_score, value, appraised))
        return maximum

    def node(code: str, depth: int) -> Decimal:
        count = draw(st.integers(0, 3 if depth < 2 else 0))
        if count == 0:
            return leaf(code)
        maximum = sum((node(f"{code}.{n}", depth + 1) for n in range(1, count + 1)), D(0))
        items.append(CriterionInput(code, maximum))
        return maximum

    for n in range(1, draw(st.integers(1, 4)) + 1):
        node(str(n), 0)
    return items


@given(trees())
def test_the_total_never_exceeds_the_maximum_and_nothing_is_negative(items):
    scored = score_tree(items)
    total, maximum = scoring.projected_total(scored), scoring.total_max(scored)
    assert D(0) <= total <= maximum
    for node in scored:
        assert D(0) <= node.projected <= node.max_points
        assert node.recoverable >= 0
        assert node.projected + node.recoverable == node.max_points
        if node.computed_score is not None:
            assert D(0) <= node.computed_score <= node.max_points


@given(trees())
def test_a_parent_is_the_sum_of_its_parts(items):
    scored = score_tree(items)
    for parent in scored:
        kids = [node for node in scored if node.parent == parent.code]
        if not kids:
            assert parent.is_leaf
            continue
        assert parent.projected == sum((k.projected for k in kids), D(0))
        assert parent.recoverable == sum((k.recoverable for k in kids), D(0))
        computed = [k.computed_score for k in kids if k.computed_score is not None]
        assert parent.computed_score == (sum(computed, D(0)) if computed else None)
    leaves = [node for node in scored if node.is_leaf]
    assert scoring.projected_total(scored) == sum((leaf.projected for leaf in leaves), D(0))


@given(trees())
def test_recoverable_leaves_come_most_first_and_cover_every_lost_point(items):
    scored = score_tree(items)
    ordered = scoring.recoverable_leaves(scored)
    assert [n.recoverable for n in ordered] == sorted((n.recoverable for n in ordered), reverse=True)
    assert all(n.is_leaf and n.recoverable > 0 for n in ordered)
    lost = scoring.total_max(scored) - scoring.projected_total(scored)
    assert sum((n.recoverable for n in ordered), D(0)) == lost


@given(st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=0, max_value=100, places=2))
def test_a_higher_index_never_gets_a_lower_band(a, b):
    low, high = sorted((a, b))
    assert band_rank(high) <= band_rank(low)


@given(st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=0, max_value=100, places=2))
def test_the_gap_is_what_the_index_lacks_and_never_negative(index, target):
    gap = gap_to_target(index, target)
    assert gap >= 0
    assert gap == (target - index if index < target else 0)


@pytest.mark.parametrize(
    ("index", "band"),
    [
        ("100", "Xuất sắc"),
        ("90", "Xuất sắc"),
        ("89.99", "Tốt"),
        ("80", "Tốt"),
        ("79.99", "Khá"),
        ("70", "Khá"),
        ("69.99", "Yếu"),
        ("0", "Yếu"),
    ],
)
def test_default_bands(index, band):
    assert band_for(D(index)) == band


def test_bands_from_a_table_with_a_floor_above_zero_put_low_scores_in_the_last_band():
    bands = scoring.parse_bands([(85, "A"), (60, "B")])
    assert band_for(D(90), bands) == "A" and band_for(D(70), bands) == "B" and band_for(D(10), bands) == "B"


@pytest.mark.parametrize("raw", [[], [(80, "A"), (90, "B")], [(80, "")], [(-1, "A")], ["A"]])
def test_a_bad_band_table_is_refused(raw):
    with pytest.raises(ValueError):
        scoring.parse_bands(raw)


def test_leaf_scores_by_method():
    assert leaf_score(method="self", max_points=D(4), self_score=D("3.5")) == D("3.50")
    assert leaf_score(method="survey", max_points=D(10), self_score=D("8")) == D("8.00")
    assert leaf_score(method="indicator", max_points=D(4), self_score=D(1), indicator_value=87.5) == D("3.50")
    assert leaf_score(method="indicator", max_points=D(4), self_score=None, indicator_value=None) is None
    assert leaf_score(method="self", max_points=D(4), self_score=None) is None
    with pytest.raises(ValueError):
        leaf_score(method="guess", max_points=D(4), self_score=D(1))


def test_index_is_points_over_maximum_times_hundred():
    assert index_of(D(39), D(50)) == D("78.00")
    assert index_of(D(0), D(0)) == D(0)


def test_tree_order_is_numeric_and_parents_come_from_dotted_codes():
    items = [
        CriterionInput("1.10", D(1), self_score=D(1)),
        CriterionInput("1", D(3)),
        CriterionInput("1.2", D(2), self_score=D(1)),
        CriterionInput("2", D(5)),
    ]
    scored = score_tree(items)
    assert [n.code for n in scored] == ["1", "1.2", "1.10", "2"]
    assert [n.parent for n in scored] == [None, "1", "1", None]
    assert scored[0].projected == D(2) and scored[0].self_score == D(2) and scored[3].recoverable == D(5)
