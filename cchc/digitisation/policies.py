"""Who may turn a dossier's scanned paper into data."""

from cchc.dossiers import policies as dossier_policies


def may_digitise(user, document) -> bool:
    """A counter officer of the agency that resolves the dossier."""
    return dossier_policies.may_digitise(user, document.dossier)
