"""Issue 11's "Done when", in the browser, on the demo province (`load_demo --province`).

A citizen picks a commune procedure (birth registration), finds commune B (Phường Đông Thành) by
typing its name without accents and lodges it online; a second one is lodged for commune B by
commune A's officer (`motcua_xa`, Xã Đại Phước) at commune A's counter. Commune B's counter,
specialist and chair process both; each result returns where the applicant asked: the online
one at commune A's counter (chosen on the online form), the one lodged at commune A back at
commune A, both handed over by commune A's officer. The provincial leader (`lanhdao_tinh`) finds
both among commune B's figures (the drill-down of the service index) and commune B in the
province's ranking of communes."""

import re

import pytest
from playwright.sync_api import expect

from cchc.demo.province import commune_code, commune_staff

from .journey import act, office_status, open_from_desk, submit_online

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURE = "1.001193"  # Đăng ký khai sinh, offered by every commune
COMMUNE_A, COMMUNE_B = commune_code(1), commune_code(2)
A_NAME, B_NAME = "Xã Đại Phước", "Phường Đông Thành"
A_STAFF, B_STAFF = commune_staff(1), commune_staff(2)
A_OFFICER = A_STAFF["one_stop_officer"]  # motcua_xa
B_OFFICER, B_SPECIALIST, B_CHAIR = (B_STAFF[r] for r in ("one_stop_officer", "specialist", "leader"))
APPLICANT = {
    "Họ và tên (hoặc tên tổ chức, doanh nghiệp)": "Nguyễn Văn An",
    "Số định danh cá nhân": "034095001234",
    "Số điện thoại": "0912000001",
    "Địa chỉ": "Số 12 đường Lê Lợi, phường Đông Thành",
}


@pytest.fixture
def province_site(site):
    from cchc.demo.loader import load_demo

    load_demo(province=True)
    return site


def code_in(text: str, prefix: str) -> str:
    return re.search(rf"{re.escape(prefix)}-\d{{6}}-\d{{4}}", text).group(0)


def open_code(page, site: str, code: str) -> None:
    """Typing a whole code in the desk's search opens that dossier."""
    page.goto(f"{site}/can-bo/ho-so/?q={code}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")


def lodge_at_commune_a_for_b(officer, site: str) -> str:
    officer.goto(f"{site}/can-bo/tiep-nhan/?thu_tuc={PROCEDURE}")
    officer.locator("ul.agency-list").get_by_role("link", name=B_NAME, exact=True).click()
    expect(officer.locator(".resolving-agency")).to_have_text(B_NAME)
    officer.get_by_label("Họ và tên (hoặc tên tổ chức)").fill("Trần Thị Bình")
    officer.get_by_label("Số định danh cá nhân (12 số)").fill("001099054321")
    officer.get_by_label("Điện thoại").fill("0987654321")
    for box in officer.get_by_label("Đã nhận bản giấy").all():
        box.check()
    fee = officer.get_by_label(re.compile("Đã thu phí, lệ phí bằng tiền mặt"))
    if fee.count():
        fee.check()
    expect(officer.get_by_label("Hình thức nhận kết quả")).to_have_value("counter")
    officer.get_by_role("button", name="Tiếp nhận", exact=True).click()
    found = officer.get_by_text(re.compile(rf"{re.escape(COMMUNE_A)}-\d{{6}}-\d{{4}}")).first
    expect(found).to_be_visible()
    return code_in(found.inner_text(), COMMUNE_A)


def commune_b_processes(site: str, counter, specialist, chair, code: str, *, online: bool) -> None:
    """Commune B's counter takes it in and hands it on; its specialist checks it; its chair signs."""
    open_code(counter, site, code)
    if online:
        act(counter, "Tiếp nhận hồ sơ")  # the process hands it on in the same click
    else:  # received at commune A: the first step waits at commune B's counter
        act(counter, "Chuyển bước tiếp theo")
    expect(office_status(counter)).to_have_text("Đang giải quyết")

    open_from_desk(specialist, site, code, "Việc của tôi")
    act(specialist, "Chuyển bước tiếp theo", comment="Đã kiểm tra, ghi sổ hộ tịch; đề nghị ký.")

    open_from_desk(chair, site, code, "Việc của tôi")
    act(chair, "Phê duyệt")

    open_from_desk(counter, site, code, "Việc của tôi")
    act(counter, "Chuyển kết quả về Một cửa")
    expect(office_status(counter)).to_have_text("Đã có kết quả, chờ trả")


def return_at_counter(page, site: str, code: str) -> None:
    open_code(page, site, code)
    form = page.get_by_role("form", name="Trả kết quả", exact=True)
    expect(form.get_by_label("Hình thức trả kết quả")).to_have_value("counter")
    act(page, "Trả kết quả")
    expect(office_status(page)).to_have_text("Đã trả kết quả")


def test_a_commune_procedure_lodged_anywhere_is_resolved_by_commune_b_and_seen_by_the_province(
    province_site, person, tmp_path
):
    site = province_site
    citizen = person("congdan")
    online_code = submit_online(
        citizen,
        site,
        tmp_path,
        procedure=PROCEDURE,
        kind="Cá nhân",
        applicant=APPLICANT,
        return_method="Tại Bộ phận Một cửa",
        uploads=2,
        agency=(B_NAME, COMMUNE_B),
        return_point=A_NAME,  # nearer home: collected at commune A's centre
    )
    counter_code = lodge_at_commune_a_for_b(person(A_OFFICER), site)

    counter_b, specialist_b, chair_b = person(B_OFFICER), person(B_SPECIALIST), person(B_CHAIR)
    for code, online in ((online_code, True), (counter_code, False)):
        commune_b_processes(site, counter_b, specialist_b, chair_b, code, online=online)

    # Each result returns where it was asked for: both at commune A's counter (the online one as the
    # citizen chose on the form, the other where it was lodged), handed over by commune A's officer.
    officer_a = person(A_OFFICER)
    open_from_desk(officer_a, site, online_code, "Việc của tôi")
    return_at_counter(officer_a, site, online_code)
    return_at_counter(officer_a, site, counter_code)
    citizen.goto(f"{site}/ho-so/{online_code}/")
    expect(citizen.locator(".badge-status")).to_have_text("Đã trả kết quả")

    # The provincial leader: commune B's figures hold both dossiers, and the ranking lists commune B.
    leader = person("lanhdao_tinh")
    leader.goto(f"{site}/can-bo/bao-cao/chi-so/?agency={COMMUNE_B}")
    leader.get_by_role("link", name=re.compile("^Danh sách mẫu số của “Hồ sơ nộp trực tuyến”")).click()
    for code in (online_code, counter_code):
        expect(leader.get_by_text(code, exact=True).first).to_be_visible()
    leader.goto(f"{site}/cong-khai/xep-hang/?cap=commune")
    expect(leader.locator("table.rankings")).to_contain_text(B_NAME)
    # Read-only: the province's leader is offered no action on commune B's dossier.
    open_code(leader, site, counter_code)
    expect(leader.get_by_role("region", name="Xử lý hồ sơ")).to_contain_text("Bạn chỉ có quyền xem hồ sơ này.")
    expect(leader.locator("form.action-form")).to_have_count(0)
