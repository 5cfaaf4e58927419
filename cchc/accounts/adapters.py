"""Sign-up can only ever make applicants; staff accounts are created by an administrator."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from .roles import Role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.role = Role.CITIZEN
        user.is_staff = False
        user.is_superuser = False
        return super().save_user(request, user, form, commit=commit)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.role = Role.CITIZEN
        user.is_staff = False
        user.is_superuser = False
        name = " ".join(part for part in (data.get("last_name"), data.get("first_name")) if part)
        user.full_name = data.get("name") or name
        return user
