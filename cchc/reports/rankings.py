"""The province's ranking of departments or of communes by the service index for a month, a quarter
or a year: the table a province publishes. Each agency's index is the stored one (`snapshots`), so
a closed period costs its indexes once."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from cchc.accounts.models import Agency
from cchc.core import clock
from cchc.core.errors import ApplicationError

from .snapshots import stored_indexes

LEVELS = (Agency.Level.DEPARTMENT, Agency.Level.COMMUNE)


@dataclass(frozen=True)
class Row:
    rank: int
    agency: Agency
    total: float
    max: float


def ranking_period(*, year: int, month: int | None = None, quarter: int | None = None) -> tuple[date, date]:
    """The first and last day of the year, the quarter or the month."""
    if month is not None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if quarter is not None:
        first = 3 * (quarter - 1) + 1
        return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    return date(year, 1, 1), date(year, 12, 31)


def parse_ranking(*, level: str, year: str | None, month: str | None = None, quarter: str | None = None) -> dict:
    """Checked parameters, with a clear Vietnamese refusal for each mistake."""
    if level not in LEVELS:
        raise ApplicationError(_("Tham số level phải là commune hoặc department."), code="invalid_level")
    today = clock.localdate()
    try:
        number = int(year or "")
    except ValueError:
        raise ApplicationError(_("Tham số year phải là năm, ví dụ 2026."), code="invalid_year") from None
    if not 2000 <= number <= today.year:
        raise ApplicationError(_("Năm phải từ 2000 đến %(year)s.") % {"year": today.year}, code="invalid_year")
    result = {"level": level, "year": number, "month": None, "quarter": None}
    for name, top in (("month", 12), ("quarter", 4)):
        raw = {"month": month, "quarter": quarter}[name]
        if raw in (None, ""):
            continue
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= top:
            raise ApplicationError(
                _("Tham số %(name)s phải từ 1 đến %(top)s.") % {"name": name, "top": top}, code=f"invalid_{name}"
            )
        result[name] = value
    if result["month"] and result["quarter"]:
        raise ApplicationError(_("Chỉ chọn tháng hoặc quý, không chọn cả hai."), code="month_and_quarter")
    if ranking_period(year=number, month=result["month"], quarter=result["quarter"])[0] > today:
        raise ApplicationError(_("Kỳ xếp hạng chưa bắt đầu."), code="future_period")
    return result


def ranking(*, level: str, year: int, month: int | None = None, quarter: int | None = None) -> list[Row]:
    """The agencies of `level` active during the period, best index first; equal totals share a rank."""
    date_from, date_to = ranking_period(year=year, month=month, quarter=quarter)
    agencies = [
        agency
        for agency in Agency.objects.filter(level=level).order_by("name")
        if (agency.valid_from is None or agency.valid_from <= date_to)
        and (agency.valid_to is None or agency.valid_to >= date_from)
    ]
    stored = stored_indexes(agencies=agencies, date_from=date_from, date_to=min(date_to, clock.localdate()))
    scored = [
        (float(stored[agency.pk].result["total"]), float(stored[agency.pk].result["max"]), agency)
        for agency in agencies
    ]
    scored.sort(key=lambda item: (-item[0], item[2].name))
    rows, rank = [], 0
    for position, (total, top, agency) in enumerate(scored, start=1):
        if not rows or total != rows[-1].total:
            rank = position
        rows.append(Row(rank=rank, agency=agency, total=total, max=top))
    return rows
