from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.selectors import unit_list_active
from cchc.accounts.services import agency_upsert, unit_upsert
from cchc.accounts.validators import is_agency_code
from cchc.core.errors import ApplicationError


@pytest.mark.parametrize("code", ["000.00.12.H99", "000.00.06.H56", "123.45.67.H01"])
def test_valid_agency_codes(code):
    assert is_agency_code(code)


@pytest.mark.parametrize(
    "code", ["", "000.00.12.99", "00.00.12.H99", "000.00.12.H9", "000.00.12.h99", "000.00.12.H99 ", "A00.00.12.H99"]
)
def test_invalid_agency_codes(code):
    assert not is_agency_code(code)


@given(st.text(max_size=20))
def test_agency_code_shape_is_exactly_four_levels(text):
    if is_agency_code(text):
        head, tail = text.rsplit(".", 1)
        assert [len(p) for p in head.split(".")] == [3, 2, 2]
        assert tail[0] == "H" and tail[1:].isdigit() and len(tail) == 3


@pytest.mark.django_db
def test_agency_with_bad_code_is_refused_and_not_saved():
    with pytest.raises(ApplicationError, match="XXX.YY.ZZ.Hnn"):
        agency_upsert(code="12.H99", name="Sở thử")
    assert not Agency.objects.filter(name="Sở thử").exists()


def test_reorganised_unit_keeps_history(demo):
    old = Unit.objects.get(agency=demo, code="QLPT")
    assert old.successor.code == "QLVT"
    active_2022 = set(unit_list_active(agency=demo, on=date(2022, 6, 1)).values_list("code", flat=True))
    active_now = set(unit_list_active(agency=demo).values_list("code", flat=True))
    assert "QLPT" in active_2022 and "QLVT" not in active_2022
    assert "QLVT" in active_now and "QLPT" not in active_now


def test_unit_that_ends_before_it_starts_is_refused(demo):
    with pytest.raises(ApplicationError):
        unit_upsert(
            agency=demo, code="X", name="Sai", kind="division", valid_from=date(2024, 1, 1), valid_to=date(2023, 1, 1)
        )
    assert not Unit.objects.filter(code="X").exists()


def test_one_demo_account_per_role(demo):
    expected = {
        "congdan": "citizen",
        "congdan2": "citizen",
        "doanhnghiep": "business",
        "motcua": "one_stop_officer",
        "chuyenvien": "specialist",
        "truongphong": "unit_head",
        "lanhdao": "leader",
        "cchc": "reform_officer",
        "quantri": "admin",
    }
    users = {u.username: u for u in User.objects.filter(username__in=expected)}
    assert {name: users[name].role for name in expected} == expected
    assert all(u.check_password("demo12345") for u in users.values())
    assert not users["congdan"].is_staff and users["motcua"].is_staff
