"""Writes for the organisation and users."""

import hashlib
import secrets
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied

from .models import Agency, ApiToken, Province, Unit, User
from .roles import ADMINISTERS_SYSTEM, APPLICANT_ROLES, Role, is_staff_role
from .validators import is_agency_code
from .vneid import Identity


@transaction.atomic
def province_upsert(
    *, code: str, name: str, office_hours: tuple[tuple[time, time], tuple[time, time]] | None = None
) -> Province:
    """Create the province with this `Hnn` code, or bring it up to date."""
    province = Province.objects.select_for_update().filter(code=code).first() or Province(code=code)
    province.name = name
    if office_hours:
        (
            (province.morning_opens, province.morning_closes),
            (province.afternoon_opens, province.afternoon_closes),
        ) = office_hours
    _validated(province, code="invalid_province").save()
    return province


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
    province: Province | None = None,
    level: str = Agency.Level.DEPARTMENT,
    parent: Agency | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    successor: Agency | None = None,
) -> Agency:
    """Create the agency with this identifier code, or bring it up to date. Without
    `office_hours` the agency keeps the province's."""
    if not is_agency_code(code):
        raise ApplicationError(
            _("Mã định danh cơ quan %(code)s không đúng dạng XXX.YY.ZZ.Hnn.") % {"code": code},
            code="invalid_agency_code",
        )
    if level not in Agency.Level.values:
        raise ApplicationError(_("Cấp cơ quan “%(level)s” không hợp lệ.") % {"level": level}, code="invalid_level")
    values = {
        "name": name,
        "parent_name": parent_name,
        "place_name": place_name,
        "address": address,
        "phone": phone,
        "email": email,
        "province": province,
        "level": level,
        "parent": parent,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "successor": successor,
    }
    if office_hours:
        (
            (values["morning_opens"], values["morning_closes"]),
            (
                values["afternoon_opens"],
                values["afternoon_closes"],
            ),
        ) = office_hours
    agency = Agency.objects.select_for_update().filter(code=code).first() or Agency(code=code)
    for name_, value in values.items():
        setattr(agency, name_, value)
    _validated(agency, code="invalid_agency").save()
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
    unit = Unit.objects.select_for_update().filter(agency=agency, code=code, valid_from=valid_from).first() or Unit(
        agency=agency, code=code, valid_from=valid_from
    )
    unit.name, unit.kind, unit.valid_to, unit.parent, unit.successor = name, kind, valid_to, parent, successor
    _validated(unit, code="invalid_unit").save()
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
    id_number: str = "",
) -> User:
    """Create or update a user; staff roles get access to the back office (admin). `id_number` is
    declared, not verified (VNeID verifies it at sign-in)."""
    if role not in Role.values:
        raise ApplicationError(_("Vai trò không hợp lệ."), code="invalid_role")
    user = User.objects.select_for_update().filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    user.role = role
    user.full_name = full_name
    user.email = email
    user.phone = phone
    user.agency = agency
    user.unit = unit
    if not user.identity_verified:
        user.id_number = id_number
    user.is_staff = is_staff_role(role)
    user.is_superuser = role in ADMINISTERS_SYSTEM
    if password and (created or not user.check_password(password)):
        user.set_password(password)
    _validated(user, code="invalid_user", exclude=["password"]).save()
    return user


def _validated(instance, *, code: str, exclude: list[str] | None = None):
    """Run the model's own checks before anything is written; refuse with their messages."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ApplicationError("; ".join(exc.messages), code=code) from exc
    return instance


@transaction.atomic
def applicant_profile_update(*, user: User, role: str, full_name: str, phone: str = "") -> User:
    """Complete a citizen's or business's own profile (sign-up). Never grants a staff role."""
    if role not in APPLICANT_ROLES:
        raise ApplicationError(_("Vai trò không hợp lệ."), code="invalid_role")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.role, user.full_name, user.phone = role, " ".join(full_name.split()), phone.strip()
    user.is_staff = user.is_superuser = False
    user.save(update_fields=["role", "full_name", "phone", "is_staff", "is_superuser"])
    return user


# ---------------------------------------------------------------- API tokens

# A token used again within this many seconds does not rewrite `last_used_at`.
_TOKEN_TOUCH_SECONDS = 60


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """A new bearer token for `user`, valid `CCHC_API_TOKEN_DAYS` days (30 by default).

    The raw token is returned once and never stored; the user's expired tokens are removed.
    """
    now = clock.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    raw = secrets.token_urlsafe(32)
    days = settings.CCHC_API_TOKEN_DAYS
    ApiToken.objects.create(user=user, key_hash=_token_hash(raw), expires_at=now + timedelta(days=days))
    return raw


def api_token_user(*, raw: str) -> User | None:
    """The active user holding this unexpired token, or None."""
    if not raw or len(raw) > 200:
        return None
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(raw), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > _TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# ---------------------------------------------------------------- identity (VNeID)


def verified_account_for(id_number: str, *, exclude: User | None = None) -> User | None:
    """The account whose identity VNeID verified for this personal ID number, if any."""
    if not id_number:
        return None
    accounts = User.objects.filter(id_number=id_number, identity_verified=True, is_active=True)
    if exclude is not None:
        accounts = accounts.exclude(pk=exclude.pk)
    return accounts.first()


@transaction.atomic
def user_identity_apply(*, user: User, identity: Identity, ip: str | None = None) -> User:
    """Take what the national e-ID vouches for into the applicant's profile.

    At or above `CCHC_VNEID_VERIFIED_LEVEL` the account becomes `identity_verified` with the name, ID
    number, date of birth and address as given; below it, only the level is kept and nothing the
    applicant declared is overwritten. A staff account is never changed. Another account already
    verified for the same number is a conflict (one person, one verified account).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_staff_role(user.role):
        raise PermissionDenied(_("Tài khoản cán bộ không liên kết với định danh điện tử."), code="staff_account")
    verified = identity.is_verified(minimum_level=settings.CCHC_VNEID_VERIFIED_LEVEL)
    values = {"identity_level": identity.level}
    if verified:
        if verified_account_for(identity.id_number, exclude=user) is not None:
            raise Conflict(_("Số định danh này đã gắn với một tài khoản khác đã xác thực."), code="identity_taken")
        values |= {
            "identity_verified": True,
            "id_number": identity.id_number,
            "full_name": identity.name or user.full_name,
            "birth_date": identity.birth_date,
            "address": identity.address or user.address,
        }
        if not user.identity_verified:
            values["identity_verified_at"] = clock.now()
    elif user.identity_verified and user.id_number != identity.id_number:
        values["identity_verified"] = False  # another person's lower-level account: trust nothing
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if not changed:
        return user
    for name in changed:
        setattr(user, name, values[name])
    user.save(update_fields=changed)
    audit_record(
        action="accounts.identity",
        actor=user,
        object_type="user",
        object_id=user.pk,
        ip=ip,
        data={"verified": user.identity_verified, "level": identity.level, "fields": sorted(changed)},
    )
    return user
