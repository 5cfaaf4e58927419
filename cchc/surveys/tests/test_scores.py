"""The satisfaction indexes: shares of 4–5 answers per factor, overall = mean of the factors."""

from hypothesis import given
from hypothesis import strategies as st

from cchc.surveys.scores import FACTORS, factor_index, indexes, low_factors, overall_index, score_errors

answers = st.integers(min_value=1, max_value=5)
ratings = st.lists(st.fixed_dictionaries(dict.fromkeys(FACTORS, answers)), min_size=1, max_size=30)


def test_a_factor_index_is_the_share_of_satisfied_answers():
    assert factor_index([5, 4, 3, 2]) == 50.0
    assert factor_index([3, 3, 3]) == 0.0
    assert factor_index([]) is None


def test_the_overall_index_is_the_mean_of_the_factors():
    assert overall_index([100.0, 50.0, 50.0, 100.0, 0.0]) == 60.0
    assert overall_index([None, None]) is None


def test_a_score_of_two_or_less_is_low():
    assert low_factors({"access": 3, "procedure": 2, "officer": 5, "result": 1, "feedback": 4}) == [
        "procedure",
        "result",
    ]
    assert low_factors(dict.fromkeys(FACTORS, 3)) == []


def test_answers_outside_one_to_five_are_refused():
    assert score_errors(dict.fromkeys(FACTORS, 5)) == {}
    assert set(score_errors({**dict.fromkeys(FACTORS, 5), "officer": 6})) == {"officer"}
    assert set(score_errors({**dict.fromkeys(FACTORS, 5), "result": "5"})) == {"result"}
    assert "officer" in score_errors({f: 4 for f in FACTORS if f != "officer"})
    # Handling complaints is "không áp dụng" for an applicant who sent none: left out, not refused.
    assert score_errors({f: 4 for f in FACTORS if f != "feedback"}) == {}
    assert set(score_errors({**dict.fromkeys(FACTORS, 5), "access": True})) == {"access"}


@given(ratings)
def test_indexes_stay_between_0_and_100(group):
    for value in indexes(group).values():
        assert 0.0 <= value <= 100.0


@given(st.integers(min_value=1, max_value=40))
def test_all_fives_give_100(n):
    assert indexes([dict.fromkeys(FACTORS, 5)] * n) == {**dict.fromkeys(FACTORS, 100.0), "overall": 100.0}


@given(ratings, st.data())
def test_raising_one_score_never_lowers_an_index(group, data):
    which = data.draw(st.integers(min_value=0, max_value=len(group) - 1))
    factor = data.draw(st.sampled_from(FACTORS))
    raised = [dict(r) for r in group]
    raised[which][factor] = data.draw(st.integers(min_value=group[which][factor], max_value=5))
    before, after = indexes(group), indexes(raised)
    for key in before:
        assert after[key] >= before[key]
