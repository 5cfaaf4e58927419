"""Background work of the reports: the monthly rollups and index snapshots the pages read.

`manage.py run_scheduler` calls `refresh_rollups_enqueue` every few minutes; a refresh is queued
when none is waiting and none has been queued for `CCHC_REPORTS_REFRESH_MINUTES` (default 60).
"""

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cchc.dossiers.selectors import agencies_with_dossiers

from .snapshots import refresh_interval


@task()
def refresh_rollups() -> dict:
    """For every agency that has dossiers: the dashboards' monthly rollups, and the index of the year
    and the month so far for the agency and each unit that leads a procedure."""
    from .dashboards import leading_units, refresh_trends
    from .snapshots import refresh_snapshots

    done = {}
    for agency in agencies_with_dossiers():
        now = timezone.now()
        done[agency.code] = {
            "trend_scopes": refresh_trends(agency=agency, now=now),
            "snapshots": refresh_snapshots(agency=agency, units=leading_units(agency), now=now),
        }
    return done


def refresh_rollups_enqueue() -> bool:
    """Queue a refresh unless one is waiting or one was queued recently; True when one was queued."""
    path = refresh_rollups.module_path
    waiting = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
    recent = DBTaskResult.objects.filter(task_path=path, enqueued_at__gte=timezone.now() - refresh_interval()).exclude(
        status=TaskResultStatus.FAILED
    )
    if waiting.exists() or recent.exists():
        return False
    refresh_rollups.enqueue()
    return True
