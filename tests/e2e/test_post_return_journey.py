"""A result sent by post with a VNPost waybill, in a browser.

A transport business (doanhnghiep) applies online (2.002061: no fee) and chooses to get the result by
post; the officers take their steps through the back-office pages; the one-stop officer brings the result
back and sends it through VNPost from the dossier's page; the task worker's job (run here in-process) makes
the order on the simulator server's VNPost, whose waybill the business then sees on its dossier; the
scheduler's tracking rounds (in-process too) follow the parcel until it is delivered, which records the
return of the result: the business sees "Đã trả kết quả", the waybill and the parcel's journey.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from cchc.postal.models import Shipment
from cchc.postal.services import shipment_create_order, shipments_track

from .journey import (
    act,
    leader_approves,
    office_status,
    officer_receives_and_forwards,
    open_from_desk,
    open_my_dossier,
    specialist_forwards,
    submit_online,
    unit_head_forwards,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE_CODE = "2.002061"  # no fee, three components, an electronic result
BY_POST = "Qua dịch vụ bưu chính"
ADDRESS = "Số 45 đường Trần Phú, phường Đông Thành, thành phố Bình Sơn"
APPLICANT = {
    "Họ và tên (hoặc tên tổ chức, doanh nghiệp)": "Công ty TNHH Vận tải Sơn Hà",
    "Mã số thuế": "0101234567",
    "Số điện thoại": "0912000003",
    "Thư điện tử": "doanhnghiep@example.vn",
    "Địa chỉ": ADDRESS,
}
SPECIALIST_COMMENT = "Hồ sơ đầy đủ, đề nghị chấp thuận; kết quả gửi qua bưu điện theo yêu cầu."


def officer_sends_by_post(page: Page, site: str, code: str) -> None:
    """The one-stop officer brings the result back and asks VNPost to carry it."""
    open_from_desk(page, site, code, "Việc của tôi")
    act(page, "Chuyển kết quả về Một cửa")
    expect(office_status(page)).to_have_text("Đã có kết quả, chờ trả")
    panel = page.get_by_role("region", name="Trả kết quả qua bưu chính (VNPost)")
    panel.get_by_role("button", name="Gửi kết quả qua VNPost").click()
    expect(page.locator(".messages")).to_contain_text("Đã yêu cầu VNPost nhận bưu gửi")
    panel = page.get_by_role("region", name="Trả kết quả qua bưu chính (VNPost)")
    expect(panel).to_contain_text("(đang chờ VNPost cấp)")
    expect(panel).to_contain_text("Chờ tạo vận đơn")
    expect(panel).to_contain_text(ADDRESS)
    # Asked once: no second button while the parcel is on its way.
    expect(panel.get_by_role("button", name="Gửi kết quả qua VNPost")).to_have_count(0)
    expect(office_status(page)).to_have_text("Đã có kết quả, chờ trả")


def post_panel(page: Page):
    return page.get_by_role("region", name="Kết quả gửi qua bưu chính")


def test_a_business_gets_its_result_by_post_with_a_waybill(person, live_simulators, site, signing, tmp_path: Path):
    business = person("doanhnghiep")
    code = submit_online(
        business,
        site,
        tmp_path,
        procedure=PROCEDURE_CODE,
        kind="Tổ chức, doanh nghiệp",
        applicant=APPLICANT,
        return_method=BY_POST,
        uploads=3,
    )
    expect(business.locator("main")).to_contain_text(BY_POST)

    officer = person("motcua")
    officer_receives_and_forwards(officer, site, code)
    specialist_forwards(person("chuyenvien"), site, code, comment=SPECIALIST_COMMENT)
    unit_head_forwards(person("truongphong"), site, code, specialist_comment=SPECIALIST_COMMENT)
    leader_approves(person("lanhdao"), site, code)  # by post: approved, not returned yet
    officer_sends_by_post(officer, site, code)

    # What the task worker does once the officer's request commits: the order at VNPost.
    shipment = Shipment.objects.get(dossier__code=code)
    shipment = shipment_create_order(shipment_id=shipment.pk)
    assert shipment.state == Shipment.State.CREATED, shipment.last_error
    waybill = shipment.waybill
    # The simulator server's VNPost holds the order under the dossier's code, to the business's address.
    listing = officer.request.get(f"{settings.CCHC_SIMULATOR_URL}/_sim/vnpost/orders")
    assert listing.ok, listing.status
    orders = {row["key"]: row["data"] for row in json.loads(listing.body())["orders"]}
    assert orders[code]["ItemCode"] == waybill
    assert orders[code]["order"]["Receiver"]["Address"] == ADDRESS

    open_my_dossier(business, code, status="Đã có kết quả, chờ trả")
    panel = post_panel(business)
    expect(panel).to_contain_text(waybill)
    expect(panel).to_contain_text("Đã tạo vận đơn, chờ bưu điện nhận")

    # The scheduler's tracking rounds: picked up, in transit, delivered (the simulated parcel moves one
    # step at each look-up); the delivery records the return of the result.
    reports = [shipments_track() for _ in range(3)]
    assert [r["delivered"] for r in reports] == [0, 0, 1], reports

    business.reload()
    expect(business.locator(".badge-status")).to_have_text("Đã trả kết quả")
    panel = post_panel(business)
    expect(panel).to_contain_text(waybill)
    expect(panel).to_contain_text("Đã phát cho người nhận")
    expect(panel).to_contain_text("Phát thành công (giả lập)")
    expect(panel.locator("ol.steps li")).to_have_count(4)

    officer.reload()
    expect(office_status(officer)).to_have_text("Đã trả kết quả")
    expect(officer.get_by_role("region", name="Lịch sử xử lý")).to_contain_text(f"VNPost đã phát bưu gửi {waybill}")
