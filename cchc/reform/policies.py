"""Who may do what with the PAR Index. Pure functions of the user's role, agency and unit.

- every member of staff of the agency sees its PAR Index (leaders, the reform officer, unit
  heads, specialists, the one-stop counter, the administrator);
- the reform officer and the administrator manage it: load templates, edit any criterion,
  assign the responsible unit, enter the appraisal;
- a unit head sets the self-score, notes and evidence of the criteria their unit answers for;
- applicants and anonymous visitors see nothing.
"""

from cchc.accounts.roles import HEADS_UNIT, MANAGES_REFORM, is_staff_role


def _active_staff(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and is_staff_role(user.role)
        and user.agency_id is not None
    )


def may_view(user) -> bool:
    return _active_staff(user)


def may_manage(user, agency_id: int | None = None) -> bool:
    """Load templates, assign units, enter the appraisal (in `agency_id`, when given)."""
    if not _active_staff(user) or user.role not in MANAGES_REFORM:
        return False
    return agency_id is None or user.agency_id == agency_id


def may_edit_criterion(user, criterion) -> bool:
    """Self-score, notes and evidence of this criterion."""
    if not _active_staff(user) or user.agency_id != criterion.par_year.agency_id:
        return False
    if user.role in MANAGES_REFORM:
        return True
    return (
        user.role in HEADS_UNIT
        and user.unit_id is not None
        and criterion.responsible_unit_id is not None
        and criterion.responsible_unit_id == user.unit_id
    )
