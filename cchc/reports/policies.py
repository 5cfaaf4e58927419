"""Who may do what with the service index beyond reading it (reading: `selectors.report_scope`)."""

from cchc.accounts.roles import (
    HEADS_UNIT,
    NATIONAL_FIGURE_EDITORS,
    READS_AGENCY_REPORTS,
    READS_STATUTORY_REPORT,
    READS_UNIT_REPORTS,
    is_staff_role,
)


def may_enter_national_figures(user, agency_id: int | None = None) -> bool:
    """Enter (or remove) the figures of the indicators the national portal measures, for their
    own agency: the reform officer and the administrator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role not in NATIONAL_FIGURE_EDITORS or user.agency_id is None:
        return False
    return agency_id is None or user.agency_id == agency_id


def may_open_reports(user) -> bool:
    """Staff open the report pages; what each sees is `selectors.report_scope`'s rule."""
    return bool(user is not None and user.is_authenticated and is_staff_role(user.role))


def is_officer(person) -> bool:
    """A person a report may be filtered by: a member of staff, not an applicant."""
    return is_staff_role(person.role)


def reads_agency_reports(user) -> bool:
    """The whole agency's dashboards and lists: leaders, the reform officer, the administrator."""
    return user.role in READS_AGENCY_REPORTS


def reads_unit_reports(user) -> bool:
    """A unit's dashboard: the above, and unit heads."""
    return user.role in READS_UNIT_REPORTS


def confined_to_own_unit(user) -> bool:
    """A unit head reads their own unit only."""
    return user.role in HEADS_UNIT


def may_read_statutory_report(user) -> bool:
    return user.role in READS_STATUTORY_REPORT and user.agency is not None
