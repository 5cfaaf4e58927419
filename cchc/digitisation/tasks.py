from django_tasks import task


@task()
def digitise(job_id: int) -> str:
    """OCRmyPDF on one scanned paper (minutes of CPU: never in a web request)."""
    from .services import digitisation_run

    return digitisation_run(job_id=job_id).state
