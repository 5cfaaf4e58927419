"""Who may see and do what in plans and commitments. Pure functions of the user's role and unit."""

from cchc.accounts.roles import (
    HEADS_UNIT,
    LEADS_AGENCY,
    MANAGES_REFORM,
    READS_AGENCY_REPORTS,
    WORKS_IN_UNIT,
    is_staff_role,
)

# See every unit's tasks, commitments and briefings of their agency.
# Keep the plan: create it, add and edit tasks, create remediation tasks.
# Members of a unit who report on its tasks.


def _staff_of(user, agency_id) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and user.agency_id == agency_id
        and is_staff_role(user.role)
    )


def is_agency_staff(user) -> bool:
    """Staff of an agency: see its plan and their unit's work."""
    return user is not None and _staff_of(user, user.agency_id)


def may_edit_plan(user, agency_id) -> bool:
    return _staff_of(user, agency_id) and user.role in MANAGES_REFORM


def may_see_late(user) -> bool:
    """The late-task list: leadership, the reform officer and administrator (all units), unit heads (theirs)."""
    return (
        user is not None
        and user.is_authenticated
        and (user.role in READS_AGENCY_REPORTS or (user.role in HEADS_UNIT and user.unit_id is not None))
    )


def may_move_task(user, task, agency_id) -> bool:
    """Change a task's status: plan editors, the unit's head, and the lead person."""
    if not _staff_of(user, agency_id):
        return False
    if user.role in MANAGES_REFORM:
        return True
    if user.role in HEADS_UNIT and user.unit_id == task.unit_id:
        return True
    return task.lead_id is not None and task.lead_id == user.pk


def may_report(user, task, agency_id) -> bool:
    """Report progress: those who may move the task, and members of its unit."""
    if may_move_task(user, task, agency_id):
        return True
    return _staff_of(user, agency_id) and user.role in WORKS_IN_UNIT and user.unit_id == task.unit_id


def may_see_unit(user, unit_id) -> bool:
    """Figures and commitments of a unit: the agency-wide roles, and the unit's own staff."""
    if user is None or not user.is_authenticated:
        return False
    return user.role in READS_AGENCY_REPORTS or (user.role in WORKS_IN_UNIT and user.unit_id == unit_id)


def may_edit_commitment(user, commitment) -> bool:
    """Draft and edit: plan editors, or the head of the committed unit."""
    if not _staff_of(user, commitment.agency_id):
        return False
    return user.role in MANAGES_REFORM or (user.role in HEADS_UNIT and user.unit_id == commitment.unit_id)


def may_sign_commitment(user, commitment) -> bool:
    """Only the head of the committed unit signs for it."""
    return _staff_of(user, commitment.agency_id) and user.role in HEADS_UNIT and user.unit_id == commitment.unit_id


def may_countersign_commitment(user, commitment) -> bool:
    return _staff_of(user, commitment.agency_id) and user.role in LEADS_AGENCY


def may_see_briefing(user, unit_id) -> bool:
    """The monthly briefing: the agency-wide roles, and the unit's head for their unit."""
    if user is None or not user.is_authenticated:
        return False
    return user.role in READS_AGENCY_REPORTS or (user.role in HEADS_UNIT and user.unit_id == unit_id)


def sees_every_unit(user) -> bool:
    """Leadership, the reform office and the administrator read every unit of the agency."""
    return user.role in READS_AGENCY_REPORTS


def draftable_units(user, units):
    """The units whose commitment `user` may draft: all for plan editors, their own for a unit head."""
    if user.role in MANAGES_REFORM:
        return units
    return units.filter(pk=user.unit_id) if user.role in HEADS_UNIT else units.none()


def may_see_shortcomings(user) -> bool:
    """The remediation of the last appraisal's shortcomings: the agency-wide readers and unit heads."""
    return user.role in READS_AGENCY_REPORTS or user.role in HEADS_UNIT
