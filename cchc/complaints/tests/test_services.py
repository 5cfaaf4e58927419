"""Complaints and petitions: routing, the deadline in working days, answering and its judgement."""

from datetime import date, datetime, timedelta

import pytest
from django.test import override_settings

from cchc.audit.models import AuditEvent
from cchc.complaints.models import Complaint
from cchc.complaints.selectors import complaints_handled_on_time, complaints_overdue
from cchc.complaints.services import complaint_answer, complaint_start
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.dossiers.models import Notification
from cchc.dossiers.services import dossier_mark_paid
from cchc.dossiers.tests.helpers import act, frozen, submit, user

from .helpers import about_dossier, about_procedure, kcht_specialist

MONDAY_BEFORE_TET = datetime(2026, 2, 9, 8, 0, tzinfo=VN_TZ)
MONDAY_IN_MARCH = datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ)


def test_the_deadline_is_15_working_days_skipping_weekends_and_tet(demo):
    with frozen(MONDAY_BEFORE_TET):
        complaint = about_procedure()
    # Working days on the national calendar (legal-details.md §3): 9–13/02, Tết (14–22/02 off), 23–27/02,
    # 2–6/03 = 15 days → 08:00 on Monday 09/03.
    assert complaint.time_limit_days == 15
    assert complaint.due_at == datetime(2026, 3, 9, 8, 0, tzinfo=VN_TZ)
    assert complaint.code == "PAKN-260209-0001" and complaint.status == "new"


def test_a_complaint_sent_on_saturday_counts_from_monday_morning(demo):
    with frozen(datetime(2026, 3, 7, 10, 0, tzinfo=VN_TZ)):
        complaint = about_procedure()
    # 15 working days from Monday 09/03 07:00 end at Friday 27/03's closing.
    assert complaint.due_at == datetime(2026, 3, 27, 17, 0, tzinfo=VN_TZ)


def test_a_changed_time_limit_applies_to_new_complaints_only(demo):
    with frozen(MONDAY_IN_MARCH):
        old = about_procedure()
        with override_settings(CCHC_COMPLAINT_DAYS=5):
            new = about_procedure()
    assert new.time_limit_days == 5 and new.due_at == datetime(2026, 3, 9, 8, 0, tzinfo=VN_TZ)
    old.refresh_from_db()
    assert old.time_limit_days == 15 and old.due_at == datetime(2026, 3, 23, 8, 0, tzinfo=VN_TZ)
    assert new.code.endswith("-0002")


def test_a_procedure_complaint_goes_to_the_lead_unit_and_tells_it(demo):
    complaint = about_procedure()
    assert complaint.unit.code == "QLVT" and complaint.agency == demo
    notice = Notification.objects.get(kind="complaint.new", channel="in_app")
    assert notice.recipient.username == "truongphong" and complaint.code in notice.subject
    ack = Notification.objects.get(kind="complaint.received")
    assert ack.address == "an@example.vn" and complaint.code in ack.body
    assert AuditEvent.objects.filter(action="complaint.submit", object_id=complaint.code).exists()


def test_a_dossier_complaint_goes_to_the_unit_holding_its_current_step(demo):
    dossier = submit(code="1.003683")
    dossier_mark_paid(dossier=dossier, online=True)
    dossier = act(dossier, "motcua", "receive")
    at_counter = about_dossier(dossier)
    dossier = act(dossier, "motcua", "forward")
    at_unit = about_dossier(dossier)
    assert at_counter.unit.code == "MOTCUA" and at_unit.unit.code == "QLVT"
    assert at_unit.dossier == dossier and at_unit.procedure == dossier.procedure


def test_nobody_may_complain_in_the_name_of_someone_elses_dossier(demo):
    dossier = submit()
    with pytest.raises(NotFound):
        about_dossier(dossier, username="congdan2")
    assert not Complaint.objects.exists()


def test_bad_contact_details_are_refused(demo):
    with pytest.raises(ApplicationError, match="điện thoại hoặc thư điện tử"):
        about_procedure(phone="", email="")
    with pytest.raises(ApplicationError, match="ít nhất 10 ký tự"):
        about_procedure(content="Chậm")
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("answered", "outcome"),
    [
        (lambda due: due - timedelta(days=3), "early"),
        (lambda due: due - timedelta(minutes=30), "on_time"),  # the due day, before the due moment
        (lambda due: due + timedelta(minutes=1), "late"),
    ],
)
def test_an_answer_is_judged_early_on_time_or_late(demo, answered, outcome):
    with frozen(MONDAY_IN_MARCH):
        complaint = about_procedure()
    with frozen(answered(complaint.due_at)):
        complaint = complaint_answer(complaint=complaint, user=user("chuyenvien"), answer="Đã cập nhật hướng dẫn.")
    assert complaint.outcome == outcome and complaint.status == "answered"
    assert complaint.answered_by.username == "chuyenvien"


def test_the_submitter_is_emailed_the_answer_once(demo):
    complaint = about_procedure()
    complaint_answer(complaint=complaint, user=user("truongphong"), answer="Cảm ơn, đã bổ sung hướng dẫn chi tiết.")
    email = Notification.objects.get(kind="complaint.answered")
    assert email.address == "an@example.vn" and "đã bổ sung hướng dẫn chi tiết" in email.body
    with pytest.raises(Conflict):
        complaint_answer(complaint=complaint, user=user("truongphong"), answer="Trả lời lần hai nhé.")
    assert Complaint.objects.get(pk=complaint.pk).answer == "Cảm ơn, đã bổ sung hướng dẫn chi tiết."
    assert AuditEvent.objects.filter(action="complaint.answer").count() == 1


def test_only_the_unit_or_a_leader_may_answer(demo):
    complaint = about_procedure()
    for username in ("motcua", "cchc"):
        with pytest.raises(PermissionDenied):
            complaint_answer(complaint=complaint, user=user(username), answer="Không phải việc của tôi.")
    with pytest.raises(PermissionDenied):
        complaint_answer(complaint=complaint, user=kcht_specialist(demo), answer="Không phải đơn vị tôi.")
    assert Complaint.objects.get(pk=complaint.pk).status == "new"
    complaint_answer(complaint=complaint, user=user("lanhdao"), answer="Lãnh đạo Sở trả lời như sau.")


def test_taking_a_complaint_up_marks_it_in_progress(demo):
    complaint = about_procedure()
    assert complaint_start(complaint=complaint, user=user("chuyenvien")).status == "in_progress"
    assert complaint_start(complaint=complaint, user=user("chuyenvien")).status == "in_progress"
    assert AuditEvent.objects.filter(action="complaint.start").count() == 1


def test_overdue_and_on_time_figures(demo):
    march = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
    with frozen(MONDAY_IN_MARCH):  # all due on 23/03 08:00
        early, late, waiting, forgotten = (about_procedure() for _ in range(4))
    monday_before = datetime(2026, 3, 16, 9, 0, tzinfo=VN_TZ)
    with frozen(monday_before):
        complaint_answer(complaint=early, user=user("chuyenvien"), answer="Trả lời sớm cho người dân.")
    # Before the deadline only the answered one counts: those still within their time are not judged yet.
    ratio = complaints_handled_on_time(**march, agency=demo, now=monday_before)
    assert (ratio.numerator, ratio.denominator) == (1, 1)
    assert not complaints_overdue(now=monday_before).exists()
    with frozen(datetime(2026, 3, 24, 9, 0, tzinfo=VN_TZ)):
        complaint_answer(complaint=late, user=user("chuyenvien"), answer="Trả lời muộn, xin lỗi.")
    after = datetime(2026, 3, 25, 9, 0, tzinfo=VN_TZ)
    assert {c.code for c in complaints_overdue(now=after)} == {waiting.code, forgotten.code}
    ratio = complaints_handled_on_time(**march, agency=demo, now=after)
    assert (ratio.numerator, ratio.denominator) == (1, 4) and ratio.percent == 25.0
    april = complaints_handled_on_time(date_from=date(2026, 4, 1), date_to=date(2026, 4, 30), now=after)
    assert (april.denominator, april.percent) == (0, None)
