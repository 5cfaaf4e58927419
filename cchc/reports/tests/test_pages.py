"""The staff pages: the index for a period and scope, and the list behind each figure."""

from unittest import mock

import pytest

from cchc.dossiers.tests.helpers import user

from .conftest import NOW

pytestmark = pytest.mark.django_db

INDEX = "/can-bo/bao-cao/chi-so/"
FEBRUARY = {"from": "2025-02-01", "to": "2025-02-28", "unit": "BCTEST"}


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("cchc.reports.selectors.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def as_user(client):
    def login(username: str):
        client.force_login(user(username))
        return client

    return login


def test_the_index_page_shows_groups_points_and_links(february, as_user):
    response = as_user("lanhdao").get(INDEX, FEBRUARY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tổng điểm: 37,11/100" in html
    assert "Tiến độ giải quyết" in html
    assert "Đo tại Cổng DVCQG" in html and "chưa nhập số liệu của kỳ này" in html
    assert "/can-bo/bao-cao/chi-so/progress.on_time/mau-so/?from=2025-02-01" in html
    assert "9.000004 – Thủ tục thử nghiệm 9.000004" in html  # the average-time table


def test_the_list_behind_a_figure_is_paginated_like_the_desk(february, as_user, settings):
    client = as_user("lanhdao")
    response = client.get("/can-bo/bao-cao/chi-so/progress.on_time/mau-so/", FEBRUARY)
    html = response.content.decode()
    assert "10 hồ sơ" in html
    assert "Người nộp D10" in html
    assert "BC-D12" not in html


def test_catalogue_and_complaint_lists(february, as_user):
    client = as_user("cchc")
    html = client.get("/can-bo/bao-cao/chi-so/online.used/tu-so/", FEBRUARY).content.decode()
    assert "9.000001" in html and "9.000002" in html and "9.000004" not in html
    html = client.get("/can-bo/bao-cao/chi-so/satisfaction.complaints/mau-so/", FEBRUARY).content.decode()
    assert "PA-T3" in html and "PA-T5" not in html


def test_an_unknown_indicator_or_part_is_not_found(february, as_user):
    client = as_user("lanhdao")
    assert client.get("/can-bo/bao-cao/chi-so/progress.late/tu-so/", FEBRUARY).status_code == 404
    assert client.get("/can-bo/bao-cao/chi-so/progress.on_time/ca-hai/", FEBRUARY).status_code == 404
    assert client.get("/can-bo/bao-cao/chi-so/transparency.portal_sync/tu-so/", FEBRUARY).status_code == 404


def test_a_unit_head_cannot_open_another_units_index(february, as_user):
    client = as_user("truongphong")
    assert client.get(INDEX, FEBRUARY).status_code == 403
    assert client.get("/can-bo/bao-cao/chi-so/progress.on_time/tu-so/", FEBRUARY).status_code == 403
    own = client.get(INDEX, {"from": "2025-02-01", "to": "2025-02-28"})
    assert own.status_code == 200
    assert "Phòng Quản lý vận tải, phương tiện và người lái" in own.content.decode()


def test_a_bad_period_is_explained_on_the_page(demo, as_user):
    response = as_user("lanhdao").get(INDEX, {"from": "2025-03-01", "to": "2025-02-01"})
    assert response.status_code == 200
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in response.content.decode()


def test_specialists_are_refused_and_visitors_sent_to_sign_in(demo, as_user, client):
    assert client.get(INDEX).status_code == 302
    assert as_user("chuyenvien").get(INDEX).status_code == 403
