"""Questions about a person's place in the province, answered from the capabilities in `roles`."""

from .models import Agency
from .roles import OVERSEES_PROVINCE, RECEIVES_AT_COUNTER


def _active_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.agency_id)


def oversees_province(user) -> bool:
    """A provincial leader or the provincial reform office: reads every agency of the province."""
    return _active_staff(user) and user.role in OVERSEES_PROVINCE and user.agency.level == Agency.Level.PROVINCE


def is_centre_officer(user) -> bool:
    """A one-stop officer of a centre or a commune: receives for any agency of the province."""
    return _active_staff(user) and user.role in RECEIVES_AT_COUNTER and user.agency.receives_for_province
