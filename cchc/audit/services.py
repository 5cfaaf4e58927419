"""Appending to the audit log (the only write it allows) and sealing its days."""

import datetime as dt
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.models import Max, Min
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import clock
from cchc.core.errors import ApplicationError

from . import checkpoints
from .models import GENESIS_DIGEST, AuditCheckpoint, AuditEvent, AuditHead, audit_hmac_key, normalise_ip


def chain_of(dossier_code: str) -> str:
    """The chain a dossier's events go to: its agency's code (the part of the code before the date)."""
    return dossier_code.split("-", 1)[0] if dossier_code else ""


@transaction.atomic(savepoint=False)
def audit_record(
    *,
    action: str,
    chain: str | None = None,
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
    exactly when the change does. The event goes to `chain` (an agency's code; by default
    the agency in `dossier_code`, else the province-wide chain ""). That chain's head row
    stays locked until the transaction ends: appends to one chain are serialised and it
    never forks, while other chains (other agencies) append at the same time. The head is
    the last lock a transaction takes (docs/architecture.md, "Lock order"), and a
    transaction appends to one chain. `data` is stored as plain JSON
    (dates, decimals and UUIDs become strings, and so do floats, which PostgreSQL's jsonb
    might otherwise spell differently when read back and break the digest).
    An `ip` that is not an IP address raises ValueError (`client_ip` never returns one).
    """
    chain = chain_of(dossier_code) if chain is None else chain
    head, created = AuditHead.objects.select_for_update().get_or_create(
        chain=chain, defaults={"last_digest": GENESIS_DIGEST, "count": 0}
    )
    if created and AuditEvent.objects.filter(chain=chain).exists():
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
        at=clock.now(),
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
        chain=chain,
        prev_digest=head.last_digest,
    )
    event.digest = event.compute_digest(audit_hmac_key())
    head.last_digest, head.count = event.digest, head.count + 1
    _append(event, head)
    return event


def _append(event: AuditEvent, head: AuditHead) -> None:
    """Insert `event` and move its chain's `head` (locked by the caller) to it: one statement on
    PostgreSQL (a round trip fewer on every change, under the head's lock), two elsewhere."""
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor != "postgresql":
        event.save()
        head.save(update_fields=["last_digest", "count"])
        return
    meta = AuditEvent._meta
    query = InsertQuery(AuditEvent)
    query.insert_values([f for f in meta.concrete_fields if not f.primary_key or event.pk is not None], [event])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(insert, params)] = compiler.as_sql()
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH appended AS ({insert}) UPDATE {table} SET last_digest = %s, count = %s "  # noqa: S608 - our names
            "WHERE id = %s RETURNING (SELECT id FROM appended)",
            [*params, head.last_digest, head.count, head.pk],
        )
        (event.pk,) = cursor.fetchone()
    event._state.adding, event._state.db = False, connection.alias


def audit_checkpoint_seal(*, day: dt.date, now: dt.datetime | None = None) -> AuditCheckpoint:
    """Seal `day` and every unsealed day before it; return the checkpoint of `day`.

    Each checkpoint holds, for every chain, its last event stamped before the day's end: its
    position in the chain (count) and digest. Within a chain ids and stamps grow together (the
    stamp is taken under the head lock), but the seal does not rely on it (the demo writes the
    past out of order). Sealing runs after the day is over
    (`seal_audit_days` just after midnight), so the events it counts are committed. Sealing a
    day already sealed returns its checkpoint unchanged; a day not over yet is refused.
    """
    if day >= timezone.localdate(now or clock.now()):
        raise ApplicationError(_("Chỉ niêm phong được ngày đã kết thúc."), code="audit_day_not_over")
    with transaction.atomic(durable=True):
        # One sealer at a time: the day's unique constraint would refuse a second anyway.
        last = AuditCheckpoint.objects.select_for_update().order_by("-day").first()
        if last is not None and last.day >= day:
            # Days before the first sealed one held no events: the first checkpoint covers them.
            return AuditCheckpoint.objects.filter(day=day).first() or last
        if last is not None:
            start = last.day + dt.timedelta(days=1)
        else:
            earliest = AuditEvent.objects.aggregate(at=Min("at"))["at"]
            start = min(timezone.localdate(earliest), day) if earliest else day
        key = checkpoints.signing_key(audit_hmac_key())
        prev_root = last.root if last else checkpoints.GENESIS_ROOT
        checkpoint = last
        for offset in range((day - start).days + 1):
            checkpoint = _seal_one(start + dt.timedelta(days=offset), prev_root, key)
            prev_root = checkpoint.root
        return checkpoint


def _seal_one(day: dt.date, prev_root: str, key) -> AuditCheckpoint:
    cut = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    # Each chain's seal is its last event stamped before the cut, with everything before it in the
    # chain: the count is a position, so an event stamped before the cut can never sit after it.
    ends = dict(
        AuditEvent.objects.filter(at__lt=cut)
        .values("chain")
        .annotate(last_id=Max("id"))
        .values_list("chain", "last_id")
    )
    digests = dict(AuditEvent.objects.filter(pk__in=ends.values()).values_list("pk", "digest"))
    heads = {
        chain: {"count": AuditEvent.objects.filter(chain=chain, id__lte=last_id).count(), "digest": digests[last_id]}
        for chain, last_id in ends.items()
    }
    body = checkpoints.Checkpoint(day.isoformat(), cut.astimezone(dt.UTC).isoformat(), heads, prev_root)
    sealed = checkpoints.seal(body, key)
    return AuditCheckpoint.objects.create(
        day=day,
        cut=cut,
        heads=heads,
        event_count=sealed.event_count,
        prev_root=prev_root,
        root=sealed.root,
        signature=sealed.signature,
        sealed_at=clock.now(),
    )


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
