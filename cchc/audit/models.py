"""The append-only audit log: one HMAC chain per agency, sealed by signed daily checkpoints.

Every event belongs to a chain (`chain`: the agency's code, or "" for the province-wide chain
of events no agency owns) and stores the digest of the chain's event before it (`prev_digest`)
and its own `digest = HMAC-SHA256(key, prev_digest + "\\n" + canonical)`, where `canonical` is a
deterministic JSON of the chained fields. Changing a stored event breaks its digest, removing
one or swapping two breaks a link, and each chain's `AuditHead` (count and last digest)
reveals events removed from the end. Chains are independent: appends in two agencies never
wait on each other. Rows are never updated or deleted: the model, its queryset and database
triggers (migration 0002) all refuse it.

What the chains cannot show on their own: someone able to rewrite a head as well as remove
the last events can shorten a chain unnoticed, and someone holding the key can rewrite it.
`AuditCheckpoint` closes that gap for everything before the last exported checkpoint (see
`checkpoints.py` and docs/architecture.md, "Audit").
"""

import hashlib
import hmac
import ipaddress
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.errors import ApplicationError

from .checkpoints import Checkpoint

GENESIS_DIGEST = "0" * 64

# The fields the digest covers, in a fixed list: adding a model field must not change the
# canonical form of events already stored (a test checks that every field is listed here
# or deliberately left out).
CHAINED_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "dossier_code",
    "from_status",
    "to_status",
    "reason",
    "ip",
    "data",
    "prev_digest",
    "chain",
)


class AppendOnlyError(ApplicationError):
    """An attempt to change or remove an audit event."""

    status = 403

    def __init__(self, message=None, *, code: str = "audit_append_only", details: list | None = None):
        message = message or _("Nhật ký hệ thống chỉ được ghi thêm: không được sửa hoặc xóa sự kiện đã ghi.")
        super().__init__(message, code=code, details=details)


def audit_hmac_key() -> bytes:
    """The key of the chain.

    `settings.CCHC_AUDIT_HMAC_KEY` when set. Otherwise HMAC-SHA256(SECRET_KEY, a fixed
    label): a fresh installation needs no extra secret, and the log never holds anything
    computed with SECRET_KEY itself. The price: changing SECRET_KEY changes the derived key,
    and every event written before no longer verifies, so production sets its own key.
    """
    if settings.CCHC_AUDIT_HMAC_KEY:
        return settings.CCHC_AUDIT_HMAC_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"cchc.audit.hmac-key", hashlib.sha256).digest()


def normalise_ip(value: str | None) -> str | None:
    """One spelling per address (IPv4-mapped IPv6 as IPv4), whatever the database returns."""
    if not value:
        return None
    address = ipaddress.ip_address(value.strip())
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError()

    def bulk_create(self, objs, *args, **kwargs):
        # Rows written in bulk would bypass the chain; only services.audit_record appends.
        raise AppendOnlyError()


class AuditEvent(models.Model):
    """Who did what to which object, when, from where; never changed once written.

    The actor is stored as plain values (id, username, role), not a foreign key, so that
    changing or removing a user never touches the log.
    """

    at = models.DateTimeField(_("thời điểm"))
    actor_id = models.BigIntegerField(_("mã người thực hiện"), null=True, blank=True)
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    actor_role = models.CharField(_("vai trò"), max_length=32, blank=True)
    action = models.CharField(_("hành động"), max_length=64)
    object_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=64, blank=True, db_index=True)
    from_status = models.CharField(_("trạng thái trước"), max_length=32, blank=True)
    to_status = models.CharField(_("trạng thái sau"), max_length=32, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    chain = models.CharField(_("chuỗi"), max_length=32, blank=True, default="")
    prev_digest = models.CharField(_("mã kiểm tra của sự kiện trước"), max_length=64)
    digest = models.CharField(_("mã kiểm tra"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["chain", "id"], name="audit_event_chain_id")]
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError()
        # Without force_insert an explicit id would make Django try an UPDATE first.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()

    def canonical(self) -> str:
        """The chained fields as deterministic JSON, equal before and after a database round trip."""
        values = {name: getattr(self, name) for name in CHAINED_FIELDS}
        values["at"] = self.at.astimezone(UTC).isoformat(timespec="microseconds")
        values["ip"] = normalise_ip(self.ip)
        if not self.chain:
            # Events written before chains existed (all on the province-wide chain) keep their form.
            del values["chain"]
        return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_digest(self, key: bytes) -> str:
        message = f"{self.prev_digest}\n{self.canonical()}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()


class AuditHead(models.Model):
    """The end of one chain; locking it serialises the appends of that chain only."""

    chain = models.CharField(_("chuỗi"), max_length=32, unique=True, default="")
    last_digest = models.CharField(_("mã kiểm tra của sự kiện cuối"), max_length=64, default=GENESIS_DIGEST)
    count = models.BigIntegerField(_("số sự kiện"), default=0)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        verbose_name_plural = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"{self.chain or '-'}: {self.count} / {self.last_digest[:12]}"


class AuditCheckpoint(models.Model):
    """A sealed day: where every chain stood at its end, chained to the day before and signed.

    Written once by `services.audit_checkpoint_seal`; never changed (an exported copy is what
    makes it trustworthy, see `checkpoints.py`)."""

    day = models.DateField(_("ngày"), unique=True)
    cut = models.DateTimeField(_("hết ngày lúc"))
    heads = models.JSONField(_("đầu các chuỗi"), default=dict)
    event_count = models.BigIntegerField(_("số sự kiện"), default=0)
    prev_root = models.CharField(_("mã gốc ngày trước"), max_length=64)
    root = models.CharField(_("mã gốc"), max_length=64, unique=True)
    signature = models.CharField(_("chữ ký"), max_length=128)
    sealed_at = models.DateTimeField(_("niêm phong lúc"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("điểm niêm phong nhật ký")
        verbose_name_plural = _("điểm niêm phong nhật ký")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.root[:12]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()

    def as_checkpoint(self) -> Checkpoint:
        return Checkpoint(
            self.day.isoformat(),
            self.cut.astimezone(UTC).isoformat(),
            self.heads,
            self.prev_root,
            self.root,
            self.signature,
        )
