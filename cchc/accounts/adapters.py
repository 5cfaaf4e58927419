"""Sign-up can only ever make applicants; staff accounts are created by an administrator."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import gettext_lazy as _

from .roles import Role


class AccountAdapter(DefaultAccountAdapter):
    # allauth ships no Vietnamese catalogue: the messages a citizen meets when signing in or up.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Tài khoản này đang bị khóa."),
        "email_password_mismatch": _("Thư điện tử hoặc mật khẩu không đúng."),
        "email_taken": _("Thư điện tử này đã được dùng cho một tài khoản khác."),
        "incorrect_password": _("Mật khẩu không đúng."),
        "too_many_login_attempts": _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau."),
        "username_blacklisted": _("Không dùng được tên đăng nhập này. Vui lòng chọn tên khác."),
        "username_password_mismatch": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "username_taken": _("Tên đăng nhập này đã có người dùng."),
        "rate_limited": _("Bạn gửi yêu cầu quá nhanh. Vui lòng chờ một lát."),
    }

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
