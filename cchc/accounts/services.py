"""Writes for the organisation and users."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.core.errors import ApplicationError

from .models import Agency, Unit, User
from .roles import Role, is_staff_role
from .validators import is_agency_code


@transaction.atomic
def agency_upsert(
    *,
    code: str,
    name: str,
    parent_name: str = "",
    place_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    office_hours: tuple[tuple[time, time], tuple[time, time]] | None = None,
) -> Agency:
    """Create the agency with this identifier code, or bring it up to date."""
    if not is_agency_code(code):
        raise ApplicationError(
            _("Mã định danh cơ quan %(code)s không đúng dạng XXX.YY.ZZ.Hnn.") % {"code": code},
            code="invalid_agency_code",
        )
    values = {
        "name": name,
        "parent_name": parent_name,
        "place_name": place_name,
        "address": address,
        "phone": phone,
        "email": email,
    }
    if office_hours:
        (
            (values["morning_opens"], values["morning_closes"]),
            (
                values["afternoon_opens"],
                values["afternoon_closes"],
            ),
        ) = office_hours
    agency, _created = Agency.objects.update_or_create(code=code, defaults=values)
    try:
        agency.full_clean()
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages), code="invalid_agency") from exc
    return agency


@transaction.atomic
def unit_upsert(
    *,
    agency: Agency,
    code: str,
    name: str,
    kind: str,
    valid_from: date,
    valid_to: date | None = None,
    parent: Unit | None = None,
    successor: Unit | None = None,
) -> Unit:
    """Create or update the unit `code` of `agency` that starts on `valid_from`."""
    unit, _created = Unit.objects.update_or_create(
        agency=agency,
        code=code,
        valid_from=valid_from,
        defaults={"name": name, "kind": kind, "valid_to": valid_to, "parent": parent, "successor": successor},
    )
    try:
        unit.full_clean()
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages), code="invalid_unit") from exc
    return unit


@transaction.atomic
def user_upsert(
    *,
    username: str,
    password: str | None,
    role: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    agency: Agency | None = None,
    unit: Unit | None = None,
) -> User:
    """Create or update a user; staff roles get access to the back office (admin)."""
    if role not in Role.values:
        raise ApplicationError(_("Vai trò không hợp lệ."), code="invalid_role")
    user, created = User.objects.get_or_create(username=username)
    user.role = role
    user.full_name = full_name
    user.email = email
    user.phone = phone
    user.agency = agency
    user.unit = unit
    user.is_staff = is_staff_role(role)
    user.is_superuser = role == Role.ADMIN
    if password and (created or not user.check_password(password)):
        user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages), code="invalid_user") from exc
    user.save()
    return user
