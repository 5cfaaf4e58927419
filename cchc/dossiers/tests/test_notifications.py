"""The applicant hears about every status change: an email in Vietnamese, sent by a queued task."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from cchc.dossiers.models import Notification
from cchc.dossiers.notifications import Provider, notifications_suppressed
from cchc.dossiers.tasks import ATTEMPT_LEASE, MAX_ATTEMPTS, deliver_notification
from cchc.dossiers.workflow import Status

from .helpers import act, submit


class RecordingProvider(Provider):
    """A gateway stand-in that keeps what it was asked to send."""

    sent: list[dict] = []

    def send(self, *, address: str, subject: str, body: str) -> None:
        RecordingProvider.sent.append({"address": address, "subject": subject, "body": body})


class BrokenProvider(Provider):
    def send(self, *, address: str, subject: str, body: str) -> None:
        raise ConnectionError("gateway unreachable")


class DyingProvider(Provider):
    def send(self, *, address: str, subject: str, body: str) -> None:
        raise KilledWorker()


@pytest.fixture(autouse=True)
def _fresh_recorder():
    RecordingProvider.sent = []


def delivery_jobs():
    return DBTaskResult.objects.filter(task_path=deliver_notification.module_path)


def emails_about(dossier, status):
    return Notification.objects.filter(dossier=dossier, channel="email", kind=f"status.{status}")


def run_worker_once():
    """What `manage.py db_worker --batch` does, without touching the test's connection or signals."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()


def test_a_status_change_queues_the_email_and_its_job_in_the_same_transaction(demo):
    # The submission is a durable transaction of its own: the notice and its job commit with it.
    dossier = submit()
    notice = emails_about(dossier, Status.SUBMITTED).get()
    assert notice.state == Notification.State.PENDING
    job = delivery_jobs().get()
    assert job.args_kwargs == {"args": [notice.pk], "kwargs": {}}
    assert mail.outbox == []


def test_the_job_sends_one_email_in_vietnamese(demo):
    dossier = act(submit(), "motcua", "receive")
    notice = emails_about(dossier, Status.RECEIVED).get()

    assert deliver_notification.call(notice.pk) == "sent"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.vn"]
    assert message.subject == f"Hồ sơ {dossier.code}: Đã tiếp nhận"
    assert "Kính gửi Ông/Bà Nguyễn Văn An," in message.body
    assert f"Mã hồ sơ: {dossier.code}" in message.body
    assert f"Thủ tục: {dossier.procedure_version.name}" in message.body
    assert "Trạng thái mới: Đã tiếp nhận" in message.body
    assert "Hẹn trả kết quả: " in message.body
    assert f"/tra-cuu/?ma={dossier.code}" in message.body
    notice.refresh_from_db()
    assert notice.state == Notification.State.SENT and notice.sent_at is not None


def test_delivering_twice_sends_once(demo):
    dossier = submit()
    notice = emails_about(dossier, Status.SUBMITTED).get()
    assert deliver_notification.call(notice.pk) == "sent"
    assert deliver_notification.call(notice.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_the_worker_delivers_what_was_queued(demo):
    dossier = act(submit(), "motcua", "receive")
    run_worker_once()
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(
        [f"Hồ sơ {dossier.code}: Đã nộp trực tuyến, chờ tiếp nhận", f"Hồ sơ {dossier.code}: Đã tiếp nhận"]
    )
    assert not delivery_jobs().exclude(status="SUCCESSFUL").exists()


def test_a_rolled_back_change_leaves_no_notice_and_no_job(demo):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError("the change fails after the notice was queued")
    assert not Notification.objects.exists()
    assert not delivery_jobs().exists()


def test_the_supplement_request_names_what_is_missing(demo):
    dossier = act(
        submit(), "motcua", "request_supplement", comment="Hồ sơ chưa đủ", items=["Giấy khám sức khỏe còn hiệu lực"]
    )
    notice = emails_about(dossier, Status.WAITING_SUPPLEMENT).get()
    assert "Nội dung cần bổ sung, hoàn thiện: Hồ sơ chưa đủ" in notice.body
    assert "Giấy khám sức khỏe còn hiệu lực" in notice.body
    assert "Đề nghị bổ sung, hoàn thiện hồ sơ" in notice.body


def test_a_refusal_gives_its_reason(demo):
    dossier = act(submit(), "motcua", "refuse", comment="Không thuộc thẩm quyền của Sở.")
    notice = emails_about(dossier, Status.REFUSED).get()
    assert notice.subject == f"Hồ sơ {dossier.code}: Từ chối tiếp nhận"
    assert "Lý do từ chối tiếp nhận: Không thuộc thẩm quyền của Sở." in notice.body


@override_settings(CCHC_SMS_ENABLED=True, CCHC_SMS_PROVIDER=f"{__name__}.RecordingProvider")
def test_sms_goes_through_the_configured_provider(demo):
    dossier = submit()
    sms = Notification.objects.get(dossier=dossier, channel="sms")
    assert deliver_notification.call(sms.pk) == "sent"
    assert RecordingProvider.sent == [
        {"address": "0912345678", "subject": sms.subject, "body": sms.body},
    ]
    assert dossier.code in sms.body and len(sms.body) < 200


@override_settings(CCHC_ZALO_ENABLED=True, CCHC_ZALO_PROVIDER=f"{__name__}.RecordingProvider")
def test_zalo_goes_through_the_configured_provider(demo):
    dossier = submit()
    zalo = Notification.objects.get(dossier=dossier, channel="zalo")
    deliver_notification.call(zalo.pk)
    assert [m["address"] for m in RecordingProvider.sent] == ["0912345678"]
    assert dossier.code in RecordingProvider.sent[0]["body"]


@override_settings(CCHC_SMS_ENABLED=True, CCHC_SMS_PROVIDER=f"{__name__}.BrokenProvider")
def test_a_failing_provider_is_retried_with_backoff_then_the_notice_fails(demo):
    dossier = submit()
    sms = Notification.objects.get(dossier=dossier, channel="sms")
    before = timezone.now()
    assert deliver_notification.call(sms.pk) == "retry"
    sms.refresh_from_db()
    assert (sms.state, sms.attempts, sms.sent_at) == (Notification.State.PENDING, 1, None)
    assert "gateway unreachable" in sms.error
    retry = delivery_jobs().filter(args_kwargs__args=[sms.pk]).order_by("-pk").first()
    assert retry.run_after >= before + timedelta(minutes=1)
    for _attempt in range(MAX_ATTEMPTS - 2):
        assert deliver_notification.call(sms.pk) == "retry"
    assert deliver_notification.call(sms.pk) == "failed"
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (Notification.State.FAILED, MAX_ATTEMPTS)
    assert deliver_notification.call(sms.pk) == "skipped"


class KilledWorker(BaseException):
    """What a kill -9 looks like from inside: the code after the provider call never runs."""


@override_settings(CCHC_SMS_ENABLED=True, CCHC_SMS_PROVIDER=f"{__name__}.DyingProvider")
def test_a_worker_killed_mid_send_never_leaves_the_notice_marked_sent(demo):
    dossier = submit()
    sms = Notification.objects.get(dossier=dossier, channel="sms")
    with pytest.raises(KilledWorker):
        deliver_notification.call(sms.pk)
    sms.refresh_from_db()
    assert sms.state == Notification.State.SENDING and sms.sent_at is None and sms.attempts == 1


@override_settings(CCHC_SMS_ENABLED=True, CCHC_SMS_PROVIDER=f"{__name__}.RecordingProvider")
def test_an_abandoned_attempt_is_taken_again_after_its_lease_and_not_before(demo):
    dossier = submit()
    sms = Notification.objects.get(dossier=dossier, channel="sms")
    Notification.objects.filter(pk=sms.pk).update(state="sending", attempts=1, claimed_at=timezone.now())
    assert deliver_notification.call(sms.pk) == "skipped"  # another worker may be sending it now
    abandoned = timezone.now() - ATTEMPT_LEASE - timedelta(seconds=1)
    Notification.objects.filter(pk=sms.pk).update(claimed_at=abandoned)
    assert deliver_notification.call(sms.pk) == "sent"
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (Notification.State.SENT, 2)


def test_every_attempt_of_an_email_carries_the_same_message_id(demo):
    dossier = submit()
    notice = emails_about(dossier, Status.SUBMITTED).get()
    assert deliver_notification.call(notice.pk) == "sent"
    # Retried as after a crash between the provider's answer and the update.
    Notification.objects.filter(pk=notice.pk).update(state="sending", claimed_at=timezone.now() - timedelta(hours=1))
    assert deliver_notification.call(notice.pk) == "sent"
    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert len(ids) == 2 and ids[0] == ids[1] == f"<{notice.provider_key}@{ids[0].split('@')[1][:-1]}>"
    notice.refresh_from_db()
    assert notice.provider_message_id == ids[0]


def test_without_a_gateway_sms_is_off(demo):
    dossier = submit()
    assert list(Notification.objects.filter(dossier=dossier).values_list("channel", flat=True)) == ["email"]


def test_suppressed_notices_are_recorded_but_never_sent(demo):
    with notifications_suppressed():
        dossier = submit()
    notice = emails_about(dossier, Status.SUBMITTED).get()
    assert notice.state == Notification.State.SKIPPED
    assert not delivery_jobs().exists()
    assert deliver_notification.call(notice.pk) == "skipped"
    assert mail.outbox == []
