"""Dossier codes (Circular 01/2018 and 03/2025): {agency identifier}-{yyMMdd}-{4-digit sequence}."""

import re
from datetime import date

from cchc.accounts.validators import AGENCY_CODE_RE

DOSSIER_CODE_RE = re.compile(r"^(?P<agency>\d{3}\.\d{2}\.\d{2}\.H\d{2})-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def format_dossier_code(agency_code: str, day: date, sequence: int) -> str:
    """`000.00.12.H99`, 2023-10-27, 361 → `000.00.12.H99-231027-0361`."""
    if not AGENCY_CODE_RE.fullmatch(agency_code):
        raise ValueError(f"invalid agency code {agency_code!r}")
    if sequence < 1:
        raise ValueError("the daily sequence starts at 1")
    return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"


def parse_dossier_code(code: str) -> tuple[str, date, int] | None:
    match = DOSSIER_CODE_RE.fullmatch(code or "")
    if match is None:
        return None
    day = match["day"]
    try:
        parsed = date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
    except ValueError:
        return None
    return match["agency"], parsed, int(match["seq"])


def is_dossier_code(code: str) -> bool:
    return parse_dossier_code(code) is not None
