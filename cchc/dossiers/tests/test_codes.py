from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.dossiers.codes import format_dossier_code, is_dossier_code, parse_dossier_code


def test_code_has_the_circular_shape():
    assert format_dossier_code("000.00.06.H56", date(2023, 10, 27), 361) == "000.00.06.H56-231027-0361"


def test_bad_parts_are_refused():
    with pytest.raises(ValueError):
        format_dossier_code("H56", date(2023, 10, 27), 1)
    with pytest.raises(ValueError):
        format_dossier_code("000.00.06.H56", date(2023, 10, 27), 0)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.integers(min_value=1, max_value=99999))
def test_codes_round_trip(day, sequence):
    code = format_dossier_code("000.00.12.H99", day, sequence)
    assert parse_dossier_code(code) == ("000.00.12.H99", day, sequence)
    assert is_dossier_code(code)


@pytest.mark.parametrize("code", ["", "000.00.12.H99-231332-0001", "000.00.12.H99-231027-01", "x-231027-0001"])
def test_malformed_codes_are_not_codes(code):
    assert not is_dossier_code(code)
