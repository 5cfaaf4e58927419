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
