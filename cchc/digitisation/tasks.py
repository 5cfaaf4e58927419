from cchc.core.jobs import job

from .services import digitisation_run


@job("digitisation.digitise")
def digitise(job_id: int) -> str:
    """OCRmyPDF on one scanned paper (minutes of CPU: never in a web request)."""
    return digitisation_run(job_id=job_id).state
