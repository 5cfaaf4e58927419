import pytest

API = "/api/v1"


def test_list_shape(demo, client):
    data = client.get(f"{API}/procedures").json()
    assert data["count"] >= 30
    item = data["items"][0]
    assert set(item) >= {"code", "name", "field", "level", "time_limit", "fees"}
    assert set(item["time_limit"]) == {"value", "unit"}
    assert item["time_limit"]["unit"] in {"working_days", "working_hours"}


def test_list_search_without_diacritics(demo, client):
    data = client.get(f"{API}/procedures", {"q": "giay phep lai xe"}).json()
    assert data["items"][0]["code"] == "1.000010" or "giấy phép lái xe" in data["items"][0]["name"].lower()
    assert data["count"] >= 3


def test_list_filters_and_pages(demo, client):
    level4 = client.get(f"{API}/procedures", {"level": 4}).json()
    assert level4["count"] > 0 and all(i["level"] == 4 for i in level4["items"])
    field = client.get(f"{API}/procedures", {"field": "DTND"}).json()
    assert field["count"] > 0 and all(i["field"] == "DTND" for i in field["items"])
    page2 = client.get(f"{API}/procedures", {"page": 2}).json()
    page1 = client.get(f"{API}/procedures", {"page": 1}).json()
    assert {i["code"] for i in page1["items"]}.isdisjoint({i["code"] for i in page2["items"]})


def test_fee_with_online_price(demo, client):
    data = client.get(f"{API}/procedures/1.000010").json()
    assert {"kind": "fee", "amount": 135000, "online_amount": 115000}.items() <= data["fees"][0].items()


def test_detail_has_components_and_steps_adding_up(demo, client):
    data = client.get(f"{API}/procedures/1.000010").json()
    assert data["components"] and all("id" in c for c in data["components"])
    assert sum(s["hours"] for s in data["steps"]) == data["time_limit_hours"] == 40
    assert data["steps"][0]["role"] == "one_stop_officer"


@pytest.mark.parametrize(
    ("received_at", "counted_from", "due_at"),
    [
        # Friday afternoon, 5 working days: the weekend is skipped.
        ("2026-03-06T16:00:00+07:00", "2026-03-06T16:00:00+07:00", "2026-03-13T16:00:00+07:00"),
        # Saturday: counts from Monday's opening; 40 hours end at Friday's closing.
        ("2026-03-07T10:00:00+07:00", "2026-03-09T07:00:00+07:00", "2026-03-13T17:00:00+07:00"),
        # Before Tết 2026: off from Saturday 14/02 to Sunday 22/02; Friday 13/02 and Monday 23/02 are
        # working days (legal-details.md §3): 1 h + 8 h on 13/02, then 23–25/02 and 7 h on 26/02.
        ("2026-02-12T16:00:00+07:00", "2026-02-12T16:00:00+07:00", "2026-02-26T16:00:00+07:00"),
        # Without an offset the moment is read as Vietnam time; UTC input is converted.
        ("2026-03-06T09:00:00Z", "2026-03-06T16:00:00+07:00", "2026-03-13T16:00:00+07:00"),
    ],
)
def test_appointment(demo, client, received_at, counted_from, due_at):
    response = client.get(f"{API}/procedures/1.000010/appointment", {"received_at": received_at})
    assert response.status_code == 200
    assert response.json() == {
        "received_at": response.json()["received_at"],
        "counted_from": counted_from,
        "due_at": due_at,
    }


def test_calendar_due(demo, client):
    data = client.get(f"{API}/calendar/due", {"received_at": "2026-03-09T07:00:00+07:00", "hours": 8}).json()
    assert data == {
        "received_at": "2026-03-09T07:00:00+07:00",
        "counted_from": "2026-03-09T07:00:00+07:00",
        "due_at": "2026-03-09T17:00:00+07:00",
    }


def test_calendar_due_with_unencoded_plus(demo, client):
    response = client.get(f"{API}/calendar/due?received_at=2026-03-09T07:00:00+07:00&hours=4")
    assert response.json()["due_at"] == "2026-03-09T11:00:00+07:00"


@pytest.mark.parametrize(
    ("url", "params", "status", "fragment"),
    [
        ("/procedures/9.999999", {}, 404, "Không tìm thấy thủ tục"),
        ("/procedures/9.999999/appointment", {"received_at": "2026-03-09T07:00:00"}, 404, "Không tìm thấy"),
        ("/procedures/1.000010/appointment", {}, 400, "Thiếu tham số received_at"),
        ("/procedures/1.000010/appointment", {"received_at": "ngày mai"}, 400, "không phải thời điểm hợp lệ"),
        ("/calendar/due", {"hours": 8}, 400, "Thiếu tham số received_at"),
        ("/calendar/due", {"received_at": "2026-13-45T00:00", "hours": 8}, 400, "không phải thời điểm hợp lệ"),
        ("/calendar/due", {"received_at": "2026-03-09T07:00:00", "hours": -1}, 400, "không được âm"),
        ("/calendar/due", {"received_at": "2026-03-09T07:00:00", "hours": "tám"}, 400, "số nguyên"),
        ("/calendar/due", {"received_at": "2026-03-09T07:00:00"}, 400, "Thiếu tham số hours"),
        ("/calendar/due", {"received_at": "2026-03-09T07:00:00", "hours": 10**9}, 400, "tối đa"),
        ("/calendar/due", {"received_at": "3026-03-09T07:00:00", "hours": 8}, 400, "2000–2099"),
        ("/procedures", {"level": 7}, 400, "2, 3 hoặc 4"),
        ("/procedures", {"page": 0}, 400, "số nguyên dương"),
        ("/procedures", {"page": "abc"}, 400, "số nguyên dương"),
    ],
)
def test_bad_input_gets_a_vietnamese_4xx(demo, client, url, params, status, fragment):
    response = client.get(f"{API}{url}", params)
    assert response.status_code == status
    assert fragment in response.json()["detail"]


def test_openapi_and_docs(demo, client):
    schema = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/procedures" in schema["paths"]
    assert "/api/v1/calendar/due" in schema["paths"]
    assert client.get(f"{API}/docs").status_code == 200
