"""The pages: who may open them, what they show, what a refused action leaves unchanged."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.audit.models import AuditEvent
from cchc.procedures.models import Procedure
from cchc.simplification import services
from cchc.simplification.models import ProposedChange, ReviewRound

from .conftest import WORKED_AFTER, WORKED_BEFORE, user

ROUNDS = "/cai-cach/ra-soat/"


@pytest.fixture
def reviews(february_round):
    officer = user("cchc")
    licence = services.review_add(
        actor=officer,
        round=february_round,
        procedure=Procedure.objects.get(code="1.000010"),
        before=WORKED_BEFORE,
        after=WORKED_AFTER,
        volume_override=100,
        volume_override_reason="Số liệu minh họa",
    )
    works = services.review_add(actor=officer, round=february_round, procedure=Procedure.objects.get(code="1.001035"))
    services.change_add(
        actor=officer,
        review=licence,
        kind="drop_component",
        component=licence.version.components.get(name__startswith="Bản sao giấy phép lái xe"),
        description="Bãi bỏ bản sao giấy phép lái xe",
        rationale="Tra cứu trên hệ thống",
    )
    return {"licence": licence, "works": works}


def _review_url(review) -> str:
    return reverse("simplification:review", kwargs={"round_pk": review.round_id, "pk": review.pk})


def test_urls_are_under_cai_cach():
    assert reverse("simplification:rounds") == ROUNDS
    assert reverse("simplification:candidates") == "/cai-cach/ra-soat/ung-vien/"


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    response = client.get(ROUNDS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("username", ["chuyenvien", "motcua", "congdan", "doanhnghiep"])
def test_other_roles_get_403(client, demo, reviews, username):
    client.force_login(user(username))
    for url in (
        ROUNDS,
        reverse("simplification:candidates"),
        reverse("simplification:round", args=[reviews["licence"].round_id]),
        reverse("simplification:round_xlsx", args=[reviews["licence"].round_id]),
        _review_url(reviews["licence"]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_round_page_shows_each_procedures_cost_and_the_annual_total(client, reviews):
    client.force_login(user("lanhdao"))
    page = client.get(reverse("simplification:round", args=[reviews["licence"].round_id])).content.decode()
    assert "1.000010" in page and "1.001035" in page
    assert "1.024.000 đ" in page and "231.000 đ" in page and "77,44%" in page
    # Annual: licence 100 × 1,024,000 before, 100 × 231,000 after; works: 0 cases counted in February.
    assert "102.400.000 đ" in page and "23.100.000 đ" in page and "79.300.000 đ" in page
    assert "Thêm thủ tục" not in page and "Kết thúc đợt rà soát" not in page  # the leader only reads


def test_the_reform_officer_creates_a_round_from_the_page(client, demo):
    client.force_login(user("cchc"))
    assert "Tạo đợt rà soát" in client.get(ROUNDS).content.decode()
    form = {
        "year": "2026",
        "name": "Rà soát năm 2026",
        "period_start": "01/01/2026",
        "period_end": "31/10/2026",
        "monthly_income": "7.040.000",
        "note": "",
    }
    response = client.post(ROUNDS, form)
    round = ReviewRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("simplification:round", args=[round.pk])
    assert round.monthly_income == 7_040_000
    refused = client.post(ROUNDS, form | {"name": "Khác", "monthly_income": "-5", "period_end": "01/12/2025"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "Số tiền không được âm." in body and "phải sau ngày bắt đầu" in body
    assert ReviewRound.objects.count() == 1


def test_the_cost_form_saves_figures_and_the_saving_changes(client, reviews):
    review = reviews["works"]
    client.force_login(user("cchc"))
    page = client.get(_review_url(review)).content.decode()
    assert "Nhập chi phí tuân thủ" in page and "Bằng chứng từ quá trình giải quyết" in page
    form = {"thao_tac": "chi_phi", "before_preparing_hours": "10", "before_travel_cost": "200.000", "fees_after": "0"}
    response = client.post(_review_url(review), form)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.before_preparing_hours == 10 and review.before_travel_cost == 200_000
    page = client.get(_review_url(review)).content.decode()
    assert "600.000 đ" in page and "100,00%" in page  # 10 h × 40,000 + 200,000; nothing after


def test_a_bad_cost_form_says_why_in_vietnamese_and_saves_nothing(client, reviews):
    review = reviews["licence"]
    client.force_login(user("cchc"))
    response = client.post(
        _review_url(review), {"thao_tac": "chi_phi", "before_learning_hours": "-2", "after_travel_cost": "12,5abc"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Số giờ không được âm." in body and "Số tiền phải là số nguyên" in body
    review.refresh_from_db()
    assert review.before_learning_hours == 2 and review.after_travel_cost == 0


def test_proposals_are_added_and_removed_from_the_review_page(client, reviews):
    review = reviews["works"]
    client.force_login(user("cchc"))
    response = client.post(
        _review_url(review),
        {"thao_tac": "them_phuong_an", "kind": "full_online", "description": "Trực tuyến toàn trình", "rationale": ""},
    )
    assert response.status_code == 302
    change = review.changes.get()
    assert "Trực tuyến toàn trình" in client.get(_review_url(review)).content.decode()
    refused = client.post(
        _review_url(review),
        {"thao_tac": "them_phuong_an", "kind": "shorten_time_limit", "new_time_limit_value": "9", "description": "Rút"},
    )
    assert refused.status_code == 400 and "phải ngắn hơn thời hạn hiện hành" in refused.content.decode()
    client.post(_review_url(review), {"thao_tac": "xoa_phuong_an", "phuong_an": change.pk})
    assert not review.changes.exists()


def test_a_closed_round_is_read_only_on_the_page_too(client, reviews):
    review = reviews["licence"]
    client.force_login(user("cchc"))
    response = client.post(reverse("simplification:round", args=[review.round_id]), {"thao_tac": "ket_thuc"})
    assert response.status_code == 302 and ReviewRound.objects.get().status == "closed"
    page = client.get(_review_url(review)).content.decode()
    assert "Nhập chi phí tuân thủ" not in page and "Thêm phương án" not in page and "chỉ xem" in page
    events = AuditEvent.objects.count()
    response = client.post(_review_url(review), {"thao_tac": "chi_phi", "before_learning_hours": "9"})
    assert response.status_code == 409 and "Đợt rà soát đã kết thúc" in response.content.decode()
    response = client.post(_review_url(review), {"thao_tac": "xoa_phuong_an", "phuong_an": review.changes.get().pk})
    assert response.status_code == 409
    review.refresh_from_db()
    assert review.before_learning_hours == 2 and ProposedChange.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_unit_head_sees_and_edits_only_their_units_procedures(client, reviews):
    client.force_login(user("truongphong"))  # QLVT: leads 1.000010, not 1.001035 (KCHT)
    page = client.get(reverse("simplification:round", args=[reviews["licence"].round_id])).content.decode()
    assert "1.000010" in page and "1.001035" not in page
    assert client.get(_review_url(reviews["works"])).status_code == 404
    assert client.post(_review_url(reviews["works"]), {"thao_tac": "chi_phi"}).status_code == 404
    response = client.post(_review_url(reviews["licence"]), {"thao_tac": "chi_phi", "after_waiting_hours": "1"})
    assert response.status_code == 302
    reviews["licence"].refresh_from_db()
    assert reviews["licence"].after_waiting_hours == 1
    assert client.post(ROUNDS, {"year": "2026", "name": "X"}).status_code == 403
    assert (
        client.post(
            reverse("simplification:round", args=[reviews["licence"].round_id]), {"thao_tac": "ket_thuc"}
        ).status_code
        == 403
    )
    # The export holds only their unit's procedures too.
    book = load_workbook(
        BytesIO(client.get(reverse("simplification:round_xlsx", args=[reviews["licence"].round_id])).content)
    )
    codes = [row[1] for row in book.worksheets[0].iter_rows(min_row=5, values_only=True) if row[1]]
    assert codes == ["1.000010"]


def test_the_leader_may_read_a_review_but_not_post(client, reviews):
    client.force_login(user("lanhdao"))
    page = client.get(_review_url(reviews["licence"])).content.decode()
    assert "77,44%" in page and "Nhập chi phí tuân thủ" not in page
    assert client.post(_review_url(reviews["licence"]), {"thao_tac": "chi_phi"}).status_code == 403


def test_another_agencys_round_is_not_found(client, reviews, outsider):
    client.force_login(outsider)
    round_id = reviews["licence"].round_id
    assert client.get(reverse("simplification:round", args=[round_id])).status_code == 404
    assert client.get(reverse("simplification:round_xlsx", args=[round_id])).status_code == 404
    assert client.get(_review_url(reviews["licence"])).status_code == 404
    assert client.post(_review_url(reviews["licence"]), {"thao_tac": "chi_phi"}).status_code == 404
    assert "Rà soát thử nghiệm" not in client.get(ROUNDS).content.decode()


def test_the_export_opens_with_the_right_figures(client, reviews):
    client.force_login(user("cchc"))
    response = client.get(reverse("simplification:round_xlsx", args=[reviews["licence"].round_id]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Thủ tục rà soát", "Phương án đơn giản hóa", "Bằng chứng vận hành"]
    procedures = book["Thủ tục rà soát"]
    header = [cell.value for cell in procedures[4]]
    assert header[:8] == [
        "STT",
        "Mã thủ tục",
        "Tên thủ tục",
        "Đơn vị chủ trì",
        "Số hồ sơ/năm",
        "Chi phí trước (đồng/hồ sơ)",
        "Chi phí sau (đồng/hồ sơ)",
        "Tỷ lệ cắt giảm",
    ]
    licence = [cell.value for cell in procedures[5]]
    assert licence[1] == "1.000010" and licence[4:11] == [
        100,
        1_024_000,
        231_000,
        0.7744,
        102_400_000,
        23_100_000,
        79_300_000,
    ]
    assert procedures.cell(row=5, column=8).number_format == "0.00%"
    total = [cell.value for cell in procedures[7]]
    assert total[2].startswith("Tổng cộng") and total[8:11] == [102_400_000, 23_100_000, 79_300_000]
    assert total[7] == 0.7744
    changes = list(book["Phương án đơn giản hóa"].iter_rows(min_row=5, values_only=True))
    assert len(changes) == 1 and changes[0][3] == "Bãi bỏ thành phần hồ sơ" and changes[0][4].startswith("Bản sao")
    evidence = list(book["Bằng chứng vận hành"].iter_rows(min_row=5, values_only=True))
    assert {row[0] for row in evidence} == {"1.000010", "1.001035"}
    assert {row[1] for row in evidence} == {"Thủ tục", "Thành phần hồ sơ", "Bước xử lý"}


def test_the_evidence_appears_on_the_review_page_and_in_the_export(client, operations, february_round):
    review = services.review_add(actor=user("cchc"), round=february_round, procedure=operations.procedure)
    client.force_login(user("cchc"))
    page = client.get(_review_url(review)).content.decode()
    assert "Ứng viên đơn giản hóa" in page and "33,33%" in page and "Vượt định mức" in page
    book = load_workbook(BytesIO(client.get(reverse("simplification:round_xlsx", args=[february_round.pk])).content))
    rows = {row[2]: row for row in book["Bằng chứng vận hành"].iter_rows(min_row=5, values_only=True)}
    health = rows["Giấy khám sức khỏe của người lái xe"]
    assert health[4:6] == (2, 0.3333) and health[13].startswith("Thành phần")
    assert rows["Bản sao giấy phép lái xe"][6:9] == (5, 3, 0.6)
    assert rows["2. Thẩm định"][9:13] == (6, 24.0, 16.0, 1.0)


def test_the_candidates_page_ranks_flagged_procedures_first(client, operations):
    client.force_login(user("cchc"))
    response = client.get(reverse("simplification:candidates"), {"tu_ngay": "01/02/2025", "den_ngay": "28/02/2025"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("9.100001") < page.index("1.000010")
    total = Procedure.objects.filter(agency=operations.procedure.agency, current_version__isnull=False).count()
    assert f"1/{total} thủ tục có dấu hiệu" in page and "phải bổ sung ở 33,33% hồ sơ" in page
    assert client.get(reverse("simplification:candidates")).status_code == 200  # the last quarter by default
    bad = client.get(reverse("simplification:candidates"), {"tu_ngay": "31/02/2025", "den_ngay": "x"})
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()


def test_the_round_page_reads_in_a_fixed_number_of_queries(client, reviews):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user("lanhdao"))
    url = reverse("simplification:round", args=[reviews["licence"].round_id])
    # Warm the caches every page reads (who runs the installation), so both counts are of the rows.
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for code in ("1.001777", "1.002804", "1.003683"):
        services.review_add(
            actor=user("cchc"), round=reviews["licence"].round, procedure=Procedure.objects.get(code=code)
        )
    with CaptureQueriesContext(connection) as five:
        assert "1.003683" in client.get(url).content.decode()
    assert len(five.captured_queries) == len(two.captured_queries)


def test_numbers_are_written_the_vietnamese_way_whatever_the_browser_language():
    from cchc.simplification.templatetags.simplification_format import vn_number, vn_percent

    assert (vn_number(18500), vn_number("1.50"), vn_number(33.333), vn_number(None)) == ("18.500", "1,5", "33,33", "–")
    assert vn_number(40000.0, 0) == "40.000"
    assert (vn_percent(77.44), vn_percent(60), vn_percent(-50), vn_percent(None)) == (
        "77,44%",
        "60,00%",
        "−50,00%",
        "–",
    )


def test_a_yearly_volume_too_big_for_the_column_is_refused_in_vietnamese(client, reviews):
    review = reviews["works"]
    client.force_login(user("cchc"))
    response = client.post(
        _review_url(review),
        {"thao_tac": "chi_phi", "volume_override": "99999999999", "volume_override_reason": "Số liệu ước tính"},
    )
    assert response.status_code == 400
    assert "Số hồ sơ mỗi năm quá lớn" in response.content.decode()
    review.refresh_from_db()
    assert review.volume_override is None


def test_the_service_refuses_a_yearly_volume_too_big_for_the_column(reviews):
    review = reviews["works"]
    with pytest.raises(services.ApplicationError) as refused:
        services.review_update(
            actor=user("cchc"), review=review, volume_override=3_000_000_000, volume_override_reason="Số liệu ước tính"
        )
    assert "quá lớn" in refused.value.message
    review.refresh_from_db()
    assert review.volume_override is None


def test_removing_a_proposal_with_a_garbled_id_is_not_found_and_removes_nothing(client, reviews):
    review = reviews["licence"]
    client.force_login(user("cchc"))
    for garbled in ("abc", "1.5", "²", ""):
        response = client.post(_review_url(review), {"thao_tac": "xoa_phuong_an", "phuong_an": garbled})
        assert response.status_code == 404
    assert review.changes.count() == 1


def test_text_typed_like_a_formula_is_exported_as_text(client, reviews):
    officer = user("cchc")
    services.change_add(
        actor=officer, review=reviews["works"], kind="other", description='=HYPERLINK("http://x";"bấm")'
    )
    client.force_login(officer)
    response = client.get(reverse("simplification:round_xlsx", args=[reviews["works"].round_id]))
    sheet = load_workbook(BytesIO(response.content))["Phương án đơn giản hóa"]
    cells = [cell for row in sheet.iter_rows(min_row=5) for cell in row if cell.value == '=HYPERLINK("http://x";"bấm")']
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_the_office_menu_marks_the_simplification_pages_as_current(client, demo):
    client.force_login(user("cchc"))
    page = client.get(ROUNDS).content.decode()
    assert f'<a href="{ROUNDS}" aria-current="page">' in page
