"""Who may turn a dossier's scanned paper, a paper result or an archive of old results into data."""

from cchc.accounts.policies import is_counter_officer
from cchc.accounts.roles import DIGITISES_ARCHIVES
from cchc.dossiers import policies as dossier_policies


def may_digitise(user, document) -> bool:
    """A counter officer of the agency that resolves the dossier."""
    return dossier_policies.may_digitise(user, document.dossier)


def may_record_result(user, dossier) -> bool:
    """The counter of the agency that resolved the dossier, or of the point that returns its result."""
    return (
        user.is_authenticated
        and is_counter_officer(user)
        and user.agency_id is not None
        and user.agency_id in (dossier.agency_id, dossier.return_point_id)
    )


def may_import(user, agency) -> bool:
    """An agency's counter or reform office imports its archive of old results."""
    return user is not None and user.role in DIGITISES_ARCHIVES and user.agency_id == agency.pk


def may_confirm(user, job) -> bool:
    """Whoever may start a reading confirms what it proposed."""
    if job.source == job.Source.COMPONENT:
        return may_digitise(user, job.document)
    if job.source == job.Source.RESULT:
        return may_record_result(user, job.dossier)
    return may_import(user, job.agency)
