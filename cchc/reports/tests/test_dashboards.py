"""The dashboards: who may open which, their figures against small hand-made data, the lists
behind the figures, and a query count that does not grow with the dossiers.

Two data sets: February 2025 of conftest.py (rows written directly, every index figure worked
out by hand in test_service_index.py) for the index and its trend; and March 2026 below, built
through the dossier services so that the process steps are real: three dossiers of the fee-less
procedure 1.002835 (QLVT), received on Monday 02/03 08:00, due Wednesday 04/03 08:00:

- A: forwarded by the counter at 08:30, assigned to chuyenvien, who forwards at 10:00 (early);
- B: the same, but chuyenvien forwards on Thursday 05/03 (their step was due Tuesday: late);
- C: received and left at the counter's step.

On Monday 16/03 10:00 all three are late: A and B at the unit head's step of QLVT (nobody
assigned), C at the counter's step (MOTCUA, which has no head). A fourth, D, went the whole way in
February (received Monday 02/02, returned Wednesday 04/02, early), for the trend.
"""

import re
from dataclasses import replace
from datetime import date, datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.core.calendar import VN_TZ
from cchc.dossiers.tests.helpers import act, frozen, submit, user
from cchc.reports import dashboards, tasks
from cchc.reports.models import TrendMonth
from cchc.reports.selectors import make_scope, service_index, service_index_for

from .conftest import NOW as FEBRUARY_NOW

pytestmark = [pytest.mark.django_db]

LEADER = "/can-bo/bang-dieu-khien/lanh-dao/"
UNIT = "/can-bo/bang-dieu-khien/don-vi/"
OFFICER = "/can-bo/bang-dieu-khien/ca-nhan/"
LIST = "/can-bo/bang-dieu-khien/danh-sach/"
MARCH_NOW = datetime(2026, 3, 16, 10, 0, tzinfo=VN_TZ)
QLVT = "Phòng Quản lý vận tải, phương tiện và người lái"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


def _february_dossier(suffix: str):
    """Received Monday 02/02/2026 and returned on Wednesday 04/02, early."""
    steps = [
        (at(2026, 2, 2, 8), "motcua", "receive", {}),
        (at(2026, 2, 2, 8, 30), "motcua", "forward", {}),
        (at(2026, 2, 2, 9), "truongphong", "assign", {"assignee": "chuyenvien"}),
        (at(2026, 2, 2, 10), "chuyenvien", "forward", {}),
        (at(2026, 2, 3, 9), "truongphong", "approve", {}),
        (at(2026, 2, 3, 10), "lanhdao", "sign_result", {}),
        (at(2026, 2, 3, 14), "motcua", "result_ready", {}),
        (at(2026, 2, 4, 8), "motcua", "return_result", {"return_method": "online"}),
    ]
    with frozen(steps[0][0]):
        dossier = submit(code="1.002835", key=f"D{suffix}")
    for moment, username, action, data in steps:
        with frozen(moment):
            dossier = act(dossier, username, action, **data)
    return dossier


def _march_set(suffix: str) -> dict:
    rows = {"D": _february_dossier(suffix)}
    with frozen(at(2026, 3, 2, 8)):
        for name in "ABC":
            rows[name] = act(submit(code="1.002835", key=f"{name}{suffix}"), "motcua", "receive")
    for name in "AB":
        with frozen(at(2026, 3, 2, 8, 30)):
            rows[name] = act(rows[name], "motcua", "forward")
        with frozen(at(2026, 3, 2, 9)):
            rows[name] = act(rows[name], "truongphong", "assign", assignee="chuyenvien")
    with frozen(at(2026, 3, 2, 10)):
        rows["A"] = act(rows["A"], "chuyenvien", "forward")
    with frozen(at(2026, 3, 5, 10)):
        rows["B"] = act(rows["B"], "chuyenvien", "forward")
    return rows


@pytest.fixture
def march(demo, signing):
    return _march_set("")


@pytest.fixture
def as_user(client):
    def login(username: str):
        client.force_login(user(username))
        return client

    return login


def _get(client, url, params=None, *, now=MARCH_NOW):
    with frozen(now):
        return client.get(url, params or {})


# ---------------------------------------------------------------- who may open what


def test_visitors_sign_in_and_applicants_are_refused(demo, client, as_user):
    for url in (LEADER, UNIT, OFFICER, LIST):
        response = _get(client, url)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    citizen = as_user("congdan")
    for url in (LEADER, UNIT, OFFICER, LIST):
        assert _get(citizen, url).status_code == 403


def test_a_specialist_has_only_their_own_dashboard(demo, as_user):
    client = as_user("chuyenvien")
    assert _get(client, LEADER).status_code == 403
    assert _get(client, UNIT).status_code == 403
    assert _get(client, OFFICER).status_code == 200
    # Nor the list of another officer's steps.
    assert _get(client, LIST, {"loai": "buoc", "officer": "truongphong"}).status_code == 403


def test_a_unit_head_sees_their_unit_and_cannot_pass_another(demo, as_user):
    client = as_user("truongphong")
    assert _get(client, LEADER).status_code == 403
    own = _get(client, UNIT)
    assert own.status_code == 200
    assert f"Bảng điều khiển: {QLVT}" in own.content.decode()
    assert _get(client, UNIT, {"unit": "QLVT"}).status_code == 200
    assert _get(client, UNIT, {"unit": "KCHT"}).status_code == 403


def test_leaders_open_the_agency_and_choose_a_unit(demo, as_user):
    for username in ("lanhdao", "cchc"):
        assert _get(as_user(username), LEADER).status_code == 200
    client = as_user("lanhdao")
    choose = _get(client, UNIT).content.decode()
    assert "Chọn một đơn vị để xem bảng điều khiển của đơn vị đó." in choose
    assert '<option value="QLVT"' in choose
    assert f"Bảng điều khiển: {QLVT}" in _get(client, UNIT, {"unit": "QLVT"}).content.decode()
    assert _get(client, UNIT, {"unit": "KHONGCO"}).status_code == 404


def test_the_home_address_leads_to_the_dashboard_of_the_role(demo, as_user):
    for username, target in (("lanhdao", LEADER), ("truongphong", UNIT), ("motcua", OFFICER)):
        response = _get(as_user(username), "/can-bo/bang-dieu-khien/")
        assert response.status_code == 302 and response["Location"] == target


def test_a_bad_or_future_month_is_explained_and_the_current_month_shown(demo, as_user):
    client = as_user("lanhdao")
    html = _get(client, LEADER, {"thang": "13/2026"}).content.decode()
    assert "không hợp lệ" in html and "Chỉ số chất lượng phục vụ tháng 03/2026" in html
    html = _get(client, LEADER, {"thang": "2026-05"}).content.decode()
    assert "Chưa đến tháng 05/2026" in html and "tháng 03/2026" in html


# ---------------------------------------------------------------- pages with nothing to show


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("lanhdao", LEADER),
        ("quantri", LEADER),
        ("truongphong", UNIT),
        ("chuyenvien", OFFICER),
        ("motcua", OFFICER),
        ("quantri", OFFICER),
    ],
)
def test_the_pages_render_with_no_data(demo, as_user, username, url):
    response = _get(as_user(username), url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "reports/dashboards.css" in html
    assert "<svg" in html and 'role="img"' in html
    # Nothing loaded from elsewhere (a CDN): every src and href is the site's own. (The CSRF token's
    # random letters may spell "cdn", so the text itself is not searched.)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html) and "<script" not in html


# ---------------------------------------------------------------- the leader's figures


def test_the_leader_sees_late_dossiers_by_unit_and_head(march, as_user):
    response = _get(as_user("lanhdao"), LEADER)
    html = response.content.decode()
    late = {row["name"]: row for row in response.context["late"]}
    assert {name: row["late"] for name, row in late.items()} == {
        QLVT: 2,
        "Bộ phận Tiếp nhận và Trả kết quả (Một cửa)": 1,
    }
    assert [head.username for head in late[QLVT]["heads"]] == ["truongphong"]
    assert late["Bộ phận Tiếp nhận và Trả kết quả (Một cửa)"]["heads"] == []
    assert response.context["late_total"] == 3
    assert "Trần Văn Phong" in html or str(user("truongphong")) in html
    assert "/can-bo/bang-dieu-khien/danh-sach/?loai=qua-han&amp;unit=QLVT" in html


def test_the_late_list_behind_a_unit_holds_its_dossiers(march, as_user):
    client = as_user("lanhdao")
    html = _get(client, LIST, {"loai": "qua-han", "unit": "QLVT"}).content.decode()
    assert march["A"].code in html and march["B"].code in html and march["C"].code not in html
    assert "2 hồ sơ" in html
    html = _get(client, LIST, {"loai": "qua-han", "unit": "MOTCUA"}).content.decode()
    assert march["C"].code in html and march["A"].code not in html


def test_the_index_of_the_month_counts_the_open_late_dossiers(march, as_user):
    response = _get(as_user("lanhdao"), LEADER)
    on_time = response.context["on_time"]
    assert (on_time["numerator"], on_time["denominator"]) == (0, 3)
    # The trend's last point is the month's index.
    assert response.context["trend_share_chart"].rows[-1].cells[0].text == "0%"


def test_units_are_ranked_by_their_on_time_share_with_counts(february):
    scope = make_scope(
        date_from=date(2025, 2, 1), date_to=date(2025, 2, 28), agency=february.unit.agency, now=FEBRUARY_NOW
    )
    rows = dashboards.units_ranked(scope)
    test_unit = next(row for row in rows if row["unit"] == february.unit)
    assert (test_unit["on_time"], test_unit["late"], test_unit["late_open"], test_unit["counted"]) == (5, 5, 1, 10)
    assert test_unit["share"] == 50.0
    assert "unit=BCTEST" in test_unit["drilldown"]["numerator"]
    assert "/progress.on_time/tu-so/" in test_unit["drilldown"]["numerator"]


# ---------------------------------------------------------------- the trend


def _unit_scope(february, first, last):
    return make_scope(date_from=first, date_to=last, unit=february.unit, now=FEBRUARY_NOW)


def test_the_trend_gives_each_month_the_progress_the_index_gives_it(february):
    scope = _unit_scope(february, date(2025, 3, 1), date(2025, 3, 31))
    trend = {m["label"]: m for m in dashboards.monthly_trend(scope)}
    assert len(trend) == 12 and list(trend)[0] == "04/2024"
    # By hand: February 5 on time of 10 counted, 10 points (test_service_index); March: D9 on time,
    # D10 and D11 open and late → 1/3 × 20 = 6.67 (the average time is tracked, 0 points).
    feb, mar = trend["02/2025"], trend["03/2025"]
    assert (feb["on_time"], feb["counted"], feb["share"], feb["points"]) == (5, 10, 50.0, 10.0)
    assert (mar["on_time"], mar["counted"], mar["share"], mar["points"]) == (1, 3, 33.33, 6.67)
    assert trend["01/2025"]["share"] is None and trend["01/2025"]["points"] is None
    for label, (first, last) in {"02/2025": (1, 28), "03/2025": (1, 31)}.items():
        month = int(label[:2])
        index = service_index(
            date_from=date(2025, month, first), date_to=date(2025, month, last), unit=february.unit, now=FEBRUARY_NOW
        )
        progress = next(g for g in index["groups"] if g["code"] == "progress")
        assert trend[label]["points"] == progress["points"]


def test_the_unit_trend_shows_last_month_and_reads_the_months_the_refresh_stored(march, django_assert_num_queries):
    assert march["D"].status == "returned"
    scope = make_scope(
        date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), unit=user("truongphong").unit, now=MARCH_NOW
    )
    index = service_index_for(scope)
    trend = {m["label"]: m for m in dashboards.monthly_trend(scope, index=index)}
    # D on time: the whole 20 points.
    assert (trend["02/2026"]["share"], trend["02/2026"]["points"], trend["02/2026"]["measured_max"]) == (
        100.0,
        20.0,
        20,
    )
    assert (trend["03/2026"]["on_time"], trend["03/2026"]["counted"], trend["03/2026"]["points"]) == (0, 3, 0.0)
    assert trend["01/2026"]["points"] is None
    assert not TrendMonth.objects.exists()  # reads only: the periodic refresh writes the rollups
    tasks.refresh_trends(agency=user("lanhdao").agency, now=MARCH_NOW)
    assert TrendMonth.objects.filter(scope_key="agency=000.00.12.H99&unit=QLVT").count() == 11
    with django_assert_num_queries(1):  # the eleven months that are over, from their rollup rows
        again = dashboards.monthly_trend(scope, index=index)
    assert {m["label"]: m for m in again} == trend


def test_the_trend_takes_the_selected_month_from_its_index(february):
    scope = _unit_scope(february, date(2025, 2, 1), date(2025, 2, 28))
    index = service_index(date_from=scope.date_from, date_to=scope.date_to, unit=february.unit, now=FEBRUARY_NOW)
    from_index = dashboards.monthly_trend(scope, index=index)[-1]
    cache.clear()
    from_sql = dashboards.monthly_trend(replace(scope, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)))[-2]
    keys = ("on_time", "counted", "share", "points", "max", "measured_max")
    assert {k: from_index[k] for k in keys} == {k: from_sql[k] for k in keys}


def test_the_unit_page_shows_points_band_and_trend(february, as_user):
    with mock.patch("django.utils.timezone.now", return_value=FEBRUARY_NOW):
        response = as_user("lanhdao").get(UNIT, {"unit": "BCTEST", "thang": "2025-02"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "37,11" in html and "/100" in html
    assert response.context["band"]["label"] == "Yếu"  # 37.11 of 100
    rows = {row.label: row for row in response.context["trend_share_chart"].rows}
    assert rows["02/2025"].cells[0].text == "50%"
    assert rows["02/2025"].cells[1].href.startswith("/can-bo/bao-cao/chi-so/progress.on_time/tu-so/?from=2025-02-01")
    groups = {row.label: row.cells[0].text for row in response.context["groups_chart"].rows}
    assert groups["Tiến độ giải quyết"] == "10/20 điểm"


def test_bands_follow_the_share_of_the_points_that_could_be_earned():
    assert dashboards.band_for(None) is None
    assert [dashboards.band_for(p)["key"] for p in (95, 90, 89.99, 80, 75, 70, 69.9, 0)] == [
        "excellent",
        "excellent",
        "good",
        "good",
        "fair",
        "fair",
        "weak",
        "weak",
    ]


# ---------------------------------------------------------------- the unit head's figures


def test_the_unit_head_sees_officers_ranked_and_late_dossiers_by_assignee(march, as_user):
    response = _get(as_user("truongphong"), UNIT)
    officers = {str(row["officer"]): row for row in response.context["officers"]}
    specialist = officers[str(user("chuyenvien"))]
    assert (specialist["steps"], specialist["on_time"], specialist["late"], specialist["share"]) == (2, 1, 1, 50.0)
    assert officers[str(user("truongphong"))]["steps"] == 0  # listed, with nothing finished this month
    assert [(row["officer"], row["late"]) for row in response.context["late"]] == [(None, 2)]
    html = response.content.decode()
    assert "loai=buoc&amp;unit=QLVT&amp;officer=chuyenvien&amp;outcome=late&amp;thang=2026-03" in html


def test_a_step_the_applicant_closed_is_nobodys_work(march):
    with frozen(at(2026, 3, 3, 8)):
        withdrawn = act(submit(code="1.002835", key="E"), "motcua", "receive")
        withdrawn = act(withdrawn, "motcua", "forward")
    with frozen(at(2026, 3, 3, 9)):
        act(withdrawn, "congdan", "withdraw", comment="Không cần nữa")
    assert withdrawn.steps.filter(finished_by__username="congdan").exists()
    scope = make_scope(
        date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), unit=user("truongphong").unit, now=MARCH_NOW
    )
    officers = {row["officer"].username if row["officer"] else None: row for row in dashboards.officers_ranked(scope)}
    assert "congdan" not in officers
    assert officers["chuyenvien"]["steps"] == 2


def test_the_periodic_refresh_stores_the_trends_the_dashboards_read(march, django_assert_num_queries):
    agency = user("lanhdao").agency
    assert tasks.refresh_trends(agency=agency, now=MARCH_NOW) >= 2  # the agency and its leading units
    for where in ({"agency": agency}, {"unit": user("truongphong").unit}):
        scope = make_scope(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), now=MARCH_NOW, **where)
        index = service_index_for(scope)
        with django_assert_num_queries(1):
            dashboards.monthly_trend(scope, index=index)


def test_the_periodic_refresh_stores_the_provinces_trend_the_provincial_leader_reads(march, django_assert_num_queries):
    """At 3,000,000 dossiers the provincial leader's dashboard took 19 s: the province's 12-month
    trend was computed from every agency's dossiers for each visitor. The task now stores it."""
    scope = make_scope(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), now=MARCH_NOW)
    assert scope.is_province
    index = service_index_for(scope)
    live = dashboards.monthly_trend(scope, index=index)
    assert tasks.refresh_province_trend(now=MARCH_NOW) == 1
    with django_assert_num_queries(1):
        stored = dashboards.monthly_trend(scope, index=index)
    assert stored == live


def test_the_refresh_recomputes_the_months_just_over_and_keeps_older_ones(march):
    agency = user("lanhdao").agency
    scope_key = "agency=000.00.12.H99"
    april = datetime(2026, 4, 10, 9, tzinfo=VN_TZ)
    tasks.refresh_trends(agency=agency, now=april)
    rows = TrendMonth.objects.filter(scope_key=scope_key)
    assert rows.count() == 11  # 04/2025 to 03/2026
    right = dict(rows.values_list("month", "point__counted"))
    assert right[date(2026, 3, 1)] >= 3  # March's dossiers are counted
    # Stale figures: the next refresh puts the months just over right and leaves the older ones.
    rows.update(point={"counted": -1})
    tasks.refresh_trends(agency=agency, now=april)
    counted = dict(rows.values_list("month", "point__counted"))
    assert counted[date(2026, 3, 1)] == right[date(2026, 3, 1)]
    assert counted[date(2026, 2, 1)] == right[date(2026, 2, 1)]
    assert counted[date(2026, 1, 1)] == -1


def test_the_scheduler_queues_one_refresh_an_hour(march, settings):
    from django_tasks_db.models import DBTaskResult

    from cchc.reports.tasks import refresh_rollups, refresh_rollups_enqueue

    assert refresh_rollups_enqueue() is True
    assert refresh_rollups_enqueue() is False
    assert DBTaskResult.objects.filter(task_path=refresh_rollups.module_path).count() == 1


def test_the_list_of_an_officers_late_steps(march, as_user):
    client = as_user("truongphong")
    params = {"loai": "buoc", "unit": "QLVT", "officer": "chuyenvien", "outcome": "late", "thang": "2026-03"}
    html = _get(client, LIST, params).content.decode()
    assert march["B"].code in html and march["A"].code not in html
    assert _get(client, LIST, {**params, "unit": "KCHT"}).status_code == 403


# ---------------------------------------------------------------- an officer's own


def test_a_specialist_sees_their_steps_and_share(march, as_user):
    data = _get(as_user("chuyenvien"), OFFICER).context["data"]
    assert {k: data["steps"][k] for k in ("steps", "early", "on_time", "late", "dossiers", "share")} == {
        "steps": 2,
        "early": 1,
        "on_time": 1,
        "late": 1,
        "dossiers": 2,
        "share": 50.0,
    }
    assert data["received"]["received"] == 0
    assert data["work"] == {"open": 0, "late": 0}


def test_the_counter_officer_sees_receptions_and_late_work(march, as_user):
    response = _get(as_user("motcua"), OFFICER)
    data = response.context["data"]
    assert data["received"] == {"received": 3, "online": 3}
    assert (data["steps"]["steps"], data["steps"]["share"]) == (2, 100.0)
    assert data["work"] == {"open": 1, "late": 1}
    assert data["satisfaction"]["basis"] == "received" and data["satisfaction"]["ratings"] == 0
    html = response.content.decode()
    assert "/can-bo/bao-cao/chi-so/online.dossiers/mau-so/?" in html and "officer=motcua" in html
    late = _get(as_user("motcua"), LIST, {"loai": "viec-cua-toi-qua-han"}).content.decode()
    assert march["C"].code in late and march["A"].code not in late


# ---------------------------------------------------------------- scale


def _queries(client, url, params=None) -> int:
    cache.clear()
    TrendMonth.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        response = _get(client, url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("username", "url", "params", "most"),
    [
        # On PostgreSQL each read transaction adds a savepoint, `SET LOCAL` and its release; the
        # reform plan's late tasks (plans_tags) add their own two; the index reads the figures entered
        # from the national portal and, with the trend, the deadlines' day groups. The officer's
        # count of their own work reads the calendar once (nearly-due work comes first). The cache is
        # cleared below, so every page also reads who runs the installation (cached in production).
        # Lists of dossiers ask once whether the agency takes part in another's inter-agency dossiers;
        # the leader's trend reads the months' inter-agency passages, left and due, in two more.
        ("lanhdao", LEADER, {}, 49),
        ("truongphong", UNIT, {}, 45),
        ("motcua", OFFICER, {}, 12),
        ("chuyenvien", OFFICER, {}, 12),
        ("lanhdao", LIST, {"loai": "qua-han"}, 9),
    ],
)
def test_the_query_count_does_not_grow_with_the_dossiers(
    march, as_user, django_assert_max_num_queries, username, url, params, most
):
    client = as_user(username)
    before = _queries(client, url, params)
    _march_set("-2")
    _march_set("-3")
    cache.clear()
    TrendMonth.objects.all().delete()
    # Signed in afresh: building the dossiers can take over a minute on a loaded machine, and the
    # session then writes its once-a-minute "last seen" stamp, which is not the page's own reading.
    client = as_user(username)
    with django_assert_max_num_queries(most):
        _get(client, url, params)
    assert _queries(client, url, params) == before
