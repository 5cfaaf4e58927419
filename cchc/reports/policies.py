"""Who may do what with the service index beyond reading it (reading: `selectors.report_scope`)."""

from cchc.accounts.roles import NATIONAL_FIGURE_EDITORS


def may_enter_national_figures(user, agency_id: int | None = None) -> bool:
    """Enter (or remove) the figures of the indicators the national portal measures, for their
    own agency: the reform officer and the administrator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role not in NATIONAL_FIGURE_EDITORS or user.agency_id is None:
        return False
    return agency_id is None or user.agency_id == agency_id
