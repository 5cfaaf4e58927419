"""Receive anywhere in the province, in the browser: the citizen finds commune B on the procedure's
page without typing accents; commune A's counter takes the dossier for commune B (the code is
commune A's, the dossier is commune B's); commune B's counter sees it on its desk; the provincial
leader sees commune B in the province's ranking."""

import re

import pytest
from playwright.sync_api import expect

from cchc.dossiers.tests.province import CODE, COMMUNE_A, COMMUNE_B, build_province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def province_site(site):
    build_province()
    return site


def test_commune_a_receives_for_commune_b_and_the_province_sees_it(province_site, page, person):
    site = province_site
    # The citizen: one procedure, many communes; "dai phuoc" finds Xã Đại Phước.
    page.goto(f"{site}/thu-tuc/{CODE}/")
    page.get_by_label("Tìm xã, phường, cơ quan (gõ có dấu hoặc không dấu)").fill("dai phuoc")
    page.get_by_role("button", name="Tìm", exact=True).click()
    choices = page.locator("ul.agency-list")
    expect(choices).to_contain_text("Xã Đại Phước")
    expect(choices).not_to_contain_text("Xã An Phú")

    # Commune A's counter receives it for commune B.
    officer = person("xa_a_motcua")
    officer.goto(f"{site}/can-bo/tiep-nhan/?thu_tuc={CODE}")
    officer.get_by_role("link", name="Xã Đại Phước").click()
    expect(officer.locator(".resolving-agency")).to_have_text("Xã Đại Phước")
    officer.get_by_label("Họ và tên (hoặc tên tổ chức)").fill("Trần Văn Tám")
    officer.get_by_label("Số định danh cá nhân (12 số)").fill("001099054321")
    officer.get_by_label("Điện thoại").fill("0987654321")
    for box in officer.get_by_label("Đã nhận bản giấy").all():
        box.check()
    fee = officer.get_by_label(re.compile("Đã thu phí, lệ phí bằng tiền mặt"))
    if fee.count():
        fee.check()
    officer.get_by_role("button", name="Tiếp nhận", exact=True).click()
    code_text = officer.get_by_text(re.compile(rf"{re.escape(COMMUNE_A)}-\d{{6}}-\d{{4}}")).first
    expect(code_text).to_be_visible()
    code = re.search(rf"{re.escape(COMMUNE_A)}-\d{{6}}-\d{{4}}", code_text.inner_text()).group(0)

    # Commune B's counter finds it among the dossiers it resolves.
    counter_b = person("xa_b_motcua")
    counter_b.goto(f"{site}/can-bo/ho-so/?q={code}")
    expect(counter_b.get_by_text(code).first).to_be_visible()

    # The provincial leader reads commune B's dossier and the province's ranking.
    leader = person("tinh_lanhdao")
    response = leader.request.get(f"{site}/api/v1/dossiers/{code}")
    assert response.ok, response.status
    body = response.json()
    assert body["agency"]["code"] == COMMUNE_B and body["received_by"]["code"] == COMMUNE_A
    assert body["available_actions"] == []
    leader.goto(f"{site}/cong-khai/xep-hang/?cap=commune")
    expect(leader.locator("table.rankings")).to_contain_text("Xã Đại Phước")
