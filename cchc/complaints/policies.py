"""Who may answer a complaint. Reads only."""

from cchc.accounts.roles import LEADS_AGENCY, WORKS_IN_UNIT

# Members of the unit the complaint is routed to who may answer for it.


def may_answer(user, complaint) -> bool:
    """A unit head, specialist or counter officer of the complaint's unit, or a leader of its agency."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.agency_id is None or user.agency_id != complaint.agency_id:
        return False
    if user.role in LEADS_AGENCY:
        return True
    return user.role in WORKS_IN_UNIT and user.unit_id is not None and user.unit_id == complaint.unit_id
