"""Signing a result with the agency's certificate: PAdES (pyHanko), with a visible stamp.

The certificate and its key come from a PKCS#12 file (settings CCHC_SIGNING_P12_PATH and
CCHC_SIGNING_P12_PASSWORD; `make run` creates a self-signed demo one). The signature is a
certification signature that allows no later change, so any edit after signing (even an
incremental update a PDF editor appends) makes verification fail. The stamp is drawn with
Liberation Serif, which has the Vietnamese letters; pyHanko's built-in font is ASCII only,
so without the font file the stamp falls back to text without diacritics.
"""

import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.core.errors import ApplicationError

from .certificates import DEFAULT_FILE, DEFAULT_PASSWORD
from .rules import ascii_text

logger = logging.getLogger(__name__)

FIELD_NAME = "ChuKySoCoQuan"
STAMP_COLOUR = (0.75, 0.05, 0.05)  # the red of a seal

_cache: dict = {}
_cache_lock = threading.Lock()


class SigningUnavailable(ApplicationError):
    """The agency's certificate cannot be used (missing file, wrong password)."""


def p12_path() -> Path:
    return Path(settings.CCHC_SIGNING_P12_PATH or Path(settings.VAR_DIR) / DEFAULT_FILE)


def p12_password() -> str:
    return settings.CCHC_SIGNING_P12_PASSWORD or DEFAULT_PASSWORD


@dataclass(frozen=True)
class AgencyCertificate:
    signer: object  # pyhanko SimpleSigner
    certificate: object  # asn1crypto x509.Certificate
    subject: str
    common_name: str
    serial: str
    fingerprint: str
    pem: str


def agency_certificate() -> AgencyCertificate:
    """The agency's signing certificate, loaded once per file version (the key stays in memory)."""
    from asn1crypto import pem
    from pyhanko.sign.signers import SimpleSigner

    path, password = p12_path(), p12_password()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise SigningUnavailable(
            _("Chưa có chứng thư số của cơ quan để ký (không thấy tệp %(path)s).") % {"path": path},
            code="signing_certificate_missing",
        ) from None
    key = (str(path), stamp, password)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
        try:
            data = path.read_bytes()
            signer = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password.encode())
        except (OSError, ValueError):
            logger.exception("Cannot load the signing certificate %s", path)
            raise SigningUnavailable(
                _("Không mở được chứng thư số của cơ quan (sai mật khẩu hoặc tệp hỏng)."),
                code="signing_certificate_unreadable",
            ) from None
        certificate = signer.signing_cert
        der = certificate.dump()
        loaded = AgencyCertificate(
            signer=signer,
            certificate=certificate,
            subject=certificate.subject.human_friendly,
            common_name=certificate.subject.native.get("common_name", ""),
            serial=format(certificate.serial_number, "x"),
            fingerprint=hashlib.sha256(der).hexdigest(),
            pem=pem.armor("CERTIFICATE", der).decode("ascii"),
        )
        _cache.clear()
        _cache[key] = loaded
        return loaded


def _stamp_font(path: Path) -> Path:
    """`path` rescaled to 1000 units per em, written once per font version to the temp folder.

    pyHanko writes glyph widths in the font's own units, and PDF reads them as thousandths of an
    em: right for 1000-unit fonts only. Liberation Serif has 2048 units, so unscaled every letter
    of the stamp would take twice its width. (FontForge's FFTM table goes too: the subsetter
    warns about it on every signature.)"""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = path.stat()
    digest = hashlib.sha256(f"{path.resolve()}:{source.st_mtime_ns}:{source.st_size}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"cchc-stamp-font-{digest}.ttf"
    if target.exists():
        return target
    font = TTFont(path)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    if "FFTM" in font:
        del font["FFTM"]
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    font.save(partial)
    partial.replace(target)
    return target


def _stamp_style(lines: list[str]):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font_path = Path(settings.CCHC_SIGNING_STAMP_FONT)
    try:
        font = GlyphAccumulatorFactory(str(_stamp_font(font_path)), font_size=9)
    except Exception:  # a missing or broken font must not stop signing
        logger.warning("Stamp font %s is unusable: the signature stamp is drawn without diacritics", font_path)
        font = None
    if font is not None:
        box_style = TextBoxStyle(font=font, font_size=9, leading=12, text_color=STAMP_COLOUR)
        text = "\n".join(lines)
    else:
        box_style = TextBoxStyle(font_size=9, leading=12, text_color=STAMP_COLOUR)
        text = "\n".join(ascii_text(line) for line in lines)
    # pyHanko interpolates the stamp text with %-formatting.
    return TextStampStyle(
        stamp_text=text.replace("%", "%%"), text_box_style=box_style, border_width=1, border_color=STAMP_COLOUR
    )


def _timed_signer_class():
    from pyhanko.sign.signers import PdfSigner

    class TimedPdfSigner(PdfSigner):
        """Signs with the moment the dossier's history records, not a second clock reading."""

        def __init__(self, *args, signing_time: datetime, **kwargs):
            super().__init__(*args, **kwargs)
            self._signing_time = signing_time

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = self._signing_time
            return session

    return TimedPdfSigner


def sign_pdf(
    pdf: bytes,
    *,
    page: int,
    box: tuple[int, int, int, int],
    stamp_lines: list[str],
    signing_time: datetime,
    reason: str,
    location: str,
) -> tuple[bytes, AgencyCertificate]:
    """Sign `pdf` with the agency's certificate; the visible stamp fills `box` on `page`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata

    credentials = agency_certificate()
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        reason=reason,
        location=location,
    )
    pdf_signer = _timed_signer_class()(
        metadata,
        signer=credentials.signer,
        stamp_style=_stamp_style(stamp_lines),
        new_field_spec=SigFieldSpec(FIELD_NAME, on_page=page, box=box),
        signing_time=signing_time,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    output = pdf_signer.sign_pdf(writer)
    return output.getvalue(), credentials
