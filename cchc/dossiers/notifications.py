"""Telling people what happened to a dossier.

A change writes `Notification` rows and queues the job `dossiers.deliver_notification` in the same
transaction (the database task backend writes the job as a row): if the change rolls back,
neither the notice nor the job exists. Delivery goes through a provider per channel; SMS
and Zalo have an interface and a logging provider until a real gateway is contracted (set
`CCHC_SMS_PROVIDER` / `CCHC_ZALO_PROVIDER` to the dotted path of a `Provider` class, and
`CCHC_SMS_ENABLED` / `CCHC_ZALO_ENABLED` to send through them).

Inside `notifications_suppressed()` the rows are still written, marked "not sent", and no
job is queued: for demo data and for importing dossiers that happened in the past.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cchc.core import clock, jobs

from . import hooks
from .models import ApplicantKind, Dossier, DossierEvent, Notification, ReturnMethod
from .workflow import OPEN, Status

logger = logging.getLogger(__name__)

_suppressed: ContextVar[bool] = ContextVar("cchc_notifications_suppressed", default=False)


@contextmanager
def notifications_suppressed() -> Iterator[None]:
    """Record notifications as not sent and queue nothing while the block runs."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


# ---------------------------------------------------------------- providers


class DeliveryRefused(Exception):
    """The provider refused this message for good (an unknown number, a template it does not hold):
    another attempt would get the same answer, so the notice fails at once instead of being retried."""


class Provider:
    """Sends one message; raises on failure (a rejection) so the task can record it, returns normally only
    once the provider accepted it, with the provider's message id when it gives one (for its delivery
    reports). A provider with `takes_key` also receives `key`, the same on every attempt of one
    notification, and must not deliver a key twice where its service allows."""

    channel: str = ""
    takes_key = False

    def send(self, *, address: str, subject: str, body: str) -> str | None:
        raise NotImplementedError

    def deliver(self, notification: Notification) -> str | None:
        """Send `notification` (adapters that need more than its text, e.g. a template, override this)."""
        message = {"address": notification.address, "subject": notification.subject, "body": notification.body}
        if self.takes_key:
            message["key"] = notification.provider_key
        return self.send(**message)


class EmailProvider(Provider):
    """The Message-ID is derived from the key: a retry after a crash is the same message, which
    mail systems that deduplicate by Message-ID deliver once."""

    channel = Notification.Channel.EMAIL
    takes_key = True

    def send(self, *, address: str, subject: str, body: str, key: str = "") -> str | None:
        headers = {}
        if key:
            domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "cchc.local"
            headers["Message-ID"] = f"<{key}@{domain}>"
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], headers=headers).send(fail_silently=False)
        return headers.get("Message-ID")


class LogProvider(Provider):
    """Writes the message to the log: the stand-in for SMS and Zalo until a gateway exists."""

    def __init__(self, channel: str = ""):
        self.channel = channel

    def send(self, *, address: str, subject: str, body: str) -> None:
        logger.info("%s to %s: %s", self.channel, address, body)


def provider_for(channel: str) -> Provider:
    if channel == Notification.Channel.EMAIL:
        return EmailProvider()
    path = {
        Notification.Channel.SMS: settings.CCHC_SMS_PROVIDER,
        Notification.Channel.ZALO: settings.CCHC_ZALO_PROVIDER,
    }.get(channel, "")
    if path:
        return import_string(path)()
    return LogProvider(channel)


# ---------------------------------------------------------------- messages


def _vn_moment(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _lookup_url(code: str) -> str:
    try:
        path = reverse("dossiers:track")
    except NoReverseMatch:
        path = "/tra-cuu/"
    return f"{settings.CCHC_PUBLIC_URL}{path}?{urlencode({'ma': code})}"


def _addressee(dossier: Dossier) -> str:
    if dossier.applicant_kind == ApplicantKind.CITIZEN:
        return _("Ông/Bà %(name)s") % {"name": dossier.applicant_name}
    return dossier.applicant_name


def _reason_label(status: str) -> str:
    return {
        Status.WAITING_SUPPLEMENT: _("Nội dung cần bổ sung, hoàn thiện"),
        Status.REFUSED: _("Lý do từ chối tiếp nhận"),
        Status.NOT_APPROVED: _("Lý do không phê duyệt"),
        Status.STOPPED: _("Lý do dừng xử lý"),
    }.get(status, _("Ý kiến"))


def _next_step(dossier: Dossier, status: str) -> str:
    if status == Status.SUBMITTED:
        return _("Bộ phận Một cửa sẽ kiểm tra và tiếp nhận hồ sơ; kết quả kiểm tra sẽ được thông báo.")
    if status == Status.WAITING_SUPPLEMENT:
        text = _("Đề nghị bổ sung, hoàn thiện hồ sơ theo nội dung trên.")
        if dossier.received_at:
            text += " " + _("Thời gian chờ bổ sung không tính vào thời hạn giải quyết.")
        return text
    if status == Status.RESULT_READY:
        method = ReturnMethod(dossier.return_method).label if dossier.return_method else ""
        return _("Kết quả giải quyết đã sẵn sàng. Hình thức nhận kết quả: %(method)s.") % {"method": method}
    if status == Status.RETURNED:
        return _("Kết quả đã được trả. Cảm ơn đã sử dụng dịch vụ công của cơ quan.")
    return ""


def status_message(dossier: Dossier, event: DossierEvent) -> tuple[str, str]:
    """The subject and plain-text body of the email telling the applicant about `event`."""
    status = event.to_status
    label = Status(status).label
    code = dossier.code or _("(chưa có mã)")
    agency = dossier.agency
    subject = _("Hồ sơ %(code)s: %(status)s") % {"code": code, "status": label}
    lines = [
        _("Kính gửi %(addressee)s,") % {"addressee": _addressee(dossier)},
        "",
        _("%(agency)s thông báo tình trạng hồ sơ như sau:") % {"agency": agency.name},
        "",
        _("Mã hồ sơ: %(code)s") % {"code": code},
        _("Thủ tục: %(procedure)s") % {"procedure": dossier.procedure_version.name},
        _("Trạng thái mới: %(status)s (lúc %(at)s)") % {"status": label, "at": _vn_moment(event.at)},
    ]
    if event.reason:
        lines.append(_("%(label)s: %(reason)s") % {"label": _reason_label(status), "reason": event.reason.strip()})
    if dossier.due_at and status in OPEN - {Status.WAITING_SUPPLEMENT, Status.RESULT_READY}:
        lines.append(_("Hẹn trả kết quả: %(due)s") % {"due": _vn_moment(dossier.due_at)})
    hint = _next_step(dossier, status)
    if hint:
        lines += ["", hint]
    if dossier.code:
        lines += ["", _("Tra cứu tình trạng hồ sơ: %(url)s") % {"url": _lookup_url(dossier.code)}]
    lines += ["", _("Trân trọng,"), agency.name]
    if getattr(agency, "phone", ""):
        lines.append(_("Điện thoại: %(phone)s") % {"phone": agency.phone})
    lines += ["", _("Thư này được gửi tự động, vui lòng không trả lời.")]
    return subject, "\n".join(lines)


def short_message(dossier: Dossier, event: DossierEvent) -> str:
    """The text for SMS and Zalo: code, new status and where to look."""
    code = dossier.code or _("(chưa có mã)")
    text = _("Hồ sơ %(code)s: %(status)s.") % {"code": code, "status": Status(event.to_status).label}
    if dossier.code:
        text += " " + _("Tra cứu: %(url)s") % {"url": _lookup_url(dossier.code)}
    return text


# ---------------------------------------------------------------- queueing


def queue_notification(**fields) -> Notification:
    """Write the notice and queue its delivery (same transaction), or mark it not sent."""
    return queue_notifications([fields])[0]


def queue_notifications(rows: list[dict]) -> list[Notification]:
    """Write the notices (one insert) and queue one delivery job each (one insert), in the
    caller's transaction; or write them marked not sent."""
    if not rows:
        return []
    suppressed = _suppressed.get()
    notifications = [
        Notification(**fields, **({"state": Notification.State.SKIPPED} if suppressed else {})) for fields in rows
    ]
    if len(notifications) == 1:
        notifications[0].save(force_insert=True)
    else:
        Notification.objects.bulk_create(notifications)
    if not suppressed:
        jobs.enqueue_each(jobs.named("dossiers.deliver_notification"), [(n.pk,) for n in notifications])
    return notifications


def is_milestone(dossier: Dossier, event: DossierEvent) -> bool:
    """Whether the applicant hears of `event`: the moments they act on or wait for, not every step
    inside the agency (one dossier once sent seven e-mails in five minutes).

    Received (with the appointment), supplement needed, fee due (submitted with the fee unpaid),
    result ready (or returned online: the result itself), late with an apology, and the ends they
    must know of: refused, stopped."""
    from .workflow import Action

    status = event.to_status
    if event.action == Action.APOLOGIZE:
        return True
    if status == Status.SUBMITTED:
        return event.action == Action.SUBMIT and dossier.fee_amount > 0 and dossier.paid_at is None
    online = dossier.return_method == ReturnMethod.ONLINE
    if status == Status.RESULT_READY:  # returned online, the next notice carries the result itself
        return not online
    if status == Status.RETURNED:
        return online
    return status in CITIZEN_MILESTONES


CITIZEN_MILESTONES = frozenset({Status.RECEIVED, Status.WAITING_SUPPLEMENT, Status.REFUSED, Status.STOPPED})


def notify_applicant(*, dossier: Dossier, event: DossierEvent) -> list[Notification]:
    """Queue the applicant's email (and SMS / Zalo when enabled and a phone is known) on a milestone."""
    if not is_milestone(dossier, event):
        return []
    subject, body = status_message(dossier, event)
    short = short_message(dossier, event)
    targets = []
    if dossier.applicant_email:
        targets.append((Notification.Channel.EMAIL, dossier.applicant_email, body))
    if dossier.applicant_phone and settings.CCHC_SMS_ENABLED:
        targets.append((Notification.Channel.SMS, dossier.applicant_phone, short))
    if dossier.applicant_phone and settings.CCHC_ZALO_ENABLED:
        targets.append((Notification.Channel.ZALO, dossier.applicant_phone, short))
    # Each person chooses their channels, or opts out (messaging's account page).
    kept = hooks.chosen_channels(dossier.applicant_user, [channel for channel, _address, _text in targets])
    targets = [target for target in targets if target[0] in kept]
    return queue_notifications(
        [
            {
                "dossier": dossier,
                "recipient": dossier.applicant_user,
                "channel": channel,
                "address": address,
                "subject": subject,
                "body": text,
                "kind": f"status.{event.to_status}",
            }
            for channel, address, text in targets
        ]
    )


def notify_staff(*, dossier: Dossier, users, subject: str, body: str, kind: str) -> list[Notification]:
    """An in-app notice for each member of staff in `users`, and an email to those who have one."""
    created = []
    for user in users:
        created.append(
            Notification.objects.create(
                dossier=dossier,
                recipient=user,
                channel=Notification.Channel.IN_APP,
                subject=subject,
                body=body,
                kind=kind,
                state=Notification.State.SENT,
                sent_at=clock.now(),
            )
        )
        if user.email:
            created.append(
                queue_notification(
                    dossier=dossier,
                    recipient=user,
                    channel=Notification.Channel.EMAIL,
                    address=user.email,
                    subject=subject,
                    body=body,
                    kind=kind,
                )
            )
    return created
