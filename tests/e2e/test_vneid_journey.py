"""A citizen signs in through the VNeID simulator and is not asked for the papers the population
database holds (issue 16, item 2)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE_CODE = "1.000010"  # driving licence exchange: the ID card is "có trong CSDL quốc gia về dân cư"


def test_a_citizen_signs_in_with_vneid_and_is_not_asked_for_the_id_card(site, live_simulators, page):
    from cchc.accounts.models import User

    page.goto(f"{site}/tai-khoan/login/")
    page.get_by_role("button", name="Đăng nhập bằng VNeID").click()
    expect(page.get_by_role("heading", name=re.compile("VNeID giả lập"))).to_be_visible()
    page.get_by_label(re.compile("Phạm Quang Minh")).check()
    page.get_by_role("button", name="Đồng ý chia sẻ thông tin và đăng nhập").click()
    expect(page.get_by_role("button", name=re.compile(r"^Đăng xuất"))).to_be_visible()

    citizen = User.objects.get(id_number="037095004321")
    assert citizen.identity_verified and citizen.full_name == "Phạm Quang Minh"

    page.goto(f"{site}/thu-tuc/{PROCEDURE_CODE}/nop-ho-so/")
    if page.get_by_role("button", name="Đồng ý và tiếp tục").count():  # a new account: the privacy notice first
        page.get_by_label(re.compile("Tôi đã đọc và đồng ý")).check()
        page.get_by_role("button", name="Đồng ý và tiếp tục").click()
    expect(page.get_by_text("Bạn đã xác thực định danh điện tử (VNeID)")).to_be_visible()
    expect(page.get_by_label("Số định danh cá nhân")).to_have_value("037095004321")
    expect(page.get_by_label(re.compile("Căn cước"))).to_have_count(0)
