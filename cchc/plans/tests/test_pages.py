"""The plan, task, late-task and commitment pages, as each role sees them."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cchc.plans import services
from cchc.plans.models import Commitment, Task
from cchc.plans.workflow import CommitmentStatus, TaskStatus

from .conftest import YEAR, fields, unit, user


@pytest.fixture
def as_user(client):
    def login(username: str):
        client.force_login(user(username))
        return client

    return login


@pytest.fixture
def late_task(plan):
    """Late for today's date whatever it is: the test moves the plan's year to today's."""
    today = timezone.localdate()
    plan.year = today.year
    plan.save(update_fields=["year"])
    deadline = max(date(today.year, 1, 1), today - timedelta(days=3))
    if deadline >= today:  # the first days of January: nothing can be late yet this year
        pytest.skip("no day of this year is behind us yet")
    return services.task_create(
        plan=plan,
        actor=user("cchc"),
        fields=fields(title="Số hóa hồ sơ quá hạn", deadline=deadline, lead=user("chuyenvien")),
    )


def test_the_plan_page_lists_tasks_and_highlights_late_ones(late_task, as_user):
    services.task_create(
        plan=late_task.plan,
        actor=user("cchc"),
        fields=fields(
            title="Nhiệm vụ của phòng hạ tầng", unit=unit("KCHT"), deadline=date(late_task.plan.year, 12, 31)
        ),
    )
    page = as_user("lanhdao").get("/cai-cach/ke-hoach/", {"year": late_task.plan.year})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Số hóa hồ sơ quá hạn" in html and "Nhiệm vụ của phòng hạ tầng" in html
    assert 'class="row-late"' in html and "1 nhiệm vụ trễ hạn." in html

    unit_only = as_user("chuyenvien").get("/cai-cach/ke-hoach/", {"year": late_task.plan.year}).content.decode()
    assert "Số hóa hồ sơ quá hạn" in unit_only and "Nhiệm vụ của phòng hạ tầng" not in unit_only

    filtered = as_user("lanhdao").get("/cai-cach/ke-hoach/", {"year": late_task.plan.year, "unit": "KCHT"})
    assert "Số hóa hồ sơ quá hạn" not in filtered.content.decode()


def test_the_late_list_is_for_the_leadership_and_unit_heads_not_specialists(late_task, as_user):
    page = as_user("lanhdao").get("/cai-cach/nhiem-vu-tre-han/")
    assert page.status_code == 200 and "Số hóa hồ sơ quá hạn" in page.content.decode()
    assert "Số hóa hồ sơ quá hạn" in as_user("truongphong").get("/cai-cach/nhiem-vu-tre-han/").content.decode()
    assert "Số hóa hồ sơ quá hạn" in as_user("cchc").get("/cai-cach/nhiem-vu-tre-han/").content.decode()
    assert as_user("chuyenvien").get("/cai-cach/nhiem-vu-tre-han/").status_code == 403
    assert as_user("motcua").get("/cai-cach/nhiem-vu-tre-han/").status_code == 403
    assert as_user("congdan").get("/cai-cach/nhiem-vu-tre-han/").status_code == 403


def test_another_agencys_plan_task_and_commitment_are_unreachable(task, other_agency, as_user):
    other = other_agency["task"]
    assert as_user("lanhdao").get(f"/cai-cach/ke-hoach/nhiem-vu/{other.pk}/").status_code == 404
    assert as_user("cchc").get(f"/cai-cach/ke-hoach/nhiem-vu/{other.pk}/sua/").status_code == 404
    page = as_user("lanhdao").get("/cai-cach/ke-hoach/", {"year": YEAR}).content.decode()
    assert task.title in page and "Nhiệm vụ của Sở khác" not in page
    theirs = services.commitment_draft(actor=other_agency["officer"], unit=other.unit, year=YEAR)
    assert as_user("lanhdao").get(f"/cai-cach/cam-ket/{theirs.pk}/").status_code == 404
    assert as_user("lanhdao").post(f"/cai-cach/cam-ket/{theirs.pk}/ky-duyet/").status_code == 404
    mine = as_user("lanhdao").get("/cai-cach/ke-hoach/", {"year": YEAR}).content.decode()
    assert "Kế hoạch của Sở khác" not in mine
    # And the other way round.
    client = as_user("lanhdao")
    client.force_login(other_agency["leader"])
    assert client.get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/").status_code == 404


def test_a_specialist_of_another_unit_gets_404_for_the_task(task, as_user):
    assert as_user("chuyenvien").get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/").status_code == 200
    assert as_user("motcua").get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/").status_code == 404
    assert as_user("congdan").get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/").status_code == 403


def test_the_reform_officer_adds_a_task_and_a_deadline_outside_the_year_is_explained(plan, as_user):
    client = as_user("cchc")
    data = {"title": "Công khai quy trình nội bộ", "unit": unit("KCHT").pk, "deadline": "15/01/2027"}
    refused = client.post(f"/cai-cach/ke-hoach/nhiem-vu/moi/?year={YEAR}", data)
    assert refused.status_code == 400
    assert "nằm ngoài năm kế hoạch 2026" in refused.content.decode()
    assert not Task.objects.filter(plan=plan).exists()

    done = client.post(f"/cai-cach/ke-hoach/nhiem-vu/moi/?year={YEAR}", {**data, "deadline": "2026-08-31"})
    task = Task.objects.get(plan=plan)
    assert done.status_code == 302 and done["Location"] == f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/"
    assert task.deadline == date(2026, 8, 31)
    assert as_user("chuyenvien").get(f"/cai-cach/ke-hoach/nhiem-vu/moi/?year={YEAR}").status_code == 403


def test_the_lead_reports_progress_with_a_file_and_marks_the_task_done(task, as_user):
    client = as_user("chuyenvien")
    upload = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4\n% bao cao\n", content_type="application/pdf")
    response = client.post(
        f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/",
        {"percent": "100", "text": "Đã trình phương án", "evidence": upload, "bao_cao": "1"},
    )
    assert response.status_code == 302
    page = client.get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/").content.decode()
    assert "Đã trình phương án" in page and "ket-qua.pdf" in page
    report = task.reports.get()
    download = client.get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/minh-chung/{report.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert as_user("motcua").get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/minh-chung/{report.pk}/").status_code == 404

    client = as_user("chuyenvien")
    client.post(
        f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/",
        {"chuyen": "1", "to_status": "done", "expected_status": "in_progress"},
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_a_stale_transition_form_changes_nothing(task, as_user):
    client = as_user("cchc")
    response = client.post(
        f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/",
        {"chuyen": "1", "to_status": "cancelled", "expected_status": "in_progress", "reason": "Trùng"},
        follow=True,
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_signing_and_countersigning_through_the_pages(task, signing, as_user):
    client = as_user("truongphong")
    client.post("/cai-cach/cam-ket/", {"unit": unit("QLVT").pk, "year": YEAR})
    commitment = Commitment.objects.get(unit=unit("QLVT"), year=YEAR)
    client.post(
        f"/cai-cach/cam-ket/{commitment.pk}/",
        {
            "them_chi_tieu": "1",
            "label": "Hồ sơ nộp trực tuyến",
            "indicator": "online.dossiers",
            "comparison": "gte",
            "target": "50",
        },
    )
    assert commitment.targets.get().indicator == "online.dossiers"
    page = client.get(f"/cai-cach/cam-ket/{commitment.pk}/").content.decode()
    assert "Hồ sơ nộp trực tuyến" in page and "≥ 50%" in page and "Ký cam kết" in page

    assert as_user("lanhdao").post(f"/cai-cach/cam-ket/{commitment.pk}/ky/").status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DRAFT  # the leader cannot sign for the unit

    as_user("truongphong").post(f"/cai-cach/cam-ket/{commitment.pk}/ky/")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.SIGNED_BY_UNIT
    assert as_user("truongphong").get(f"/cai-cach/cam-ket/{commitment.pk}/ban-ky-so.pdf").status_code == 404

    leader = as_user("lanhdao")
    assert "Ký duyệt cam kết" in leader.get(f"/cai-cach/cam-ket/{commitment.pk}/").content.decode()
    leader.post(f"/cai-cach/cam-ket/{commitment.pk}/ky-duyet/")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.COUNTERSIGNED
    pdf = leader.get(f"/cai-cach/cam-ket/{commitment.pk}/ban-ky-so.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_unit_head_cannot_sign_another_units_commitment_from_the_page(demo, as_user):
    kcht = services.commitment_draft(actor=user("cchc"), unit=unit("KCHT"), year=YEAR)
    assert as_user("truongphong").post(f"/cai-cach/cam-ket/{kcht.pk}/ky/").status_code == 404
    kcht.refresh_from_db()
    assert kcht.status == CommitmentStatus.DRAFT


def test_sign_is_post_only(demo, as_user):
    qlvt = services.commitment_draft(actor=user("cchc"), unit=unit("QLVT"), year=YEAR)
    assert as_user("truongphong").get(f"/cai-cach/cam-ket/{qlvt.pk}/ky/").status_code == 405


def test_every_page_opens_for_each_role_with_the_demo_data(demo, settings, tmp_path, as_user):
    from cchc.plans.demo import load_demo_plans

    settings.CCHC_SIGNING_P12_PATH = str(tmp_path / "none.p12")
    load_demo_plans(demo)
    task = Task.objects.filter(plan__year=2026, unit__code="QLVT").first()
    qlvt = Commitment.objects.get(unit__code="QLVT", year=2026)
    kcht = Commitment.objects.get(unit__code="KCHT", year=2026)
    pages = {
        "cchc": [
            "/cai-cach/ke-hoach/?year=2026",
            "/cai-cach/ke-hoach/?year=2031",
            "/cai-cach/ke-hoach/nhiem-vu/moi/?year=2026",
            f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/",
            f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/sua/",
            "/cai-cach/nhiem-vu-tre-han/",
            "/cai-cach/cam-ket/?year=2026",
            f"/cai-cach/cam-ket/{kcht.pk}/",
            "/cai-cach/giao-ban/?unit=QLVT&month=2026-11",
            "/cai-cach/khac-phuc/?year=2026",
        ],
        "lanhdao": ["/cai-cach/ke-hoach/", f"/cai-cach/cam-ket/{qlvt.pk}/", "/cai-cach/giao-ban/"],
        "truongphong": [f"/cai-cach/cam-ket/{qlvt.pk}/", "/cai-cach/giao-ban/", "/cai-cach/cam-ket/"],
        "chuyenvien": [f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/", "/cai-cach/cam-ket/"],
    }
    for username, urls in pages.items():
        client = as_user(username)
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
    assert "Thêm chỉ tiêu" in as_user("cchc").get(f"/cai-cach/cam-ket/{kcht.pk}/").content.decode()
    assert "Thêm chỉ tiêu" not in as_user("cchc").get(f"/cai-cach/cam-ket/{qlvt.pk}/").content.decode()


def test_the_plan_and_late_pages_do_not_query_per_task(plan, as_user, django_assert_max_num_queries):
    client = as_user("lanhdao")
    for n in range(12):
        services.task_create(
            plan=plan,
            actor=user("cchc"),
            fields=fields(title=f"Nhiệm vụ {n}", deadline=date(YEAR, 1, 2 + n), lead=user("chuyenvien")),
        )
    with django_assert_max_num_queries(12):
        assert client.get("/cai-cach/ke-hoach/", {"year": YEAR}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/cai-cach/nhiem-vu-tre-han/").status_code == 200
