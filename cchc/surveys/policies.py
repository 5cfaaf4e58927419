"""Who follows up the low satisfaction ratings."""

from cchc.accounts.roles import FOLLOWS_UP_RATINGS


def may_follow_up(user) -> bool:
    """Unit heads (their unit's) and leaders (the agency's): `selectors.follow_ups_visible_to`."""
    return bool(user.is_authenticated and user.is_active and user.role in FOLLOWS_UP_RATINGS)
