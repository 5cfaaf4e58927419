"""Who may see and change procedure reviews. Pure functions of the user's role, agency and unit.

The reform officer and the administrator run the rounds; the leadership reads them all; a unit
head reads, and edits, the reviews of the procedures their unit leads. Everybody else: 403.
"""

from cchc.accounts.roles import HEADS_UNIT, MANAGES_REFORM, READS_AGENCY_REPORTS, READS_UNIT_REPORTS


def _active_staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.agency_id is not None


def may_view(user) -> bool:
    """May open the simplification pages at all."""
    return (
        _active_staff(user) and user.role in READS_UNIT_REPORTS and (user.role not in HEADS_UNIT or bool(user.unit_id))
    )


def sees_whole_agency(user) -> bool:
    """Sees every review of the agency (otherwise only those of the user's unit)."""
    return _active_staff(user) and user.role in READS_AGENCY_REPORTS


def may_manage_rounds(user) -> bool:
    """Creates and closes rounds, adds procedures to them."""
    return _active_staff(user) and user.role in MANAGES_REFORM


def review_unit_id(review) -> int | None:
    """The unit that leads the reviewed procedure (the reviewed version's lead unit)."""
    return review.version.unit_id


def may_view_review(user, review) -> bool:
    if not may_view(user) or review.round.agency_id != user.agency_id:
        return False
    return sees_whole_agency(user) or review_unit_id(review) == user.unit_id


def may_edit_review(user, review) -> bool:
    """Changes the review's figures and proposals (whether the round is still open is the
    services' check, which says so)."""
    if not may_view_review(user, review):
        return False
    if user.role in MANAGES_REFORM:
        return True
    return user.role in HEADS_UNIT and review_unit_id(review) == user.unit_id
