"""The whole province's service index: the sum of its agencies' figures.

Every indicator is a numerator over a denominator, so the province's figure is the sum of each
agency's numerators over the sum of their denominators, scored once: dossier indicators come out
as if counted over every dossier of the province, and a procedure offered by several agencies
counts once per agency that offers it (as each agency reports it). Each agency's figures are its
stored index (`snapshots.stored_indexes`, refreshed by the periodic task), so the province costs
one read of about 150 snapshots once they exist.
"""

from collections import defaultdict
from datetime import date
from weakref import WeakKeyDictionary

from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency

from .indicators import Figure
from .selectors import Scope
from .snapshots import stored_indexes


def province_agencies(*, date_from: date, date_to: date) -> list[Agency]:
    """The agencies active during the period (an agency merged away still answers for its months)."""
    return [
        agency
        for agency in Agency.objects.order_by("code")
        if (agency.valid_from is None or agency.valid_from <= date_to)
        and (agency.valid_to is None or agency.valid_to >= date_from)
    ]


def sum_figures(results: list[dict]) -> dict[str, Figure]:
    """The figures of several agencies' index results added up, indicator by indicator; an
    indicator no agency measured keeps the first agency's reason."""
    numerators: dict[str, int] = defaultdict(int)
    denominators: dict[str, int] = defaultdict(int)
    measured: set[str] = set()
    reasons: dict[str, str] = {}
    breakdown: dict[str, int] = defaultdict(int)
    procedures: list[dict] = []
    for result in results:
        for group in result["groups"]:
            for item in group["indicators"]:
                code = item["code"]
                if item["denominator"] is None:
                    reasons.setdefault(code, item.get("reason") or "")
                    continue
                measured.add(code)
                numerators[code] += item["numerator"] or 0
                denominators[code] += item["denominator"] or 0
                for key, value in (item.get("breakdown") or {}).items():
                    breakdown[key] += value
                procedures += item.get("procedures") or []
    figures = {}
    for code in measured:
        extra = {}
        if code == "progress.on_time":
            extra = {"breakdown": dict(breakdown)}
        elif code == "progress.average_time":
            extra = {"procedures": sorted(procedures, key=lambda p: (p["code"], p["name"]))}
        figures[code] = Figure(
            numerators[code], denominators[code], note=str(_("Tổng các cơ quan trong tỉnh.")), extra=extra
        )
    for code, reason in reasons.items():
        if code not in figures:
            figures[code] = Figure(reason=reason or None)
    return figures


# Read once per scope object while it lives: the dashboard reads the province's total and each
# agency's row from the same snapshots.
_READ: "WeakKeyDictionary[Scope, tuple]" = WeakKeyDictionary()


def agency_results(scope: Scope) -> tuple[tuple[Agency, dict], ...]:
    """Each agency active in the scope's period with its stored index result (read-only)."""
    if scope not in _READ:
        until = max(scope.date_from, min(scope.date_to, timezone.localdate(scope.now)))
        agencies = province_agencies(date_from=scope.date_from, date_to=scope.date_to)
        stored = stored_indexes(agencies=agencies, date_from=scope.date_from, date_to=until, now=scope.now)
        _READ[scope] = tuple((agency, stored[agency.pk].result) for agency in agencies)
    return _READ[scope]


def province_figures(scope: Scope) -> dict[str, Figure]:
    """The province's figures for the scope's period: the sum over the agencies active in it."""
    return sum_figures([result for _agency, result in agency_results(scope)])
