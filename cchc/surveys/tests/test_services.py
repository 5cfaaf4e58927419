"""Inviting, rating once per returned dossier, and the follow-up a low score opens."""

from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django_tasks_db.models import DBTaskResult

from cchc.audit.models import AuditEvent
from cchc.core.errors import ApplicationError, Conflict, NotFound
from cchc.dossiers.models import Notification
from cchc.dossiers.tasks import deliver_notification
from cchc.dossiers.tests.helpers import submit, user
from cchc.surveys import services
from cchc.surveys.models import FollowUp, Rating, SurveyInvitation
from cchc.surveys.services import follow_up_close, rating_submit

from .helpers import ALL_FIVES, invitation_token, returned

LOW_OFFICER = {**ALL_FIVES, "officer": 2}


def test_returning_the_result_invites_the_applicant_by_email(demo):
    dossier = returned()
    invitation = SurveyInvitation.objects.get(dossier=dossier)
    assert invitation.sent_at is not None and invitation.used_at is None
    notice = Notification.objects.get(dossier=dossier, kind="survey.invitation")
    assert notice.channel == "email" and notice.address == "an@example.vn"
    assert notice.state == Notification.State.PENDING
    assert dossier.code in notice.subject
    assert f"/ho-so/{dossier.code}/danh-gia/?t=" in notice.body
    job = DBTaskResult.objects.get(task_path=deliver_notification.module_path, args_kwargs__args=[notice.pk])
    assert job.status == "READY"


def test_no_invitation_before_the_result_is_returned(demo):
    dossier = submit()
    assert not SurveyInvitation.objects.filter(dossier=dossier).exists()
    assert not Notification.objects.filter(kind="survey.invitation").exists()


def test_the_applicant_rates_their_returned_dossier(demo):
    dossier = returned()
    rating = rating_submit(
        dossier=dossier, scores=ALL_FIVES, comment=" Rất nhanh ", channel="online", rater=user("congdan")
    )
    assert rating.scores() == ALL_FIVES and rating.comment == "Rất nhanh"
    assert rating.rater.username == "congdan" and rating.channel == "online"
    assert SurveyInvitation.objects.get(dossier=dossier).used_at == rating.rated_at
    assert not FollowUp.objects.exists()
    assert AuditEvent.objects.filter(action="survey.rate", dossier_code=dossier.code).count() == 1


def test_a_second_rating_is_refused_and_changes_nothing(demo):
    dossier = returned()
    rating_submit(dossier=dossier, scores=ALL_FIVES, channel="online", rater=user("congdan"))
    with pytest.raises(Conflict, match="đã được đánh giá"):
        rating_submit(dossier=dossier, scores=LOW_OFFICER, comment="Đổi ý", channel="online", rater=user("congdan"))
    rating = Rating.objects.get(dossier=dossier)
    assert rating.scores() == ALL_FIVES and rating.comment == ""
    assert not FollowUp.objects.exists()
    assert AuditEvent.objects.filter(action="survey.rate").count() == 1


def test_two_ratings_at_once_leave_one(demo):
    """The second of two simultaneous ratings passes the check, then meets the unique constraint."""
    dossier = returned()
    rating_submit(dossier=dossier, scores=ALL_FIVES, channel="online", rater=user("congdan"))
    with (
        mock.patch.object(services, "_already_rated", return_value=False),
        pytest.raises(Conflict, match="đã được đánh giá"),
    ):
        rating_submit(dossier=dossier, scores=LOW_OFFICER, channel="online", rater=user("congdan"))
    assert Rating.objects.get(dossier=dossier).scores() == ALL_FIVES
    assert not FollowUp.objects.exists()


def test_the_database_refuses_a_score_outside_one_to_five(demo):
    dossier = returned()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            dossier=dossier,
            score_access=6,
            score_procedure=5,
            score_officer=5,
            score_result=5,
            score_feedback=5,
            channel="online",
            rated_at=dossier.returned_at,
        )


def test_incomplete_or_out_of_range_answers_are_refused(demo):
    dossier = returned()
    for scores in ({**ALL_FIVES, "result": 0}, {k: v for k, v in ALL_FIVES.items() if k != "access"}):
        with pytest.raises(ApplicationError):
            rating_submit(dossier=dossier, scores=scores, channel="online", rater=user("congdan"))
    assert not Rating.objects.exists()


def test_only_a_returned_dossier_can_be_rated(demo):
    dossier = submit()
    with pytest.raises(Conflict, match="đã trả kết quả"):
        rating_submit(dossier=dossier, scores=ALL_FIVES, channel="online", rater=user("congdan"))
    assert not Rating.objects.exists()


def test_another_citizen_or_an_officer_cannot_rate_my_dossier(demo):
    dossier = returned()
    for username in ("congdan2", "motcua"):
        with pytest.raises(NotFound):
            rating_submit(dossier=dossier, scores=ALL_FIVES, channel="online", rater=user(username))
    assert not Rating.objects.exists()


def test_the_emailed_link_rates_without_signing_in_and_a_wrong_token_does_not(demo):
    dossier = returned()
    with pytest.raises(NotFound):
        rating_submit(dossier=dossier, scores=ALL_FIVES, channel="online", token="doan-bua")
    rating = rating_submit(dossier=dossier, scores=ALL_FIVES, channel="online", token=invitation_token(dossier))
    assert rating.rater is None and rating.channel == "online"


def test_at_the_kiosk_the_last_four_digits_of_phone_or_id_number_are_needed(demo):
    dossier = returned()  # phone 0912345678, ID number 001203004567
    for digits in ("0000", "", "567", "abcd"):
        with pytest.raises(NotFound):
            rating_submit(dossier=dossier, scores=ALL_FIVES, channel="kiosk", last_digits=digits)
    assert not Rating.objects.exists()
    rating = rating_submit(dossier=dossier, scores=ALL_FIVES, channel="kiosk", last_digits="4567")
    assert rating.channel == "kiosk" and rating.rater is None


def test_a_low_score_opens_a_follow_up_for_the_unit_head(demo):
    dossier = returned()
    rating = rating_submit(
        dossier=dossier, scores=LOW_OFFICER, comment="Cán bộ hướng dẫn chưa rõ", channel="online", rater=user("congdan")
    )
    follow_up = FollowUp.objects.get(rating=rating)
    assert follow_up.unit.code == "QLVT" and follow_up.status == "open"
    in_app = Notification.objects.get(kind="survey.low", channel="in_app")
    assert in_app.recipient.username == "truongphong"
    assert dossier.code in in_app.subject
    assert "Cán bộ hướng dẫn chưa rõ" in in_app.body and "2 (Không hài lòng)" in in_app.body
    assert Notification.objects.filter(kind="survey.low", channel="email", address="truongphong@example.vn").exists()


def test_the_unit_head_closes_a_follow_up_once_with_a_note(demo):
    dossier = returned()
    rating = rating_submit(dossier=dossier, scores=LOW_OFFICER, channel="online", rater=user("congdan"))
    follow_up = rating.follow_up
    with pytest.raises(NotFound):
        follow_up_close(follow_up=follow_up, user=user("chuyenvien"), note="Đã xem")
    with pytest.raises(ApplicationError, match="Cần ghi"):
        follow_up_close(follow_up=follow_up, user=user("truongphong"), note="  ")
    closed = follow_up_close(follow_up=follow_up, user=user("truongphong"), note="Đã gọi điện xin lỗi người dân")
    assert closed.status == "closed" and closed.closed_by.username == "truongphong" and closed.closed_at
    with pytest.raises(Conflict):
        follow_up_close(follow_up=follow_up, user=user("truongphong"), note="Lần nữa")
    assert FollowUp.objects.get(pk=follow_up.pk).note == "Đã gọi điện xin lỗi người dân"
