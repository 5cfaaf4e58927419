"""Session lifetimes and the staff's second factor, checked on every request.

- Staff sessions end after `CCHC_STAFF_SESSION_IDLE_MINUTES` without a request and
  `CCHC_STAFF_SESSION_MAX_HOURS` after sign-in; applicants' after
  `CCHC_CITIZEN_SESSION_IDLE_MINUTES` idle. The last-seen time is written at most once a minute.
- With `CCHC_MFA_REQUIRED_FOR_STAFF` (on in production), a staff member without a second factor
  (an authenticator app or a security key) is sent to enrol before any other page; the account
  pages under /tai-khoan/ (enrolment, sign-out) and the API stay reachable (the API asks for the
  code itself).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import is_staff_role

LOGIN_AT = "cchc_login_at"
SEEN_AT = "cchc_seen_at"
MFA_OK = "cchc_mfa_ok"
SEEN_WRITE_EVERY = 60  # seconds


def idle_seconds(user) -> int:
    minutes = (
        settings.CCHC_STAFF_SESSION_IDLE_MINUTES
        if is_staff_role(user.role)
        else (settings.CCHC_CITIZEN_SESSION_IDLE_MINUTES)
    )
    return int(minutes * 60)


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session.set_expiry(idle_seconds(user))


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def _exempt(path: str) -> bool:
    return path.startswith(("/tai-khoan/", "/api/", settings.STATIC_URL))


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            if self._expired(request, user):
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn; vui lòng đăng nhập lại."))
                return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
            if self._must_enrol(request, user):
                messages.warning(
                    request,
                    _("Tài khoản cán bộ phải bật xác thực hai lớp trước khi làm việc: hãy bật ứng dụng xác thực."),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _expired(self, request, user) -> bool:
        session, now = request.session, time.time()
        seen = session.get(SEEN_AT)
        login_at = session.get(LOGIN_AT)
        if seen is None or login_at is None:  # a session from before these limits: start its clock
            session[LOGIN_AT] = login_at or now
            session[SEEN_AT] = now
            session.set_expiry(idle_seconds(user))
            return False
        if now - seen > idle_seconds(user):
            return True
        if is_staff_role(user.role) and now - login_at > settings.CCHC_STAFF_SESSION_MAX_HOURS * 3600:
            return True
        if now - seen > SEEN_WRITE_EVERY:
            session[SEEN_AT] = now
            session.set_expiry(idle_seconds(user))
        return False

    def _must_enrol(self, request, user) -> bool:
        if not settings.CCHC_MFA_REQUIRED_FOR_STAFF or not is_staff_role(user.role) or _exempt(request.path):
            return False
        if request.session.get(MFA_OK):
            return False
        if has_second_factor(user):
            request.session[MFA_OK] = True
            return False
        return True
