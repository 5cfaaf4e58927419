"""Signed daily checkpoints of the audit chains: pure functions, no database.

A checkpoint states, for one day, where every chain stood when the day ended: for each chain
the number of its events stamped before midnight and the digest of the last one. Checkpoints
are themselves chained (`prev_root`), and each is signed with Ed25519, so an exported file can
be checked anywhere with the public key alone (`verify_document`), without the database or the
HMAC key. Once a checkpoint has left the server, nothing it covers can be changed, removed,
reordered or slipped in before its end without `audit_verify` saying so.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.utils.translation import gettext as _

GENESIS_ROOT = "0" * 64
FORMAT = "cchc-audit-checkpoints/1"


@dataclass(frozen=True)
class Checkpoint:
    """One sealed day. `heads` maps a chain to `{"count": n, "digest": d}`; `cut` is the end of
    the day as an ISO moment (events stamped before it belong to the day or earlier)."""

    day: str
    cut: str
    heads: dict
    prev_root: str
    root: str = ""
    signature: str = ""

    def body(self) -> str:
        """The signed content as deterministic JSON (the root is its SHA-256)."""
        values = {"day": self.day, "cut": self.cut, "heads": self.heads, "prev_root": self.prev_root}
        return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def computed_root(self) -> str:
        return hashlib.sha256(self.body().encode()).hexdigest()

    @property
    def event_count(self) -> int:
        return sum(head["count"] for head in self.heads.values())

    def as_dict(self) -> dict:
        return {
            "day": self.day,
            "cut": self.cut,
            "heads": self.heads,
            "prev_root": self.prev_root,
            "root": self.root,
            "signature": self.signature,
            "count": self.event_count,
        }


def signing_key(hmac_key: bytes) -> Ed25519PrivateKey:
    """The Ed25519 key that signs checkpoints, derived from the audit HMAC key (one secret to keep)."""
    seed = hmac.new(hmac_key, b"cchc.audit.checkpoint-signing", hashlib.sha256).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_hex(private_key: Ed25519PrivateKey) -> str:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def seal(checkpoint: Checkpoint, private_key: Ed25519PrivateKey) -> Checkpoint:
    root = checkpoint.computed_root()
    signature = private_key.sign(bytes.fromhex(root)).hex()
    return Checkpoint(checkpoint.day, checkpoint.cut, checkpoint.heads, checkpoint.prev_root, root, signature)


def problems_of(checkpoints: list[Checkpoint], public_key: str) -> list[str]:
    """What is wrong with a run of checkpoints, oldest first: a root that does not match its
    content, a signature that does not verify, a link to the day before that is broken. Empty
    when all is well. Messages name the day as dd/mm/yyyy."""
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
    problems, prev_root = [], GENESIS_ROOT
    for checkpoint in checkpoints:
        day = _shown(checkpoint.day)
        if checkpoint.computed_root() != checkpoint.root:
            problems.append(_("Điểm niêm phong ngày %(day)s đã bị sửa: mã gốc không khớp với nội dung.") % {"day": day})
        try:
            key.verify(bytes.fromhex(checkpoint.signature), bytes.fromhex(checkpoint.root))
        except (InvalidSignature, ValueError):
            problems.append(_("Chữ ký của điểm niêm phong ngày %(day)s không hợp lệ.") % {"day": day})
        if checkpoint.prev_root != prev_root:
            problems.append(
                _("Điểm niêm phong ngày %(day)s không nối tiếp ngày trước: có điểm đã bị xóa hoặc chèn.") % {"day": day}
            )
        prev_root = checkpoint.root
    return problems


def export_document(checkpoints: list[Checkpoint], public_key: str) -> dict:
    return {"format": FORMAT, "public_key": public_key, "checkpoints": [c.as_dict() for c in checkpoints]}


def checkpoints_from_document(document: dict) -> list[Checkpoint]:
    if document.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document")
    return [
        Checkpoint(item["day"], item["cut"], item["heads"], item["prev_root"], item["root"], item["signature"])
        for item in document["checkpoints"]
    ]


def verify_document(document: dict, public_key: str | None = None) -> list[str]:
    """Check an exported file offline. Pass the public key published out of band: the one
    inside the file proves nothing if the file itself was forged."""
    checkpoints = checkpoints_from_document(document)
    problems = problems_of(checkpoints, public_key or document["public_key"])
    if public_key and public_key != document["public_key"]:
        problems.insert(0, _("Khóa công khai trong tệp khác khóa đã công bố."))
    return problems


def _shown(day: str) -> str:
    year, month, date = day.split("-")
    return f"{date}/{month}/{year}"
