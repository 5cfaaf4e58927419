"""The province's organisation: levels, parents, dates, successors, inherited office hours and
calendar, and `GET /api/v1/agencies`."""

from datetime import date, datetime, time

import pytest

from cchc.accounts.models import Agency
from cchc.accounts.services import agency_upsert, province_upsert
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError
from cchc.core.services import calendar_override_set
from cchc.procedures.selectors import agency_calendar

pytestmark = pytest.mark.django_db

AFTERNOON_EIGHT_HOURS = ((time(8, 0), time(12, 0)), (time(13, 0), time(17, 0)))


@pytest.fixture
def province():
    return province_upsert(code="H98", name="Tỉnh Thử Nghiệm", office_hours=AFTERNOON_EIGHT_HOURS)


def test_an_agency_without_its_own_hours_keeps_the_provinces(province):
    commune = agency_upsert(code="000.01.01.H98", name="Xã Đại Phước", province=province, level="commune")
    assert commune.office_hours == AFTERNOON_EIGHT_HOURS
    # The calendar starts counting at the province's opening, not at the national default 07:00.
    saturday_evening = datetime(2026, 10, 3, 19, 0, tzinfo=VN_TZ)
    assert agency_calendar(commune).counting_start(saturday_evening) == datetime(2026, 10, 5, 8, 0, tzinfo=VN_TZ)


def test_an_agency_with_its_own_hours_keeps_them(province):
    own = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 30)))
    department = agency_upsert(code="000.00.10.H98", name="Sở Tư pháp", province=province, office_hours=own)
    assert department.office_hours == own


def test_a_province_day_off_applies_to_every_agency_and_an_agencys_own_wins(province):
    first = agency_upsert(code="000.01.01.H98", name="Xã Một", province=province, level="commune")
    second = agency_upsert(code="000.01.02.H98", name="Xã Hai", province=province, level="commune")
    day = date(2026, 10, 6)  # a Tuesday
    calendar_override_set(day=day, kind="day_off", reason="Tỉnh cho nghỉ")
    calendar_override_set(day=day, kind="working_day", reason="Xã Hai làm việc", agency=second)
    assert not agency_calendar(first).is_working_day(day)
    assert agency_calendar(second).is_working_day(day)


def test_agencies_api_lists_the_organisation_with_parents_dates_and_successors(client, province):
    committee = agency_upsert(code="000.00.00.H98", name="UBND tỉnh Thử Nghiệm", province=province, level="province")
    construction = agency_upsert(
        code="000.00.10.H98", name="Sở Xây dựng", province=province, level="department", parent=committee
    )
    agency_upsert(
        code="000.00.12.H98",
        name="Sở Giao thông vận tải",
        province=province,
        level="department",
        parent=committee,
        valid_from=date(2008, 4, 1),
        valid_to=date(2025, 2, 28),
        successor=construction,
    )
    agency_upsert(code="000.01.01.H98", name="Xã Đại Phước", province=province, level="commune", parent=committee)

    rows = {row["code"]: row for row in client.get("/api/v1/agencies").json()}
    assert rows["000.00.12.H98"] == {
        "code": "000.00.12.H98",
        "name": "Sở Giao thông vận tải",
        "level": "department",
        "parent": "000.00.00.H98",
        "valid_from": "2008-04-01",
        "valid_to": "2025-02-28",
        "successor": "000.00.10.H98",
    }
    assert rows["000.00.00.H98"]["parent"] is None
    communes = client.get("/api/v1/agencies?level=commune").json()
    assert [row["code"] for row in communes if row["code"].endswith("H98")] == ["000.01.01.H98"]
    assert all(row["level"] == "commune" for row in communes)
    found = client.get("/api/v1/agencies", {"q": "dai phuoc"}).json()
    assert [row["name"] for row in found] == ["Xã Đại Phước"]


def test_agencies_api_refuses_an_unknown_level(client):
    response = client.get("/api/v1/agencies?level=district")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_level"


def test_an_agency_that_ends_before_it_starts_is_refused_and_not_saved(province):
    with pytest.raises(ApplicationError):
        agency_upsert(
            code="000.00.13.H98",
            name="Sở lỗi",
            province=province,
            valid_from=date(2025, 3, 1),
            valid_to=date(2025, 1, 1),
        )
    assert not Agency.objects.filter(code="000.00.13.H98").exists()
