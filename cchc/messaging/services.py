"""Every write on messaging goes through here: approving a template, a person's channel choice,
the provider's acceptance of a message, and its delivery reports."""

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import Conflict

from . import protocol
from .models import Channel, ContactPreference, DeliveryReport, MessageTemplate, SentMessage

logger = logging.getLogger(__name__)


def template_approve(*, template: MessageTemplate, actor, approved: bool = True) -> MessageTemplate:
    """Approve (or withdraw) a template: only approved templates are sent."""
    with transaction.atomic(durable=True):
        template = MessageTemplate.objects.select_for_update().get(pk=template.pk)
        if template.approved == approved:
            return template
        if approved and not template.provider_template_id:
            raise Conflict(_("Mẫu chưa có mã đăng ký tại nhà cung cấp."), code="template_not_registered")
        template.approved = approved
        template.approved_by = actor if approved else None
        template.approved_at = clock.now() if approved else None
        template.save(update_fields=["approved", "approved_by", "approved_at"])
        audit_record(
            action="messaging.template_approved" if approved else "messaging.template_withdrawn",
            actor=actor,
            object_type="message_template",
            object_id=template.pk,
            data={"channel": template.channel, "kind": template.kind, "template_id": template.provider_template_id},
        )
    return template


def preference_update(*, user, email: bool, sms: bool, zalo: bool, ip: str | None = None) -> ContactPreference:
    """A person chooses the channels they are told on (all off: opted out)."""
    with transaction.atomic(durable=True):
        choice, _created = ContactPreference.objects.select_for_update().get_or_create(user=user)
        before = {"email": choice.email, "sms": choice.sms, "zalo": choice.zalo}
        after = {"email": email, "sms": sms, "zalo": zalo}
        if before == after and not _created:
            return choice
        choice.email, choice.sms, choice.zalo = email, sms, zalo
        choice.save()
        audit_record(
            action="messaging.preference_changed",
            actor=user,
            object_type="user",
            object_id=user.pk,
            ip=ip,
            data={"before": before, "after": after},
        )
    return choice


def message_sending(*, notification, channel: str, text: str) -> SentMessage:
    """Before the call: our key for the message, so that an early delivery report finds it."""
    sent, _created = SentMessage.objects.update_or_create(
        notification=notification,
        defaults={
            "channel": channel,
            "key": f"cchc-{notification.pk}",
            "message_id": "",
            "status": SentMessage.Status.ACCEPTED,
            "detail": text[:255],
            "accepted_at": clock.now(),
            "reported_at": None,
        },
    )
    return sent


def message_accepted(*, sent: SentMessage, message_id: str) -> None:
    """The provider took the message and answered its own id."""
    SentMessage.objects.filter(pk=sent.pk).update(message_id=message_id[:64])


def message_refused(*, sent: SentMessage, reason: str) -> None:
    SentMessage.objects.filter(pk=sent.pk).update(status=SentMessage.Status.FAILED, detail=reason[:255])


# ---------------------------------------------------------------- delivery reports

RANK = {SentMessage.Status.ACCEPTED: 0, SentMessage.Status.DELIVERED: 1, SentMessage.Status.FAILED: 1}


def sms_report_signature(body: bytes) -> str:
    return protocol.sms_report_signature(body, settings.CCHC_SMS_REPORT_SECRET)


def zalo_event_signature(body: bytes, timestamp: str) -> str:
    """Zalo's `X-ZEvent-Signature`: mac=sha256(app_id + body + timestamp + OA secret)."""
    return protocol.zalo_event_signature(
        body, timestamp, app_id=settings.CCHC_ZALO_APP_ID, secret=settings.CCHC_ZALO_SECRET
    )


def _log(channel: str, body: bytes) -> DeliveryReport:
    fingerprint = hashlib.sha256(channel.encode() + b"\0" + body).hexdigest()
    try:
        with transaction.atomic():
            return DeliveryReport.objects.create(
                channel=channel,
                body=body[: DeliveryReport.MAX_CHARS].decode("utf-8", "replace"),
                fingerprint=fingerprint,
            )
    except IntegrityError:
        DeliveryReport.objects.filter(fingerprint=fingerprint).update(times_received=F("times_received") + 1)
        return DeliveryReport.objects.get(fingerprint=fingerprint)


def _read(channel: str, data: dict) -> tuple[Q, str, str]:
    """(which message, new status, detail) from a report in the provider's shape."""
    if channel == Channel.SMS:
        state = str(data.get("STATUS") or "").upper()
        status = SentMessage.Status.DELIVERED if state in ("DELIVRD", "DELIVERED") else SentMessage.Status.FAILED
        return Q(key=str(data.get("REQID") or "")[:64]), status, str(data.get("ERROR_DESC") or state)[:255]
    message = data.get("message") if isinstance(data.get("message"), dict) else {}
    which = Q(message_id=str(message.get("msg_id") or "-")[:64]) | Q(key=str(message.get("tracking_id") or "-")[:64])
    event = str(data.get("event_name") or "")
    return which, SentMessage.Status.DELIVERED if event == "user_received_message" else "", event


def delivery_report_record(*, channel: str, body: bytes, signature: str, timestamp: str = "") -> str:
    """Handle one delivery report; never raises. Stored first, then checked and applied once."""
    log = _log(channel, body)
    expected = sms_report_signature(body) if channel == Channel.SMS else zalo_event_signature(body, timestamp)
    outcome = "applied"
    message = None
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not signature or not hmac.compare_digest(signature, expected):
        outcome = "bad_signature"
    elif not isinstance(data, dict):
        outcome = "unreadable"
    else:
        which, status, detail = _read(channel, data)
        message = SentMessage.objects.filter(which, channel=channel).first()
        if message is None:
            outcome = "unknown_message"
        elif not status:
            outcome = "ignored_event"
        else:
            outcome = _apply(message, status, detail)
    DeliveryReport.objects.filter(pk=log.pk).update(outcome=outcome, message=message)
    if outcome != "applied":
        logger.info("delivery report %s (%s): %s", log.pk, channel, outcome)
    return outcome


def _apply(message: SentMessage, status: str, detail: str) -> str:
    with transaction.atomic():
        message = SentMessage.objects.select_for_update().select_related("notification").get(pk=message.pk)
        if message.status == status or RANK[message.status] >= RANK[status]:
            return "already_reported"
        message.status = status
        message.detail = detail
        message.reported_at = clock.now()
        message.save(update_fields=["status", "detail", "reported_at"])
        dossier = message.notification.dossier
        audit_record(
            action="messaging.delivery_report",
            object_type="notification",
            object_id=message.notification_id,
            dossier_code=(dossier.code or "") if dossier else "",
            data={"channel": message.channel, "key": message.key, "message_id": message.message_id, "status": status},
        )
    return "applied"
