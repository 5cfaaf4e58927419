from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.audit.models import AuditEvent
from cchc.audit.selectors import audit_verify
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.dossiers.models import Dossier, DossierDocument, DossierEvent
from cchc.dossiers.rules import ApplicantData
from cchc.dossiers.services import DocumentInput, dossier_counter_intake, dossier_submit_online
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Procedure

from .helpers import CITIZEN, PDF, act, documents_for, drive_to_decision_step, frozen, submit, user


def test_online_submission_gets_a_code_and_waits_for_reception(demo):
    dossier = submit()
    assert dossier.status == Status.SUBMITTED
    assert dossier.code.startswith("000.00.12.H99-")
    assert dossier.received_at is None and dossier.due_at is None
    assert dossier.documents.count() == dossier.procedure_version.components.count()
    assert all(len(d.sha256) == 64 and d.digitised for d in dossier.documents.all())


def test_submitting_twice_with_the_same_key_gives_one_dossier(demo):
    first = submit(key="lan-1")
    second = submit(key="lan-1")
    assert first.pk == second.pk
    assert Dossier.objects.filter(applicant_user=user("congdan")).count() == 1


def test_a_file_that_is_not_pdf_jpeg_or_png_saves_nothing(demo):
    procedure = Procedure.objects.get(code="1.000010")
    documents = documents_for(procedure)
    documents[-1] = DocumentInput(component_id=documents[-1].component_id, file=SimpleUploadedFile("x.pdf", b"MZ\x90"))
    with pytest.raises(ApplicationError, match="không phải PDF, JPEG hoặc PNG"):
        dossier_submit_online(
            user=user("congdan"), procedure=procedure, applicant=CITIZEN, return_method="online", documents=documents
        )
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()


def test_bad_identifier_is_refused(demo):
    bad = ApplicantData(kind="citizen", name="Trần Thị Bình", id_number="12345", phone="0912345678")
    with pytest.raises(ApplicationError, match="12 chữ số"):
        submit(applicant=bad)
    assert not Dossier.objects.exists()


def test_reception_starts_the_clock_from_the_next_opening(demo):
    dossier = submit()
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=VN_TZ)
    with frozen(saturday):
        dossier = act(dossier, "motcua", "receive")
    assert dossier.received_at == saturday
    assert dossier.counted_from == datetime(2026, 3, 9, 7, 0, tzinfo=VN_TZ)
    # 5 working days = 40 working hours from Monday 07:00 end at Friday's closing.
    assert dossier.due_at == datetime(2026, 3, 13, 17, 0, tzinfo=VN_TZ)
    step = dossier.steps.get()
    assert step.order == 1 and step.unit.code == "MOTCUA"


def test_full_processing_along_the_internal_process(demo):
    dossier = drive_to_decision_step(submit())
    dossier = act(dossier, "lanhdao", "approve", comment="Đồng ý")
    dossier = act(dossier, "motcua", "result_ready")
    dossier = act(dossier, "motcua", "return_result", return_method="online")
    assert dossier.status == Status.RETURNED
    assert dossier.finished_at and dossier.returned_at
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == [
        "submit",
        "receive",
        "forward",
        "assign",
        "forward",
        "forward",
        "approve",
        "result_ready",
        "return_result",
    ]
    runs = list(dossier.steps.order_by("started_at", "id").values_list("order", "unit__code", "outcome"))
    assert [r[:2] for r in runs] == [(1, "MOTCUA"), (2, "QLVT"), (3, "QLVT"), (4, "BGD"), (5, "MOTCUA")]
    assert all(outcome in ("early", "on_time") for _o, _u, outcome in runs)
    assert audit_verify().ok
    assert AuditEvent.objects.filter(dossier_code=dossier.code).count() == len(actions)


def test_every_change_is_a_history_row_with_actor_and_step(demo):
    dossier = act(submit(), "motcua", "receive")
    event = dossier.events.get(action="receive")
    assert (event.from_status, event.to_status, event.step_order, event.actor.username) == (
        "submitted",
        "received",
        1,
        "motcua",
    )


def test_supplementation_pauses_the_clock_and_moves_the_due_moment(demo):
    dossier = submit()
    with frozen(datetime(2026, 3, 9, 8, 0, tzinfo=VN_TZ)):  # Monday
        dossier = act(dossier, "motcua", "receive")
        dossier = act(dossier, "motcua", "forward")
    original_due = dossier.due_at
    with frozen(datetime(2026, 3, 10, 8, 0, tzinfo=VN_TZ)):  # Tuesday 08:00
        dossier = act(dossier, "chuyenvien", "request_supplement", comment="Ảnh không rõ", items=["Ảnh 3x4"])
    assert dossier.status == Status.WAITING_SUPPLEMENT
    with frozen(datetime(2026, 3, 12, 10, 0, tzinfo=VN_TZ)):  # Thursday 10:00: 2 days 2 hours of waiting
        dossier = act(dossier, "congdan", "supplement")
    assert dossier.status == Status.IN_PROGRESS
    request = dossier.supplement_requests.get()
    assert request.paused_minutes == (8 + 8 + 2) * 60
    from cchc.core.selectors import working_calendar

    assert dossier.due_at == working_calendar().add_working_minutes(original_due, request.paused_minutes)


def test_second_supplementation_request_is_refused_and_nothing_changes(demo):
    dossier = act(act(submit(), "motcua", "receive"), "motcua", "forward")
    dossier = act(dossier, "chuyenvien", "request_supplement", comment="Thiếu", items=["Giấy khám sức khỏe"])
    dossier = act(dossier, "congdan", "supplement")
    events = DossierEvent.objects.count()
    with pytest.raises(Conflict, match="một lần"):
        act(dossier, "chuyenvien", "request_supplement", comment="Lại thiếu", items=["Ảnh"])
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and DossierEvent.objects.count() == events


def test_send_back_needs_a_reason(demo):
    dossier = act(act(submit(), "motcua", "receive"), "motcua", "forward")
    with pytest.raises(ApplicationError, match="lý do"):
        act(dossier, "chuyenvien", "send_back")
    dossier = act(dossier, "chuyenvien", "send_back", comment="Chưa kiểm tra bản chính")
    assert dossier.status == Status.RECEIVED and dossier.current_step == 1


def test_someone_outside_the_step_cannot_act(demo):
    dossier = act(submit(), "motcua", "receive")
    with pytest.raises(PermissionDenied):
        act(dossier, "congdan2", "withdraw")
    with pytest.raises(PermissionDenied):
        act(dossier, "lanhdao", "forward")


def test_stale_view_is_refused_with_a_clear_message(demo):
    dossier = submit()
    act(dossier, "motcua", "receive")
    from cchc.dossiers.services import dossier_act

    with pytest.raises(Conflict, match="người khác"):
        dossier_act(dossier=dossier, actor=user("motcua"), action="refuse", expected_status="submitted")


def test_apology_once_and_at_least_a_working_day_ahead(demo):
    dossier = submit()
    with frozen(datetime(2026, 3, 9, 8, 0, tzinfo=VN_TZ)):
        dossier = act(act(dossier, "motcua", "receive"), "motcua", "forward")
    new_due = datetime(2026, 3, 20, 16, 0, tzinfo=VN_TZ)
    # Due 16/03 08:00: on 13/03 09:00 less than a working day is left.
    with frozen(datetime(2026, 3, 13, 9, 0, tzinfo=VN_TZ)), pytest.raises(ApplicationError, match="một ngày làm việc"):
        act(dossier, "truongphong", "apologize", comment="Chờ xác minh", new_due_at=new_due)
    with frozen(datetime(2026, 3, 11, 9, 0, tzinfo=VN_TZ)):
        dossier = act(dossier, "truongphong", "apologize", comment="Chờ xác minh", new_due_at=new_due)
        assert dossier.due_at == new_due and dossier.apology.old_due_at < new_due
        with pytest.raises(Conflict, match="một lần"):
            act(dossier, "truongphong", "apologize", comment="Lại", new_due_at=datetime(2026, 3, 27, tzinfo=VN_TZ))


def test_withdraw_before_decision_only(demo):
    dossier = act(drive_to_decision_step(submit()), "lanhdao", "approve")
    with pytest.raises(Conflict):
        act(dossier, "congdan", "withdraw")
    other = act(submit(key="khac"), "congdan", "withdraw")
    assert other.status == Status.WITHDRAWN


def test_counter_intake_receives_a_complete_dossier(demo):
    procedure = Procedure.objects.get(code="1.000010")
    paper = [DocumentInput(component_id=c.pk, paper=True) for c in procedure.current_version.components.all()]
    dossier = dossier_counter_intake(
        officer=user("motcua"),
        procedure=procedure,
        applicant=CITIZEN,
        return_method="counter",
        documents=paper,
        decision="receive",
    )
    assert dossier.status == Status.RECEIVED and dossier.code and dossier.due_at
    assert dossier.channel == "counter"
    assert not dossier.documents.filter(digitised=True).exists()


def test_counter_intake_of_an_incomplete_dossier_is_not_received(demo):
    procedure = Procedure.objects.get(code="1.000010")
    with pytest.raises(ApplicationError, match="chưa đủ"):
        dossier_counter_intake(
            officer=user("motcua"),
            procedure=procedure,
            applicant=CITIZEN,
            return_method="counter",
            documents=[],
            decision="receive",
        )
    assert not Dossier.objects.exists()
    dossier = dossier_counter_intake(
        officer=user("motcua"),
        procedure=procedure,
        applicant=CITIZEN,
        return_method="counter",
        documents=[],
        decision="supplement",
        items=["Giấy khám sức khỏe"],
    )
    assert dossier.status == Status.WAITING_SUPPLEMENT and dossier.code is None and dossier.received_at is None


def test_counter_refusal_keeps_its_reason(demo):
    procedure = Procedure.objects.get(code="1.000010")
    dossier = dossier_counter_intake(
        officer=user("motcua"),
        procedure=procedure,
        applicant=CITIZEN,
        return_method="counter",
        documents=[],
        decision="refuse",
        reason="Giấy phép do nước ngoài cấp: không thuộc thẩm quyền của thủ tục này",
    )
    assert dossier.status == Status.REFUSED and "nước ngoài" in dossier.decision_reason


def test_only_the_counter_takes_walk_ins(demo):
    procedure = Procedure.objects.get(code="1.000010")
    with pytest.raises(PermissionDenied):
        dossier_counter_intake(
            officer=user("chuyenvien"),
            procedure=procedure,
            applicant=CITIZEN,
            return_method="counter",
            documents=[],
            decision="refuse",
            reason="x",
        )


def test_opening_a_dossier_with_identity_documents_is_audited(demo):
    from cchc.dossiers.services import dossier_record_view

    dossier = submit()
    assert dossier.documents.filter(component__holds_personal_data=True).exists()
    dossier_record_view(dossier=dossier, user=user("motcua"), ip="10.0.0.5")
    event = AuditEvent.objects.filter(action="dossier.view_sensitive").get()
    assert event.dossier_code == dossier.code and event.actor_username == "motcua"


def test_pdf_content_is_what_decides(demo):
    procedure = Procedure.objects.get(code="1.000010")
    documents = [
        DocumentInput(component_id=c.pk, file=SimpleUploadedFile("anh.txt", PDF))
        for c in procedure.current_version.components.all()
    ]
    dossier, _ = dossier_submit_online(
        user=user("congdan"), procedure=procedure, applicant=CITIZEN, return_method="post", documents=documents
    )
    assert dossier.documents.first().content_type == "application/pdf"
