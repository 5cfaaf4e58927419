"""Who may compose a result and when the applicant gets it. Reads only."""

from cchc.accounts.roles import COMPOSES_RESULTS, is_staff_role
from cchc.dossiers.models import Dossier
from cchc.dossiers.workflow import Status
from cchc.procedures.models import ProcedureVersion

# The draft is written while the dossier is handled, up to the decision; once signed it is fixed.
COMPOSABLE = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.APPROVED})


def is_electronic(dossier: Dossier) -> bool:
    return dossier.procedure_version.result_type == ProcedureVersion.ResultType.ELECTRONIC


def may_compose(user, dossier: Dossier) -> bool:
    """Specialists, unit heads and leaders of the dossier's agency (callers check visibility)."""
    return (
        user is not None
        and user.is_authenticated
        and user.role in COMPOSES_RESULTS
        and user.agency_id is not None
        and user.agency_id == dossier.agency_id
    )


def released_to(user, dossier: Dossier) -> bool:
    """Staff see the signed result at once; the applicant once the counter has returned it, so a
    fee due before the result (and any other check on returning) cannot be bypassed."""
    if is_staff_role(user.role):
        return True
    return dossier.status == Status.RETURNED
