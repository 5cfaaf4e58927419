"""One lockout policy for every way in: the web login (which the admin and the CMS send to), and
`POST /api/v1/auth/token`.

Wrong passwords are counted per account and per client address (in the shared cache). The first
`CCHC_LOGIN_FREE_FAILURES` cost nothing; after that each further failure makes the next attempt
wait longer (1 s, 2 s, 4 s, … doubling), up to a ceiling: `CCHC_LOGIN_MAX_DELAY_ACCOUNT_SECONDS`
for the account, `CCHC_LOGIN_MAX_DELAY_ADDRESS_SECONDS` for the address. An attempt during the
wait is refused without the password being checked. There is no hard lock: an attacker who
guesses at a staff member's account can at most make them wait the account's (short) ceiling,
while the address the attacker guesses from waits much longer. A successful sign-in clears the
account's count (never the address's: a valid account of one's own must not reset it).

Counting is done by the `authenticate` backend (`LoginThrottleBackend`, first in
AUTHENTICATION_BACKENDS) and the `user_login_failed` / `user_logged_in` signals, so every caller of
`django.contrib.auth.authenticate` is covered.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.translation import gettext as _

COUNTS_KEPT_SECONDS = 24 * 3600
ATTRIBUTE = "cchc_login_wait"  # set on the request when an attempt was refused for waiting


def _client_ip(request) -> str:
    from cchc.audit.services import client_ip

    return (client_ip(request) if request is not None else "") or "unknown"


def _account_key(username: str) -> str:
    return "login-failures:account:" + (username or "").strip().casefold()[:150]


def _address_key(ip: str) -> str:
    return "login-failures:address:" + ip


@dataclass(frozen=True)
class Failures:
    count: int = 0
    last: float = 0.0

    def wait(self, *, free: int, ceiling: int, now: float) -> int:
        """Seconds still to wait before the next attempt (0: go ahead)."""
        if self.count <= free:
            return 0
        delay = min(ceiling, 2 ** min(self.count - free - 1, 30))
        return max(0, math.ceil(self.last + delay - now))


def _read(key: str) -> Failures:
    value = cache.get(key)
    return Failures(*value) if isinstance(value, tuple | list) and len(value) == 2 else Failures()


def seconds_to_wait(*, username: str, ip: str) -> int:
    """How long this attempt must wait (the longer of the account's and the address's waits)."""
    now = time.time()
    free = settings.CCHC_LOGIN_FREE_FAILURES
    return max(
        _read(_account_key(username)).wait(free=free, ceiling=settings.CCHC_LOGIN_MAX_DELAY_ACCOUNT_SECONDS, now=now)
        if username
        else 0,
        _read(_address_key(ip)).wait(free=free * 4, ceiling=settings.CCHC_LOGIN_MAX_DELAY_ADDRESS_SECONDS, now=now),
    )


def record_failure(*, username: str, ip: str) -> None:
    now = time.time()
    keys = [_address_key(ip)] + ([_account_key(username)] if username else [])
    for key in keys:
        cache.set(key, (_read(key).count + 1, now), COUNTS_KEPT_SECONDS)


def record_success(*, username: str) -> None:
    cache.delete(_account_key(username))


def wait_message(seconds: int) -> str:
    return _("Đăng nhập sai nhiều lần. Vui lòng thử lại sau %(seconds)s giây.") % {"seconds": seconds}


def check(request, username: str) -> int:
    """Seconds this request must wait before trying `username` (marks the request when > 0)."""
    wait = seconds_to_wait(username=username, ip=_client_ip(request))
    if wait and request is not None:
        setattr(request, ATTRIBUTE, wait)
    return wait


class LoginThrottleBackend(ModelBackend):
    """First authentication backend: refuses an attempt that must still wait, before any password
    is checked (PermissionDenied stops `authenticate` from trying the other backends). It grants no
    permission itself; it loads a session's user like ModelBackend (being first, it is the backend
    Django records for `force_login`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get("email") or ""
        if check(request, username):
            raise PermissionDenied
        return None

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, ATTRIBUTE, 0):
        return  # refused for waiting: the password was not even checked
    username = credentials.get("username") or credentials.get("email") or ""
    record_failure(username=username, ip=_client_ip(request))


@receiver(user_logged_in)
def _clear_on_success(sender, request, user, **kwargs):
    record_success(username=user.get_username())
    if user.email:
        record_success(username=user.email)
