"""The PAR Index settings (declared in config/settings/base.py), checked in one place.

- `CCHC_PAR_TARGET` (default 80): the index a new year aims for (a year keeps its own target).
- `CCHC_PAR_BANDS` (empty: ≥ 90 Xuất sắc, ≥ 80 Tốt, ≥ 70 Khá, otherwise Yếu): a list of
  (minimum index, label) pairs, highest first, e.g. `[[90, "Xuất sắc"], [80, "Tốt"], [70, "Khá"], [0, "Yếu"]]`.
- `CCHC_PAR_EVIDENCE_MAX_BYTES` (from `CCHC_PAR_EVIDENCE_MAX_MB`, default the dossier upload limit).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import scoring


def par_target() -> Decimal:
    value = scoring.to_decimal(settings.CCHC_PAR_TARGET)
    if value is None or not 0 <= value <= 100:
        raise ImproperlyConfigured("CCHC_PAR_TARGET must be a number between 0 and 100")
    return scoring.quantize(value)


def par_bands() -> tuple[tuple[Decimal, str], ...]:
    raw = settings.CCHC_PAR_BANDS
    if not raw:
        return scoring.DEFAULT_BANDS
    try:
        return scoring.parse_bands(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"CCHC_PAR_BANDS: {exc}") from exc


def evidence_max_bytes() -> int:
    return settings.CCHC_PAR_EVIDENCE_MAX_BYTES
