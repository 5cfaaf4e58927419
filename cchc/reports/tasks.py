"""Background work of the reports: the monthly rollups and index snapshots the pages read.

`manage.py run_scheduler` calls `refresh_rollups_enqueue` every few minutes; a refresh is queued
when none is waiting and none has been queued for `CCHC_REPORTS_REFRESH_MINUTES` (default 60).
"""

from datetime import date, datetime

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cchc.accounts.models import Agency
from cchc.core import clock
from cchc.dossiers.selectors import agencies_with_dossiers

from .config import definition_key
from .dashboards import (
    TREND_MONTHS,
    TREND_RECOMPUTE_MONTHS,
    dashboard_scopes,
    leading_units,
    missing_points,
    month_bounds,
    month_points,
    stored_points,
)
from .models import TrendMonth
from .selectors import make_scope, months_ending, scope_key
from .snapshots import close_period_snapshots, refresh_interval, refresh_snapshots


@task()
def refresh_rollups() -> dict:
    """For every agency that has dossiers: the dashboards' monthly rollups, and the index of the year
    and the month so far for the agency and each unit that leads a procedure; once a month has
    closed, every agency's final index of it (the province's index and the rankings read them)."""
    done = {"closed_period_snapshots": close_period_snapshots(), "province_trend": refresh_province_trend()}
    for agency in agencies_with_dossiers():
        now = clock.now()
        done[agency.code] = {
            "trend_scopes": refresh_trends(agency=agency, now=now),
            "snapshots": refresh_snapshots(agency=agency, units=leading_units(agency), now=now),
        }
    return done


def refresh_rollups_enqueue() -> bool:
    """Queue a refresh unless one is waiting or one was queued recently; True when one was queued."""
    path = refresh_rollups.module_path
    waiting = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
    recent = DBTaskResult.objects.filter(task_path=path, enqueued_at__gte=clock.now() - refresh_interval()).exclude(
        status=TaskResultStatus.FAILED
    )
    if waiting.exists() or recent.exists():
        return False
    refresh_rollups.enqueue()
    return True


def refresh_trends(*, agency: Agency, now: datetime | None = None, recompute: int = TREND_RECOMPUTE_MONTHS) -> int:
    """Store the monthly rollups the dashboards of this month read, for the agency and each unit
    that leads a procedure: the `recompute` months just over are computed again (a dossier finished
    or corrected late still moves them), older months only when they have no rollup yet. For the
    periodic job, so that no visitor waits for a year of dossiers to be read. Returns the scopes."""
    now = now or clock.now()
    today = timezone.localdate(now)
    keys = months_ending(today.year, today.month, TREND_MONTHS)[:-1]
    fresh = keys[-recompute:] if recompute > 0 else []
    scopes = dashboard_scopes(agency=agency, year=today.year, month=today.month, now=now)
    _refresh_trend_scopes(scopes, keys=keys, fresh=fresh, now=now)
    return len(scopes)


def refresh_province_trend(*, now: datetime | None = None, recompute: int = TREND_RECOMPUTE_MONTHS) -> int:
    """`refresh_trends` for the whole province's scope (the provincial leader's dashboard), which
    would otherwise read a year of every agency's dossiers for each visitor. Returns 1."""
    now = now or clock.now()
    today = timezone.localdate(now)
    keys = months_ending(today.year, today.month, TREND_MONTHS)[:-1]
    fresh = keys[-recompute:] if recompute > 0 else []
    first, last = month_bounds(today.year, today.month)
    _refresh_trend_scopes([make_scope(date_from=first, date_to=last, now=now)], keys=keys, fresh=fresh, now=now)
    return 1


def _refresh_trend_scopes(scopes, *, keys, fresh, now: datetime) -> None:
    for scope in scopes:
        older = keys[: len(keys) - len(fresh)]
        stored = stored_points(scope, older)
        missing = [key for key in older if key not in stored]
        points = missing_points(scope, missing) if missing else {}
        if fresh:
            points.update(month_points(scope, fresh))
        trend_months_store(key=scope_key(scope), points={k: p for k, p in points.items() if p["over"]}, now=now)


def trend_months_store(*, key: str, points: dict[tuple[int, int], dict], now: datetime) -> None:
    """Write the rollup rows of scope `key`'s months that are over (one statement)."""
    definition = definition_key()
    rows = [
        TrendMonth(scope_key=key, month=date(y, m, 1), point=point, computed_at=now, definition=definition)
        for (y, m), point in points.items()
    ]
    TrendMonth.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["scope_key", "month"],
        update_fields=["point", "computed_at", "definition"],
    )
