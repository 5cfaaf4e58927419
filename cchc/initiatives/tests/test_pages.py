from django.urls import reverse

from cchc.audit.models import AuditEvent
from cchc.initiatives.models import Initiative
from cchc.initiatives.tests.conftest import make_initiative, user


def as_user(client, username):
    client.force_login(user(username))
    return client


def html(response) -> str:
    return response.content.decode()


def test_reform_officer_and_leader_see_the_whole_agency_but_nothing_of_another(client, spread):
    for username in ("cchc", "lanhdao", "quantri"):
        page = html(as_user(client, username).get(reverse("initiatives:list")))
        assert "Sáng kiến của Phòng Quản lý vận tải" in page
        assert "Sáng kiến của Phòng Kết cấu hạ tầng" in page
        assert "Sáng kiến của Sở Xây dựng" not in page
        assert client.get(reverse("initiatives:detail", args=[spread["foreign"].pk])).status_code == 404


def test_unit_staff_see_only_their_units_initiatives(client, spread):
    for username in ("truongphong", "chuyenvien"):
        as_user(client, username)
        page = html(client.get(reverse("initiatives:list")))
        assert "Sáng kiến của Phòng Quản lý vận tải" in page
        assert "Sáng kiến của Phòng Kết cấu hạ tầng" not in page
        assert client.get(reverse("initiatives:detail", args=[spread["qlvt"].pk])).status_code == 200
        assert client.get(reverse("initiatives:detail", args=[spread["kcht"].pk])).status_code == 404
        assert client.get(reverse("initiatives:edit", args=[spread["kcht"].pk])).status_code == 404


def test_applicants_and_visitors_are_kept_out(client, spread):
    assert client.get(reverse("initiatives:list")).status_code == 302
    as_user(client, "congdan")
    assert client.get(reverse("initiatives:list")).status_code == 403
    assert client.get(reverse("initiatives:detail", args=[spread["qlvt"].pk])).status_code == 403


def test_list_filters_by_status_and_unit(client, spread):
    as_user(client, "cchc")

    proposed = html(client.get(reverse("initiatives:list"), {"status": "proposed"}))
    in_qlvt = html(client.get(reverse("initiatives:list"), {"unit": "QLVT"}))
    bad = client.get(reverse("initiatives:list"), {"status": "bi-mat"})

    assert "Phòng Kết cấu hạ tầng" in proposed and "Sáng kiến của Phòng Quản lý vận tải" not in proposed
    assert "Sáng kiến của Phòng Quản lý vận tải" in in_qlvt and "Phòng Kết cấu hạ tầng" not in in_qlvt
    assert bad.status_code == 400 and "Trạng thái không hợp lệ" in html(bad)


def test_detail_shows_the_before_after_table(client, demo, sktest, dossiers):
    initiative = make_initiative(demo, sktest, "Số hóa khi tiếp nhận", indicator_codes=["progress.on_time"])
    as_user(client, "cchc")

    page = html(client.get(reverse("initiatives:detail", args=[initiative.pk])))

    assert "Hồ sơ giải quyết trước hạn, đúng hạn" in page
    assert "Số hóa khi tiếp nhận" in page
    # Started on 01/03/2025 and over long ago: three months each side.
    assert "trước từ 01/12/2024 đến 28/02/2025" in page
    assert "50%" in page and "75%" in page and "+25" in page


def test_recent_initiative_says_not_enough_data(client, demo, spread):
    from django.utils import timezone

    recent = make_initiative(
        demo,
        spread["qlvt"].unit,
        "Mới áp dụng tuần trước",
        started_on=timezone.localdate(),
        indicator_codes=["online.dossiers"],
    )
    as_user(client, "truongphong")

    page = html(client.get(reverse("initiatives:detail", args=[recent.pk])))

    assert "chưa đủ dữ liệu" in page
    assert "Chưa đủ một tháng áp dụng" in page


def test_unit_head_registers_an_initiative_from_the_form(client, demo):
    as_user(client, "truongphong")
    form = client.get(reverse("initiatives:create"))
    assert form.status_code == 200 and "Phòng Quản lý vận tải" in html(form)
    assert "Phòng Quản lý kết cấu hạ tầng" not in html(form)  # only their own unit to choose
    qlvt = user("truongphong").unit

    response = client.post(
        reverse("initiatives:create"),
        {
            "title": "Nhắn tin nhắc hạn đăng kiểm",
            "unit": qlvt.pk,
            "started_on": "02/03/2025",
            "status": "applied",
            "description": "Nhắn tin nhắc chủ xe trước hạn đăng kiểm 15 ngày.",
            "indicator_codes": ["online.dossiers", "progress.on_time"],
        },
    )

    initiative = Initiative.objects.get(title="Nhắn tin nhắc hạn đăng kiểm")
    assert response.status_code == 302 and response["Location"] == reverse("initiatives:detail", args=[initiative.pk])
    assert initiative.unit == qlvt and initiative.indicator_codes == ["online.dossiers", "progress.on_time"]
    assert "Nhắn tin nhắc hạn đăng kiểm" in html(client.get(response["Location"]))


def test_invalid_form_shows_vietnamese_errors_and_saves_nothing(client, demo):
    as_user(client, "cchc")
    before = (Initiative.objects.count(), AuditEvent.objects.count())

    response = client.post(
        reverse("initiatives:create"),
        {"title": "Sáng kiến chưa đủ", "unit": "", "started_on": "31/02/2025", "status": "applied", "description": "x"},
    )

    assert response.status_code == 400
    page = html(response)
    assert "Chưa lưu được" in page and "Cần chọn đơn vị" in page and "Ngày không hợp lệ" in page
    assert (Initiative.objects.count(), AuditEvent.objects.count()) == before


def test_service_refusal_lands_on_the_field(client, demo):
    as_user(client, "cchc")
    qlvt = user("truongphong").unit

    response = client.post(
        reverse("initiatives:create"),
        {
            "title": "Sáng kiến ngắn mô tả",
            "unit": qlvt.pk,
            "started_on": "2025-03-02",
            "status": "proposed",
            "description": "quá ngắn",
        },
    )

    assert response.status_code == 400
    assert "Mô tả cần từ 10 đến 10000 ký tự" in html(response)
    assert not Initiative.objects.filter(title="Sáng kiến ngắn mô tả").exists()


def test_leader_views_but_cannot_edit(client, spread):
    as_user(client, "lanhdao")
    initiative = spread["qlvt"]

    page = html(client.get(reverse("initiatives:detail", args=[initiative.pk])))
    assert "Sửa thông tin" not in page and "Đổi trạng thái" not in page
    assert client.get(reverse("initiatives:edit", args=[initiative.pk])).status_code == 403
    client.post(reverse("initiatives:status", args=[initiative.pk]), {"status": "replicated"})

    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.APPLIED


def test_unit_head_edits_and_moves_their_units_initiative(client, spread):
    as_user(client, "truongphong")
    initiative = spread["qlvt"]

    edit = client.post(
        reverse("initiatives:edit", args=[initiative.pk]),
        {
            "title": initiative.title,
            "unit": initiative.unit_id,
            "started_on": "2025-03-01",
            "description": "Mô tả đã được bổ sung chi tiết.",
            "indicator_codes": ["progress.on_time"],
            "recognised": "on",
            "recognition_level": "department",
            "recognition_decision": "45/QĐ-SGTVT",
        },
    )
    moved = client.post(reverse("initiatives:status", args=[initiative.pk]), {"status": "replicated"})

    assert edit.status_code == 302 and moved.status_code == 302
    initiative.refresh_from_db()
    assert initiative.recognised and initiative.recognition_decision == "45/QĐ-SGTVT"
    assert initiative.status == Initiative.Status.REPLICATED
    page = html(client.get(reverse("initiatives:detail", args=[initiative.pk])))
    assert "Sáng kiến được công nhận cấp Sở" in page and "45/QĐ-SGTVT" in page


def test_refused_status_change_shows_why_and_changes_nothing(client, spread):
    as_user(client, "cchc")
    initiative = spread["qlvt"]

    response = client.post(reverse("initiatives:status", args=[initiative.pk]), {"status": "stopped"}, follow=True)

    assert "Cần ghi lý do dừng áp dụng" in html(response)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.APPLIED


def test_the_office_menu_marks_the_initiative_pages_as_current(client, spread):
    page = html(as_user(client, "cchc").get(reverse("initiatives:list")))
    assert f'<a href="{reverse("initiatives:list")}" aria-current="page">' in page
