"""Who may see and change initiatives. Pure functions of the user's role, agency and unit."""

from cchc.accounts.roles import HEADS_UNIT, MANAGES_REFORM, READS_AGENCY_REPORTS, is_staff_role

# See every initiative of their agency.
# Register and change any initiative of their agency.


def is_staff(user) -> bool:
    """Staff (not applicants) may open the initiatives at all."""
    return _staff(user)


def _staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and is_staff_role(user.role))


def may_view(user, initiative) -> bool:
    """Leaders, the reform officer and the administrator: the agency's; other staff: their unit's."""
    if not _staff(user) or user.agency_id != initiative.agency_id:
        return False
    return user.role in READS_AGENCY_REPORTS or (user.unit_id is not None and user.unit_id == initiative.unit_id)


def may_edit_unit(user, unit) -> bool:
    """May register or change initiatives of `unit`: the reform officer and the administrator
    for any unit of their agency, a unit head for their own unit."""
    if not _staff(user) or unit is None or user.agency_id != unit.agency_id:
        return False
    if user.role in MANAGES_REFORM:
        return True
    return user.role in HEADS_UNIT and user.unit_id == unit.pk


def may_edit(user, initiative) -> bool:
    return (
        user is not None
        and initiative.agency_id == getattr(user, "agency_id", None)
        and may_edit_unit(user, initiative.unit)
    )


def may_register(user) -> bool:
    """May register an initiative for at least one unit."""
    if not _staff(user) or user.agency_id is None:
        return False
    return user.role in MANAGES_REFORM or (user.role in HEADS_UNIT and user.unit_id is not None)
