"""The sender's view of an answer and raising a matter again: what Decision 766's "satisfaction
with complaint handling" (5.3, legal-details.md §1.2 [S]) counts against (issue 15, item 2)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from cchc.audit.models import AuditEvent
from cchc.complaints.models import Complaint
from cchc.complaints.services import complaint_answer, complaint_give_feedback
from cchc.core.errors import Conflict, NotFound
from cchc.dossiers.tests.helpers import user

from .helpers import about_procedure

pytestmark = pytest.mark.django_db

ANSWER = "Cơ quan đã cập nhật hướng dẫn thành phần hồ sơ trên cổng."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _answered() -> Complaint:
    complaint = about_procedure()
    return complaint_answer(complaint=complaint, user=user("truongphong"), answer=ANSWER)


def test_the_sender_says_once_whether_the_answer_satisfies_them(demo):
    complaint = _answered()
    done = complaint_give_feedback(complaint=complaint, user=user("congdan"), feedback="dissatisfied")
    assert (done.feedback, done.feedback_at is not None) == ("dissatisfied", True)
    assert AuditEvent.objects.filter(action="complaint.feedback", object_id=complaint.code).count() == 1
    # The same again changes nothing; changing one's mind is refused (raise the matter again instead).
    complaint_give_feedback(complaint=complaint, user=user("congdan"), feedback="dissatisfied")
    with pytest.raises(Conflict, match="phản ánh lại"):
        complaint_give_feedback(complaint=complaint, user=user("congdan"), feedback="satisfied")
    assert Complaint.objects.get(pk=complaint.pk).feedback == "dissatisfied"
    assert AuditEvent.objects.filter(action="complaint.feedback", object_id=complaint.code).count() == 1


def test_nobody_else_gives_feedback_and_not_before_the_answer(demo):
    unanswered = about_procedure()
    with pytest.raises(Conflict, match="chưa được trả lời"):
        complaint_give_feedback(complaint=unanswered, user=user("congdan"), feedback="satisfied")
    answered = _answered()
    with pytest.raises(NotFound):
        complaint_give_feedback(complaint=answered, user=user("congdan2"), feedback="satisfied")
    assert Complaint.objects.get(pk=answered.pk).feedback == ""


def test_the_sender_gives_feedback_and_raises_it_again_from_their_page(demo, client):
    complaint = _answered()
    client.force_login(user("congdan"))
    mine = client.get(reverse("complaints:mine")).content.decode()
    assert "Bạn có hài lòng với câu trả lời?" in mine and f"?lai={complaint.code}" in mine
    response = client.post(reverse("complaints:feedback", args=[complaint.code]), {"y_kien": "satisfied"})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).feedback == "satisfied"

    page = client.get(reverse("complaints:new"), {"lai": complaint.code})
    assert page.status_code == 200 and complaint.code in page.content.decode()
    form = {"kind": "complaint", "content": "Hướng dẫn vẫn chưa rõ, đề nghị xem lại.", "name": "Nguyễn Văn An"}
    response = client.post(f"{reverse('complaints:new')}?lai={complaint.code}", {**form, "phone": "0912345678"})
    assert response.status_code == 302
    again = Complaint.objects.exclude(pk=complaint.pk).get(raised_again_from=complaint)
    assert again.procedure_id == complaint.procedure_id


def test_another_persons_or_an_unanswered_complaint_cannot_be_raised_again(demo, client):
    answered, unanswered = _answered(), about_procedure()
    client.force_login(user("congdan2"))
    assert client.get(reverse("complaints:new"), {"lai": answered.code}).status_code == 404
    assert client.post(reverse("complaints:feedback", args=[answered.code]), {"y_kien": "satisfied"}).status_code == 404
    client.force_login(user("congdan"))
    assert client.get(reverse("complaints:new"), {"lai": unanswered.code}).status_code == 404
