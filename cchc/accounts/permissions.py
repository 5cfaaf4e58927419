"""What each role may do in the back office, as Django permissions.

Roles, not hand-assigned groups, decide access: a permission string `app.action_model`
is granted when one of the role's patterns matches it (`*` matches anything in its
part). The authentication backend below makes the admin and `has_perm` follow this.
"""

from fnmatch import fnmatchcase

from .roles import Role

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.ADMIN: ("*",),
    Role.REFORM_OFFICER: (
        "procedures.*",
        "accounts.view_agency",
        "accounts.view_unit",
        "core.view_calendaroverride",
    ),
    # The organisation, not the people: user accounts (citizens' among them) stay with the administrator.
    Role.LEADER: ("procedures.view_*", "accounts.view_agency", "accounts.view_unit", "core.view_calendaroverride"),
    Role.UNIT_HEAD: ("procedures.view_*", "accounts.view_unit", "core.view_calendaroverride"),
    Role.SPECIALIST: ("procedures.view_*", "core.view_calendaroverride"),
    Role.ONE_STOP_OFFICER: ("procedures.view_*", "core.view_calendaroverride"),
    Role.CITIZEN: (),
    Role.BUSINESS: (),
}


def role_has_perm(role: str, perm: str) -> bool:
    return any(fnmatchcase(perm, pattern) for pattern in ROLE_PERMISSIONS.get(role, ()))


def role_has_module_perms(role: str, app_label: str) -> bool:
    return any(pattern == "*" or pattern.split(".", 1)[0] == app_label for pattern in ROLE_PERMISSIONS.get(role, ()))


class RolePermissionBackend:
    """Grants permissions from the user's role; authentication stays with ModelBackend."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return bool(user_obj.is_active and role_has_perm(getattr(user_obj, "role", ""), perm))

    def has_module_perms(self, user_obj, app_label) -> bool:
        return bool(user_obj.is_active and role_has_module_perms(getattr(user_obj, "role", ""), app_label))
