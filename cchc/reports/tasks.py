"""Background work of the reports: the monthly rollups the dashboards read.

`manage.py run_scheduler` calls `refresh_rollups_enqueue` every few minutes; a refresh is queued
when none is waiting and none has been queued for `CCHC_TREND_REFRESH_HOURS` hours (default 6).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cchc.accounts.models import Agency
from cchc.dossiers.models import Dossier


def refresh_every() -> timedelta:
    return timedelta(hours=float(getattr(settings, "CCHC_TREND_REFRESH_HOURS", 6)))


@task()
def refresh_rollups() -> dict:
    """Store the dashboards' monthly rollups of every agency that has dossiers."""
    from .dashboards import refresh_trends

    agencies = Agency.objects.filter(Exists(Dossier.objects.filter(agency=OuterRef("pk")))).order_by("code")
    return {agency.code: refresh_trends(agency=agency) for agency in agencies}


def refresh_rollups_enqueue() -> bool:
    """Queue a refresh unless one is waiting or one was queued recently; True when one was queued."""
    path = refresh_rollups.module_path
    waiting = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
    recent = DBTaskResult.objects.filter(task_path=path, enqueued_at__gte=timezone.now() - refresh_every()).exclude(
        status=TaskResultStatus.FAILED
    )
    if waiting.exists() or recent.exists():
        return False
    refresh_rollups.enqueue()
    return True
