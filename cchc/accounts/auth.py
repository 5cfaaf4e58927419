"""Who is calling the API, and how often.

A client sends `Authorization: Bearer <token>` (a token from `POST /api/v1/auth/token`); a
browser signed in to the site is accepted through its session too (with the CSRF check on
writes), so the interactive docs at /api/v1/docs work without a token.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth

from cchc.core import ratelimit
from cchc.core.errors import TooManyRequests

from .services import api_token_user


class BearerAuth(HttpBearer):
    """Resolves a bearer token to its (active) user; unknown or expired tokens are refused."""

    openapi_description = "Khóa lấy từ POST /api/v1/auth/token, gửi trong tiêu đề Authorization: Bearer <khóa>."

    def authenticate(self, request, token: str):
        user = api_token_user(raw=token.strip())
        if user is not None:
            request.user = user
        return user


# Every protected endpoint: a bearer token, or the browser's session.
api_auth = [BearerAuth(), django_auth]


def rate_limit(*, scope: str, key: str, limit: int, message: str | None = None) -> None:
    """Count one request of `key` in `scope`; refuse with 429 once `limit` per minute is passed."""
    if not ratelimit.hit(scope=scope, key=key, limit=limit):
        raise TooManyRequests(message or _("Bạn đã gửi quá nhiều yêu cầu; vui lòng thử lại sau một phút."))


def token_rate_per_minute() -> int:
    return settings.CCHC_API_TOKEN_RATE_PER_MINUTE


def second_factor_check(*, user, code: str, ip: str | None = None) -> None:
    """A token is issued on the password alone only to an account without a second factor; staff
    must have one when CCHC_MFA_REQUIRED_FOR_STAFF is on."""
    from allauth.mfa.models import Authenticator

    from cchc.core.errors import PermissionDenied, Unauthenticated

    from . import lockout
    from .roles import is_staff_role

    codes = list(
        Authenticator.objects.filter(user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES])
    )
    if not any(a.type == Authenticator.Type.TOTP for a in codes):
        if settings.CCHC_MFA_REQUIRED_FOR_STAFF and is_staff_role(user.role):
            raise PermissionDenied(
                _("Tài khoản cán bộ phải bật xác thực hai lớp trên trang /tai-khoan/2fa/ trước khi lấy khóa API."),
                code="mfa_enrolment_required",
            )
        return
    for authenticator in codes:
        if code and authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return
    lockout.record_failure(username=user.get_username(), ip=ip or "unknown")
    raise Unauthenticated(
        _("Cần mã xác thực hai lớp (otp) đúng từ ứng dụng xác thực hoặc một mã khôi phục."), code="otp_required"
    )
