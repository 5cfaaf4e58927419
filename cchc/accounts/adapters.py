"""Sign-up can only ever make applicants; staff accounts are created by an administrator."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import resolve_url
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from .roles import Role, is_staff_role
from .selectors import portal_name

# Where a member of staff lands after signing in: the desk of their dossiers.
STAFF_HOME = "dossiers:office_home"


class AccountAdapter(DefaultAccountAdapter):
    # allauth ships no Vietnamese catalogue: every message its account pages can show.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Tài khoản này đang bị khóa."),
        "cannot_remove_primary_email": _("Không thể xóa địa chỉ thư điện tử chính của bạn."),
        "duplicate_email": _("Địa chỉ thư điện tử này đã gắn với tài khoản của bạn."),
        "phone_password_mismatch": _("Số điện thoại hoặc mật khẩu không đúng."),
        "enter_current_password": _("Mật khẩu hiện tại không đúng. Vui lòng nhập lại."),
        "incorrect_code": _("Mã xác nhận không đúng."),
        "invalid_or_expired_key": _("Mã không hợp lệ hoặc đã hết hạn."),
        "invalid_login": _("Đăng nhập không hợp lệ."),
        "invalid_password_reset": _("Đường dẫn đặt lại mật khẩu không hợp lệ."),
        "max_email_addresses": _("Không thể thêm quá %d địa chỉ thư điện tử."),
        "phone_taken": _("Số điện thoại này đã được dùng cho một tài khoản khác."),
        "unknown_email": _("Không có tài khoản nào dùng địa chỉ thư điện tử này."),
        "unknown_phone": _("Không có tài khoản nào dùng số điện thoại này."),
        "unverified_primary_email": _("Địa chỉ thư điện tử chính phải được xác nhận trước."),
        "select_only_one": _("Vui lòng chỉ chọn một."),
        "same_as_current": _("Giá trị mới phải khác giá trị hiện tại."),
        "email_password_mismatch": _("Thư điện tử hoặc mật khẩu không đúng."),
        "email_taken": _("Thư điện tử này đã được dùng cho một tài khoản khác."),
        "incorrect_password": _("Mật khẩu không đúng."),
        "too_many_login_attempts": _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau."),
        "username_blacklisted": _("Không dùng được tên đăng nhập này. Vui lòng chọn tên khác."),
        "username_password_mismatch": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "username_taken": _("Tên đăng nhập này đã có người dùng."),
        "rate_limited": _("Bạn gửi yêu cầu quá nhanh. Vui lòng chờ một lát."),
    }

    def pre_authenticate(self, request, **credentials):
        """The one lockout policy (cchc.accounts.lockout): refuse while the account or address must wait."""
        from django import forms

        from . import lockout

        username = credentials.get("username") or credentials.get("email") or ""
        wait = lockout.check(request, username)
        if wait:
            raise forms.ValidationError(lockout.wait_message(wait))
        super().pre_authenticate(request, **credentials)

    def send_mail(self, template_prefix, email, context):
        # The emails sign with the portal's name, not the request's host name.
        super().send_mail(template_prefix, email, {"site_name": portal_name(), **context})

    def format_email_subject(self, subject):
        if account_settings.EMAIL_SUBJECT_PREFIX is not None:
            return super().format_email_subject(subject)
        return f"[{portal_name()}] {force_str(subject)}"

    def get_login_redirect_url(self, request):
        """Staff land on their desk (their work), applicants where the site sends them (`LOGIN_REDIRECT_URL`).
        An explicit `next` still wins: allauth asks this only when there is none."""
        user = request.user
        if user.is_authenticated and is_staff_role(user.role):
            return resolve_url(STAFF_HOME)
        return super().get_login_redirect_url(request)

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
