"""Questions about a person's place in the province, answered from the capabilities in `roles`.

Views, templates (through the `can` context processor) and the other apps' policies ask these
questions; none of them compares a role itself."""

from .models import Agency
from .roles import (
    ADMINISTERS_SYSTEM,
    APPLICANT_ROLES,
    HEADS_UNIT,
    LEADS_AGENCY,
    OVERSEES_PROVINCE,
    RECEIVES_AT_COUNTER,
    is_staff_role,
)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _active_staff(user) -> bool:
    return _signed_in(user) and bool(user.agency_id)


def is_applicant(user) -> bool:
    """A citizen or a business representative: lodges dossiers and sees their own."""
    return _signed_in(user) and user.role in APPLICANT_ROLES


def is_staff(user) -> bool:
    """Anyone who works in the system (an agency's people or its administrator)."""
    return _signed_in(user) and is_staff_role(user.role)


def is_counter_officer(user) -> bool:
    """A one-stop officer: takes dossiers at their agency's counter."""
    return _active_staff(user) and user.role in RECEIVES_AT_COUNTER


def heads_unit(user) -> bool:
    """The head of a unit (the unit is `user.unit`)."""
    return _active_staff(user) and user.role in HEADS_UNIT and bool(user.unit_id)


def leads_agency(user) -> bool:
    """A leader of their agency."""
    return _active_staff(user) and user.role in LEADS_AGENCY


def administers_system(user) -> bool:
    """The installation's administrator."""
    return _signed_in(user) and user.role in ADMINISTERS_SYSTEM


def oversees_province(user) -> bool:
    """A provincial leader or the provincial reform office: reads every agency of the province."""
    return _active_staff(user) and user.role in OVERSEES_PROVINCE and user.agency.level == Agency.Level.PROVINCE


def is_centre_officer(user) -> bool:
    """A one-stop officer of a centre or a commune: receives for any agency of the province."""
    return _active_staff(user) and user.role in RECEIVES_AT_COUNTER and user.agency.receives_for_province
