"""Appending to the audit log: the only write it allows."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.errors import ApplicationError

from .models import GENESIS_DIGEST, AuditEvent, AuditHead, audit_hmac_key, normalise_ip


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor=None,
    actor_role: str | None = None,
    object_type: str = "",
    object_id: str | int = "",
    dossier_code: str = "",
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    ip: str | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    Call it inside the transaction of the change being recorded, so that the event exists
    exactly when the change does. The head row stays locked until that transaction ends:
    appends are serialised and the chain never forks. `data` is stored as plain JSON
    (dates, decimals and UUIDs become strings, and so do floats, which PostgreSQL's jsonb
    might otherwise spell differently when read back and break the digest).
    An `ip` that is not an IP address raises ValueError (`client_ip` never returns one).
    """
    head, created = AuditHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_digest": GENESIS_DIGEST, "count": 0}
    )
    if created and AuditEvent.objects.exists():
        # Starting a new chain next to an existing one would hide whatever removed the head.
        raise ApplicationError(
            _("Không tìm thấy đầu chuỗi nhật ký hệ thống dù đã có sự kiện; hãy chạy audit_verify."),
            code="audit_head_missing",
        )
    if actor is not None and not actor.is_authenticated:
        actor = None
    if actor_role is None:
        actor_role = getattr(actor, "role", "") if actor is not None else ""
    event = AuditEvent(
        at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_username=actor.get_username() if actor is not None else "",
        actor_role=actor_role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        dossier_code=dossier_code,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        ip=normalise_ip(ip),
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, allow_nan=False), parse_float=str),
        prev_digest=head.last_digest,
    )
    event.digest = event.compute_digest(audit_hmac_key())
    event.save()
    head.last_digest, head.count = event.digest, head.count + 1
    head.save(update_fields=["last_digest", "count"])
    return event


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the first X-Forwarded-For entry when trusted.

    Trust X-Forwarded-For (setting `CCHC_TRUST_X_FORWARDED_FOR`) only behind a proxy that
    overwrites the header; a client can write anything in it. Unparseable values give None.
    """
    value = request.META.get("REMOTE_ADDR", "")
    if settings.CCHC_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
        value = forwarded or value
    try:
        return normalise_ip(value)
    except ValueError:
        return None
