"""Sign-up can only ever make applicants; staff accounts are created by an administrator."""

import hashlib

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from cchc.audit.services import client_ip
from cchc.core import integrations
from cchc.core.errors import ApplicationError

from . import vneid
from .models import User
from .roles import APPLICANT_ROLES, Role, is_staff_role
from .selectors import portal_name
from .services import user_identity_apply, verified_account_for
from .vneid import Identity, identity_from_claims

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
    """Sign-in through the national e-ID (VNeID, OpenID Connect; its profile in `vneid`).

    - A known VNeID account signs in, and its identity is refreshed from the claims.
    - A new VNeID account whose personal ID number an account already verified is linked to it.
    - A new VNeID account whose number an unverified account declared: the holder must sign in with
      the password first and link VNeID from there (so nobody takes over an account by declaring
      someone else's number, nor gets one by declaring theirs).
    - Otherwise a new applicant account is made. Staff accounts are never linked.
    """

    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        simulated = _simulator_app()
        wanted = provider in (None, "openid_connect", settings.OIDC_PROVIDER["provider_id"])
        if simulated is not None and wanted and client_id in (None, simulated.client_id):
            apps.append(simulated)
        return apps

    def get_requests_session(self):
        return integrations.http_session()

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.role = Role.CITIZEN
        user.is_staff = False
        user.is_superuser = False
        identity = _identity(sociallogin)
        name = " ".join(part for part in (data.get("last_name"), data.get("first_name")) if part)
        user.full_name = identity.name or data.get("name") or name
        user.phone = identity.phone
        user.email = identity.email or user.email or ""
        if user.email and User.objects.filter(email__iexact=user.email).exists():
            user.email = ""  # another account's address: the new account is made without one
        if not user.username:
            user.username = "vneid-" + hashlib.sha256(sociallogin.account.uid.encode()).hexdigest()[:10]
        return user

    def pre_social_login(self, request, sociallogin):
        identity = _identity(sociallogin)
        if sociallogin.is_existing:
            _apply(request, sociallogin.user, identity)
            return
        if request.user.is_authenticated:  # linking from the account page; applied when added (signals)
            if request.user.role not in APPLICANT_ROLES or verified_account_for(
                identity.id_number, exclude=request.user
            ):
                messages.error(request, _("Không liên kết được: số định danh này đã gắn với một tài khoản khác."))
                raise ImmediateHttpResponse(redirect("socialaccount_connections"))
            return
        verified = verified_account_for(identity.id_number)
        if verified is not None and identity.is_verified(minimum_level=settings.CCHC_VNEID_VERIFIED_LEVEL):
            sociallogin.connect(request, verified)
            _apply(request, verified, identity)
            return
        declared = User.objects.filter(id_number=identity.id_number, is_active=True).exclude(id_number="")
        if declared.exists():
            messages.info(
                request,
                _(
                    "Số định danh này đã được khai báo cho một tài khoản. Vui lòng đăng nhập bằng mật khẩu của "
                    "tài khoản đó, rồi liên kết VNeID trong trang Tài khoản liên kết."
                ),
            )
            raise ImmediateHttpResponse(
                redirect(f"{reverse('account_login')}?next={reverse('socialaccount_connections')}")
            )

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        _apply(request, user, _identity(sociallogin))
        return user


def _simulator_app():
    """The VNeID simulator as the provider, while no real one is configured and the simulators are on."""
    from allauth.socialaccount.models import SocialApp

    configured = settings.OIDC_PROVIDER
    real = configured["client_id"] or settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect")
    if real or not integrations.simulators_enabled():
        return None
    return SocialApp(
        provider="openid_connect",
        provider_id=configured["provider_id"],
        name=configured["name"],
        client_id=vneid.SIMULATOR_CLIENT_ID,
        secret=vneid.SIMULATOR_CLIENT_SECRET,
        settings={**configured["settings"], "server_url": integrations.simulator_url("vneid")},
    )


def _identity(sociallogin) -> Identity:
    data = sociallogin.account.extra_data or {}
    claims = {**(data.get("id_token") or {}), **(data.get("userinfo") or {})} if "userinfo" in data else data
    return identity_from_claims({"sub": sociallogin.account.uid, **claims})


def apply_identity_of(request, sociallogin) -> None:
    """After VNeID was linked to the signed-in account (`social_account_added`)."""
    _apply(request, sociallogin.user, _identity(sociallogin))


def _apply(request, user, identity: Identity) -> None:
    try:
        user_identity_apply(user=user, identity=identity, ip=client_ip(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        raise ImmediateHttpResponse(redirect("account_login")) from exc
