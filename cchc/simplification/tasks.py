"""Background work of the review of procedures: the candidates page's evidence, computed ahead.

`manage.py run_scheduler` calls `refresh_candidates_enqueue` every few minutes; the evidence of the
default quarter is computed once a day for each agency (the quarter moves with the day).
"""

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cchc.accounts.models import Agency
from cchc.dossiers.selectors import agencies_with_dossiers

from . import selectors


def _missing() -> list[Agency]:
    start, end = selectors.default_period(days=selectors.CANDIDATES_DAYS)
    return [
        agency
        for agency in agencies_with_dossiers()
        if selectors.shared_cache.get(f"simplification:candidates:{agency.pk}:{start}:{end}") is None
    ]


@task()
def refresh_candidates() -> dict:
    start, end = selectors.default_period(days=selectors.CANDIDATES_DAYS)
    return {
        agency.code: len(selectors.agency_candidates(agency=agency, date_from=start, date_to=end, refresh=True))
        for agency in _missing()
    }


def refresh_candidates_enqueue() -> bool:
    """Queue a refresh when an agency's evidence for today's quarter is missing and none is waiting."""
    waiting = DBTaskResult.objects.filter(
        task_path=refresh_candidates.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    if waiting.exists() or not _missing():
        return False
    refresh_candidates.enqueue()
    return True
