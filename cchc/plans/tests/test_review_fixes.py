"""Defects found in review: each test failed before its fix."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.audit.models import AuditEvent
from cchc.plans import services
from cchc.plans.models import Commitment, Plan

from .conftest import YEAR, unit, user

PDF_WITH_SCRIPT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n"


@pytest.mark.django_db
def test_progress_evidence_is_served_by_its_checked_type_not_the_name_the_uploader_chose(client, task):
    """A PDF named page.html must not come back as text/html (a script would run on our site)."""
    report = services.task_report_add(
        task=task,
        actor=user("chuyenvien"),
        percent=30,
        text="Đã rà soát xong bước một.",
        evidence=SimpleUploadedFile("trang.html", PDF_WITH_SCRIPT),
    )
    client.force_login(user("cchc"))
    response = client.get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/minh-chung/{report.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_progress_evidence_whose_file_is_gone_is_a_404_not_a_server_error(client, task):
    report = services.task_report_add(
        task=task,
        actor=user("chuyenvien"),
        percent=30,
        text="Đã rà soát xong bước một.",
        evidence=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    report.evidence.storage.delete(report.evidence.name)
    client.force_login(user("cchc"))
    response = client.get(f"/cai-cach/ke-hoach/nhiem-vu/{task.pk}/minh-chung/{report.pk}/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_signed_commitment_whose_file_is_gone_is_a_404_not_a_server_error(client, plan, signing):
    commitment = services.commitment_draft(actor=user("cchc"), unit=unit("QLVT"), year=YEAR)
    services.commitment_target_add(commitment=commitment, actor=user("cchc"), label="Đúng hạn", target=98)
    services.commitment_sign(commitment=commitment, actor=user("truongphong"))
    commitment = services.commitment_countersign(commitment=commitment, actor=user("lanhdao"))
    commitment.file.storage.delete(commitment.file.name)
    client.force_login(user("lanhdao"))
    response = client.get(f"/cai-cach/cam-ket/{commitment.pk}/ban-ky-so.pdf")
    assert response.status_code == 404


def _miss_once(monkeypatch, manager):
    """The first lookup misses the row, as when a double-click's two requests check at once."""
    real = manager.filter
    calls = {"n": 0}

    def filter_(*args, **kwargs):
        calls["n"] += 1
        return manager.none() if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(manager, "filter", filter_)


@pytest.mark.django_db
def test_drafting_a_commitment_twice_at_once_returns_the_first_draft(demo, monkeypatch):
    first = services.commitment_draft(actor=user("cchc"), unit=unit("QLVT"), year=YEAR)
    events = AuditEvent.objects.count()
    _miss_once(monkeypatch, Commitment.objects)
    again = services.commitment_draft(actor=user("cchc"), unit=unit("QLVT"), year=YEAR)
    assert again.pk == first.pk
    assert Commitment.objects.count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_creating_the_plan_twice_at_once_is_refused_with_a_message(demo, monkeypatch):
    services.plan_create(actor=user("cchc"), year=YEAR, title="Kế hoạch CCHC năm 2026")
    _miss_once(monkeypatch, Plan.objects)
    with pytest.raises(services.Conflict) as refused:
        services.plan_create(actor=user("cchc"), year=YEAR, title="Kế hoạch CCHC năm 2026")
    assert "Đã có kế hoạch" in refused.value.message
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_shortcomings_write_points_as_elsewhere_without_trailing_zeros(client, demo, plan):
    from cchc.reform.demo import load_demo_reform

    load_demo_reform(demo)
    client.force_login(user("cchc"))
    page = client.get(f"/cai-cach/khac-phuc/?year={YEAR}").content.decode()
    assert "3,2/5" in page  # criterion 8.2, appraised 3.2 of 5
    assert "3,20" not in page and "1,80" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("link", ["//trang-la.example/x", "/\\trang-la.example/x"])
def test_a_progress_link_cannot_point_off_site_through_a_protocol_relative_path(task, link):
    with pytest.raises(services.ApplicationError) as refused:
        services.task_report_add(task=task, actor=user("chuyenvien"), percent=30, text="Đã rà soát xong.", link=link)
    assert refused.value.code == "invalid_report"
    assert task.reports.count() == 0
