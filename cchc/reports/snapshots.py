"""The service index of a scope and period, read from a stored snapshot when one is recent enough.

A month's index for a whole agency takes about half a second at a million dossiers, a year's about
four. Pages that show a year so far (the PAR Index's computed criteria, a unit's commitment, the
monthly briefing) or closed windows (an initiative's before and after) read `stored_index`, which
answers from an `IndexSnapshot` younger than `max_age` and otherwise computes, stores and answers.
The periodic task (`reports.tasks.refresh_rollups`) recomputes the snapshots those pages ask for
every hour, so that nobody waits for them.

A closed period's index, once computed `FINAL_AFTER` after the period ended, is final and kept: the
figures of a closed month count moments inside it and judge open dossiers at its end; only ratings
and complaints about its dossiers still arrive in the following weeks. Until then a closed period's
snapshot is answered for a day (`default_max_age`). A snapshot computed another way (`definition`)
is never shown. The periodic task computes every agency's index for the month (and quarter, and
year) just closed (`close_period_snapshots`) and keeps it fresh until it is final, so the
province's index and the rankings of a closed month are one read of ~150 stored rows: nobody waits.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cchc.accounts.models import Agency, Unit
from cchc.core import clock
from cchc.core.calendar import VN_TZ

from .config import definition_key
from .models import IndexSnapshot
from .selectors import make_scope, scope_key, service_index_for


def refresh_interval() -> timedelta:
    """How often the periodic task refreshes the snapshots and rollups (`CCHC_REPORTS_REFRESH_MINUTES`)."""
    return timedelta(minutes=float(settings.CCHC_REPORTS_REFRESH_MINUTES))


def default_max_age(date_to: date, *, today: date) -> timedelta:
    """A period still running is answered from a snapshot of at most two refresh intervals ago; a
    closed one changes only by late corrections: a day."""
    return refresh_interval() * 2 if date_to >= today else timedelta(days=1)


# After this, a closed period's figures are final (the month's ratings and complaints are in).
FINAL_AFTER = timedelta(days=15)


def period_end(date_to: date) -> datetime:
    """The moment a period ending on `date_to` closes: midnight after it, Vietnam time."""
    return datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN_TZ)


def _recent(date_to: date, *, now: datetime, max_age: timedelta | None) -> Q:
    """Snapshots young enough to answer; a closed period's computed after it closed always are."""
    explicit = max_age is not None
    if max_age is None:
        max_age = default_max_age(date_to, today=timezone.localdate(now))
    recent = Q(computed_at__gte=now - max_age)
    final = period_end(date_to) + FINAL_AFTER
    if not explicit and final <= now:
        recent |= Q(computed_at__gte=final)
    return recent


@dataclass(frozen=True)
class StoredIndex:
    result: dict
    computed_at: datetime

    def indicators(self) -> dict[str, dict]:
        """`{code: {"value", "numerator", "denominator", "counted"}}` of every indicator."""
        return {
            i["code"]: {k: i.get(k) for k in ("value", "numerator", "denominator", "counted")}
            for group in self.result["groups"]
            for i in group["indicators"]
        }

    def values(self) -> dict[str, float | None]:
        """`{code: value in percent, or None when there was nothing to measure}` (an indicator the
        national portal measures has a value once the reform officer entered its figure)."""
        return {code: (i["value"] if i["counted"] else None) for code, i in self.indicators().items()}


def stored_index(
    *,
    agency: Agency,
    date_from: date,
    date_to: date,
    unit: Unit | None = None,
    max_age: timedelta | None = None,
    now: datetime | None = None,
) -> StoredIndex:
    now = now or clock.now()
    scope = make_scope(date_from=date_from, date_to=date_to, agency=agency, unit=unit, now=now)
    key = scope_key(scope)
    found = IndexSnapshot.objects.filter(
        _recent(date_to, now=now, max_age=max_age),
        scope_key=key,
        date_from=date_from,
        date_to=date_to,
        definition=definition_key(),  # one computed another way (the old scale) is never shown
    ).first()
    if found is not None:
        return StoredIndex(result=found.result, computed_at=found.computed_at)
    return _compute_and_store(scope, key, now=now)


def stored_indexes(
    *, agencies: list[Agency], date_from: date, date_to: date, now: datetime | None = None
) -> dict[int, StoredIndex]:
    """`stored_index` of each agency's whole scope, `{agency.pk: StoredIndex}`: the recent snapshots
    in one query, the missing ones computed and stored (the rankings and the province's sum read
    every agency of the province)."""
    now = now or clock.now()
    scopes = {
        agency.pk: make_scope(date_from=date_from, date_to=date_to, agency=agency, now=now) for agency in agencies
    }
    keys = {scope_key(scope): pk for pk, scope in scopes.items()}
    found = IndexSnapshot.objects.filter(
        _recent(date_to, now=now, max_age=None),
        scope_key__in=list(keys),
        date_from=date_from,
        date_to=date_to,
        definition=definition_key(),
    ).values_list("scope_key", "result", "computed_at")
    answers = {keys[key]: StoredIndex(result=result, computed_at=at) for key, result, at in found}
    for pk, scope in scopes.items():
        if pk not in answers:
            answers[pk] = _compute_and_store(scope, scope_key(scope), now=now)
    return answers


def _compute_and_store(scope, key: str, *, now: datetime) -> StoredIndex:
    result = service_index_for(scope)
    IndexSnapshot.objects.update_or_create(
        scope_key=key,
        date_from=scope.date_from,
        date_to=scope.date_to,
        defaults={"result": result, "computed_at": now, "definition": definition_key()},
    )
    return StoredIndex(result=result, computed_at=now)


def year_so_far(year: int, *, today: date) -> tuple[date, date] | None:
    """1 January of `year` to 31 December, or to `today` while the year runs; None for a future year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if today < first:
        return None
    return first, min(last, today)


def refresh_snapshots(*, agency: Agency, units: list[Unit], now: datetime | None = None) -> int:
    """Recompute what the reform pages read for the agency and the given units: the year so far and
    the month so far (the PAR Index, commitments and the monthly briefing ask for these).
    Returns the number of snapshots written."""
    now = now or clock.now()
    today = timezone.localdate(now)
    periods = [year_so_far(today.year, today=today), (today.replace(day=1), today)]
    written = 0
    for unit in [None, *units]:
        for date_from, date_to in periods:
            scope = make_scope(date_from=date_from, date_to=date_to, agency=agency, unit=unit, now=now)
            _compute_and_store(scope, scope_key(scope), now=now)
            written += 1
    # Snapshots nobody asked to refresh for a month (yesterday's "so far", old windows) are dropped:
    # a page that needs one again computes it. A closed period's final index stays.
    stale = IndexSnapshot.objects.filter(computed_at__lt=now - timedelta(days=30))
    kept = [
        pk
        for pk, date_to, computed_at in stale.values_list("pk", "date_to", "computed_at")
        if computed_at >= period_end(date_to) + FINAL_AFTER
    ]
    stale.exclude(pk__in=kept).delete()
    return written


def closed_periods(today: date) -> list[tuple[date, date]]:
    """The month just closed, and the quarter and the year when it closed them too."""
    last = today.replace(day=1) - timedelta(days=1)
    periods = [(last.replace(day=1), last)]
    if last.month % 3 == 0:
        periods.append((date(last.year, last.month - 2, 1), last))
    if last.month == 12:
        periods.append((date(last.year, 1, 1), last))
    return periods


def close_period_snapshots(*, now: datetime | None = None) -> int:
    """Every agency's final index of the periods just closed (`closed_periods`), those not stored
    yet: what the province's index and the rankings read. Returns the number computed."""
    from .province import province_agencies

    now = now or clock.now()
    computed = 0
    for date_from, date_to in closed_periods(timezone.localdate(now)):
        agencies = province_agencies(date_from=date_from, date_to=date_to)
        keys = {scope_key(make_scope(date_from=date_from, date_to=date_to, agency=a, now=now)) for a in agencies}
        have = IndexSnapshot.objects.filter(
            _recent(date_to, now=now, max_age=None),
            scope_key__in=keys,
            date_from=date_from,
            date_to=date_to,
            definition=definition_key(),
        ).count()
        if have < len(keys):
            computed += len(keys) - have
            stored_indexes(agencies=agencies, date_from=date_from, date_to=date_to, now=now)
    return computed
