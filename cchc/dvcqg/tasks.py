"""Background work of the DVCQG synchronisation (Django Tasks, database backend).

`send_outbox` is enqueued in the transaction of each change (for its dossier) and by the scheduler for whatever is
due again (retries); `pull_national_dossiers` is queued by the scheduler and by the operator's page.
"""

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cchc.accounts.models import Agency
from cchc.core.jobs import job

from .client import DvcqgError, sync_enabled
from .services import national_pull, outbox_send


@job("dvcqg.send_outbox")
def send_outbox(dossier_id: int | None = None) -> dict:
    report = outbox_send(dossier_id=dossier_id)
    return {"sent": report.sent, "failed": report.failed, "waiting": report.waiting}


@task()
def pull_national_dossiers() -> dict:
    """Pull every agency's dossiers lodged on the portal; an agency the portal refuses is reported."""
    if not sync_enabled():
        return {}
    results = {}
    for agency in Agency.objects.all():
        try:
            report = national_pull(agency=agency)
        except DvcqgError as exc:
            results[agency.code] = {"error": str(exc)}
            continue
        results[agency.code] = {"taken": report.taken, "skipped": report.skipped}
    return results


def _waiting(task_) -> bool:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task_.module_path).exists()


def sync_enqueue() -> bool:
    """The scheduler's tick: send what is due again and pull lodged dossiers, unless already queued."""
    if not sync_enabled():
        return False
    queued = False
    if not _waiting(send_outbox):
        send_outbox.enqueue(None)
        queued = True
    if not _waiting(pull_national_dossiers):
        pull_national_dossiers.enqueue()
        queued = True
    return queued
