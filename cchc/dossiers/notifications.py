"""Telling people what happened to a dossier.

A change writes `Notification` rows and enqueues `tasks.deliver_notification` in the same
transaction: if the change rolls back, nothing is sent. Delivery goes through a provider
per channel; SMS and Zalo have an interface and a logging provider until a real one is
contracted (set `CCHC_SMS_PROVIDER` / `CCHC_ZALO_PROVIDER` to a dotted class path).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Dossier, DossierEvent, Notification
from .workflow import Status

logger = logging.getLogger(__name__)


class Provider:
    """Sends one message; raises on failure so the task can record it."""

    channel: str = ""

    def send(self, *, address: str, subject: str, body: str) -> None:
        raise NotImplementedError


class EmailProvider(Provider):
    channel = Notification.Channel.EMAIL

    def send(self, *, address: str, subject: str, body: str) -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)


class LogProvider(Provider):
    """Writes the message to the log: the stand-in for SMS and Zalo until a gateway exists."""

    def __init__(self, channel: str):
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


def _status_message(dossier: Dossier, event: DossierEvent) -> tuple[str, str]:
    label = Status(event.to_status).label
    code = dossier.code or _("(chưa có mã)")
    subject = _("Hồ sơ %(code)s: %(status)s") % {"code": code, "status": label}
    lines = [
        _("Kính gửi %(name)s,") % {"name": dossier.applicant_name},
        "",
        _("Hồ sơ %(code)s – %(procedure)s") % {"code": code, "procedure": dossier.procedure_version.name},
        _("Trạng thái mới: %(status)s.") % {"status": label},
    ]
    if event.reason:
        lines.append(_("Nội dung: %(reason)s") % {"reason": event.reason})
    if dossier.due_at and event.to_status in (Status.RECEIVED, Status.IN_PROGRESS):
        from django.utils import timezone

        due = timezone.localtime(dossier.due_at)
        lines.append(_("Hẹn trả kết quả: %(due)s.") % {"due": f"{due:%H:%M} {due:%d/%m/%Y}"})
    lines += ["", _("Tra cứu hồ sơ: %(url)s") % {"url": f"{settings.CCHC_PUBLIC_URL}/tra-cuu/?ma={code}"}]
    lines += ["", str(dossier.agency)]
    return subject, "\n".join(lines)


def notify_applicant(*, dossier: Dossier, event: DossierEvent) -> list[Notification]:
    """Queue the applicant's email (and SMS when a phone is known) about a status change."""
    from .tasks import deliver_notification

    subject, body = _status_message(dossier, event)
    created = []
    targets = []
    if dossier.applicant_email:
        targets.append((Notification.Channel.EMAIL, dossier.applicant_email))
    if dossier.applicant_phone and settings.CCHC_SMS_ENABLED:
        targets.append((Notification.Channel.SMS, dossier.applicant_phone))
    for channel, address in targets:
        notification = Notification.objects.create(
            dossier=dossier,
            recipient=dossier.applicant_user,
            channel=channel,
            address=address,
            subject=subject,
            body=body,
            kind=f"status.{event.to_status}",
        )
        deliver_notification.enqueue(notification.pk)
        created.append(notification)
    return created


def notify_staff(*, dossier: Dossier, users, subject: str, body: str, kind: str) -> list[Notification]:
    """Queue an in-app notice and an email to each member of staff in `users`."""
    from .tasks import deliver_notification

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
            )
        )
        if user.email:
            email = Notification.objects.create(
                dossier=dossier,
                recipient=user,
                channel=Notification.Channel.EMAIL,
                address=user.email,
                subject=subject,
                body=body,
                kind=kind,
            )
            deliver_notification.enqueue(email.pk)
            created.append(email)
    return created
