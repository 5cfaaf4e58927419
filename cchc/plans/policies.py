"""Who may see and do what in plans and commitments. Pure functions of the user's role and unit."""

from cchc.accounts.roles import MANAGES_REFORM, READS_AGENCY_REPORTS, WORKS_IN_UNIT, Role

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
        and user.role not in (Role.CITIZEN, Role.BUSINESS)
    )


def may_edit_plan(user, agency_id) -> bool:
    return _staff_of(user, agency_id) and user.role in MANAGES_REFORM


def may_see_late(user) -> bool:
    """The late-task list: leadership, the reform officer and administrator (all units), unit heads (theirs)."""
    return (
        user is not None
        and user.is_authenticated
        and (user.role in READS_AGENCY_REPORTS or (user.role == Role.UNIT_HEAD and user.unit_id is not None))
    )


def may_move_task(user, task, agency_id) -> bool:
    """Change a task's status: plan editors, the unit's head, and the lead person."""
    if not _staff_of(user, agency_id):
        return False
    if user.role in MANAGES_REFORM:
        return True
    if user.role == Role.UNIT_HEAD and user.unit_id == task.unit_id:
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
    return user.role in MANAGES_REFORM or (user.role == Role.UNIT_HEAD and user.unit_id == commitment.unit_id)


def may_sign_commitment(user, commitment) -> bool:
    """Only the head of the committed unit signs for it."""
    return _staff_of(user, commitment.agency_id) and user.role == Role.UNIT_HEAD and user.unit_id == commitment.unit_id


def may_countersign_commitment(user, commitment) -> bool:
    return _staff_of(user, commitment.agency_id) and user.role == Role.LEADER


def may_see_briefing(user, unit_id) -> bool:
    """The monthly briefing: the agency-wide roles, and the unit's head for their unit."""
    if user is None or not user.is_authenticated:
        return False
    return user.role in READS_AGENCY_REPORTS or (user.role == Role.UNIT_HEAD and user.unit_id == unit_id)
