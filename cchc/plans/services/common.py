"""Small pieces the plan services share."""

from datetime import date

TITLE_MAX = 500
REPORT_TEXT_MIN = 5


def _vn(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _clean(text: str | None) -> str:
    return (text or "").strip()
