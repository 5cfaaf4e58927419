"""Plans and tasks through their services: deadlines, transitions, progress reports."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.audit.models import AuditEvent
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.plans import services
from cchc.plans.models import Plan, Task, TaskTransition
from cchc.plans.workflow import TaskStatus

from .conftest import YEAR, fields, unit, user

PDF = b"%PDF-1.4\n% minh chung\n"


def events(action: str, task: Task) -> int:
    return AuditEvent.objects.filter(action=action, object_id=str(task.pk)).count()


def test_creating_a_plan_and_a_task_is_audited_and_numbered(plan):
    first = services.task_create(plan=plan, actor=user("cchc"), fields=fields())
    second = services.task_create(plan=plan, actor=user("cchc"), fields=fields(title="Nhiệm vụ thứ hai"))
    assert (first.code, second.code) == ("1", "2")
    assert AuditEvent.objects.filter(action="plan.create", object_id=str(plan.pk)).exists()
    assert events("plan.task.create", first) == 1


def test_a_second_plan_for_the_same_year_is_refused(plan):
    with pytest.raises(Conflict):
        services.plan_create(actor=user("cchc"), year=YEAR, title="Trùng")
    assert Plan.objects.filter(agency=plan.agency, year=YEAR).count() == 1


def test_a_deadline_outside_the_plan_year_is_refused_in_vietnamese(plan):
    with pytest.raises(ApplicationError) as refused:
        services.task_create(plan=plan, actor=user("cchc"), fields=fields(deadline=date(YEAR + 1, 1, 15)))
    assert "nằm ngoài năm kế hoạch 2026" in refused.value.message
    assert ("deadline", refused.value.details[0][1]) == refused.value.details[0]
    assert not Task.objects.filter(plan=plan).exists()


def test_only_the_reform_officer_adds_tasks(plan):
    for username in ("chuyenvien", "truongphong", "lanhdao"):
        with pytest.raises(PermissionDenied):
            services.task_create(plan=plan, actor=user(username), fields=fields())
    assert not Task.objects.filter(plan=plan).exists()


def test_marking_done_without_a_report_or_full_progress_is_refused_and_changes_nothing(task):
    with pytest.raises(ApplicationError) as refused:
        services.task_transition(task=task, actor=user("chuyenvien"), to_status=TaskStatus.DONE)
    assert "100%" in refused.value.message
    task.refresh_from_db()
    assert (task.status, task.progress, task.finished_at) == (TaskStatus.NOT_STARTED, 0, None)
    assert not TaskTransition.objects.filter(task=task).exists()
    assert events("plan.task.transition", task) == 0


def test_cancelling_needs_a_reason_and_someone_allowed(task):
    with pytest.raises(ApplicationError):
        services.task_transition(task=task, actor=user("cchc"), to_status=TaskStatus.CANCELLED)
    with pytest.raises(PermissionDenied):  # staff of another unit who do not lead it
        services.task_transition(task=task, actor=user("motcua"), to_status=TaskStatus.IN_PROGRESS)
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    services.task_transition(task=task, actor=user("cchc"), to_status=TaskStatus.CANCELLED, reason="Không còn phù hợp")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    with pytest.raises(Conflict):  # cancelled is final
        services.task_transition(task=task, actor=user("cchc"), to_status=TaskStatus.IN_PROGRESS, reason="Mở lại")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert TaskTransition.objects.filter(task=task).count() == 1


def test_a_report_sets_progress_starts_the_task_and_then_done_is_allowed(task):
    report = services.task_report_add(
        task=task,
        actor=user("chuyenvien"),
        percent=70,
        text="Đã hoàn thành dự thảo phương án",
        evidence=SimpleUploadedFile("bien-ban.pdf", PDF),
        link="https://example.vn/van-ban",
    )
    task.refresh_from_db()
    assert (task.progress, task.status) == (70, TaskStatus.IN_PROGRESS)
    assert report.evidence.name.endswith(".pdf") and report.evidence_name == "bien-ban.pdf"
    assert events("plan.task.report", task) == 1
    services.task_transition(task=task, actor=user("truongphong"), to_status=TaskStatus.DONE)
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.DONE, 100)
    assert task.finished_at is not None
    # Moving to where it is already changes nothing.
    services.task_transition(task=task, actor=user("truongphong"), to_status=TaskStatus.DONE)
    assert TaskTransition.objects.filter(task=task, to_status=TaskStatus.DONE).count() == 1


def test_a_report_with_a_bad_file_or_percent_is_refused_and_nothing_changes(task):
    with pytest.raises(ApplicationError) as refused:
        services.task_report_add(
            task=task,
            actor=user("chuyenvien"),
            percent=130,
            text="Ổn",
            evidence=SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        )
    names = {name for name, _message in refused.value.details}
    assert names == {"percent", "text", "evidence"}
    task.refresh_from_db()
    assert (task.progress, task.status, task.reports.count()) == (0, TaskStatus.NOT_STARTED, 0)


def test_another_unit_cannot_report_on_the_task(task):
    with pytest.raises(PermissionDenied):
        services.task_report_add(task=task, actor=user("motcua"), percent=10, text="Báo cáo nhầm đơn vị")
    assert task.reports.count() == 0


def test_saving_an_unchanged_task_records_nothing(task):
    same = fields(lead=user("chuyenvien"), code=task.code)
    services.task_update(task=task, actor=user("cchc"), fields=same)
    assert events("plan.task.update", task) == 0
    services.task_update(task=task, actor=user("cchc"), fields=fields(lead=user("chuyenvien"), unit=unit("KCHT")))
    task.refresh_from_db()
    assert task.unit.code == "KCHT"
    event = AuditEvent.objects.get(action="plan.task.update", object_id=str(task.pk))
    assert event.data["unit"] == ["QLVT", "KCHT"]
