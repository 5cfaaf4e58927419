"""Every way in is under one lockout policy (growing waits, by account and by address), staff use a
second factor, and sessions end when the issue says."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cchc.accounts import lockout
from cchc.accounts import middleware as session_middleware
from cchc.dossiers.tests.helpers import user

pytestmark = pytest.mark.django_db
LOGIN = "/tai-khoan/login/"
PASSWORD = "demo12345"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


class Clock:
    def __init__(self, monkeypatch, *modules):
        self.now = 1_900_000_000.0
        fake = type("FakeTime", (), {"time": staticmethod(lambda: self.now)})
        for module in modules:
            monkeypatch.setattr(module, "time", fake)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, lockout, session_middleware)


def _web_login(client, username, password, ip="198.51.100.1"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", ["/quan-tri/login/", "/cms/login/"])
def test_admin_and_cms_logins_send_to_the_one_login_page(client, demo, path):
    response = client.get(path + "?next=/quan-tri/dossiers/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    for _ in range(30):
        client.post(path, {"username": "quantri", "password": "wrong-guess"})
    client.post(path, {"username": "quantri", "password": PASSWORD})
    assert not _signed_in(client)  # the old form took 30 wrong passwords, then the right one


def test_unauthenticated_admin_and_cms_pages_lead_to_the_login_page(client, demo):
    admin = client.get("/quan-tri/", follow=True)
    cms = client.get("/cms/", follow=True)
    assert admin.redirect_chain[-1][0].startswith(LOGIN) and cms.redirect_chain[-1][0].startswith(LOGIN)


def test_wrong_passwords_make_the_account_wait_longer_and_longer(client, demo, clock, settings):
    settings.CCHC_LOGIN_FREE_FAILURES = 3
    for _ in range(3):  # free
        _web_login(client, "lanhdao", "wrong")
    _web_login(client, "lanhdao", "wrong")  # the fourth failure: the next attempt waits 1 s
    refused = _web_login(client, "lanhdao", PASSWORD)
    assert not _signed_in(client) and "Vui lòng thử lại sau" in refused.content.decode()
    clock.advance(2)
    _web_login(client, "lanhdao", "wrong")  # the fifth: now 2 s
    clock.advance(1)
    _web_login(client, "lanhdao", PASSWORD)
    assert not _signed_in(client)
    clock.advance(2)
    _web_login(client, "lanhdao", PASSWORD)
    assert _signed_in(client)


def test_the_account_wait_has_a_short_ceiling_so_an_attacker_cannot_lock_staff_out(client, demo, clock, settings):
    settings.CCHC_LOGIN_MAX_DELAY_ACCOUNT_SECONDS = 60
    for i in range(40):  # from many addresses, so only the account counts
        _web_login(client, "lanhdao", "wrong", ip=f"203.0.113.{i + 1}")
        clock.advance(61)
    assert lockout.seconds_to_wait(username="lanhdao", ip="192.0.2.50") <= 60
    clock.advance(61)
    _web_login(client, "lanhdao", PASSWORD, ip="192.0.2.50")
    assert _signed_in(client)


def test_one_address_guessing_many_accounts_waits(client, demo, clock, settings):
    settings.CCHC_LOGIN_FREE_FAILURES = 2  # an address gets 8 free failures
    for name in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]:
        _web_login(client, f"guess-{name}", "wrong", ip="203.0.113.99")
    _web_login(client, "congdan", PASSWORD, ip="203.0.113.99")
    assert not _signed_in(client)
    _web_login(client, "congdan", PASSWORD, ip="198.51.100.7")  # the account itself is fine elsewhere
    assert _signed_in(client)


def test_the_api_token_endpoint_is_under_the_same_policy(client, demo, clock, settings):
    settings.CCHC_LOGIN_FREE_FAILURES = 2
    for _ in range(3):
        _web_login(client, "motcua", "wrong")
    response = client.post(
        "/api/v1/auth/token", {"username": "motcua", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429 and response.json()["code"] == "login_wait"


@given(st.integers(0, 200), st.integers(0, 200), st.integers(1, 5000))
def test_waits_never_shrink_with_more_failures_and_never_pass_the_ceiling(fewer, more, ceiling):
    fewer, more = sorted((fewer, more))
    wait = lockout.Failures  # (count, time of the last failure)
    assert wait(fewer, 0).wait(free=5, ceiling=ceiling, now=0) <= wait(more, 0).wait(free=5, ceiling=ceiling, now=0)
    assert wait(more, 0).wait(free=5, ceiling=ceiling, now=0) <= ceiling


# ---------------------------------------------------------------- second factor


def _totp(username: str) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user(username), secret)
    return secret


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_staff_without_a_second_factor_are_sent_to_enrol_when_required(client, demo, settings):
    settings.CCHC_MFA_REQUIRED_FOR_STAFF = True
    _web_login(client, "motcua", PASSWORD)
    response = client.get(reverse("dossiers:office_home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    confirm = client.get(reverse("mfa_activate_totp"), follow=True)  # the password once more, then enrol
    assert confirm.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    enrol = client.post(confirm.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert enrol.status_code == 200 and enrol.request["PATH_INFO"] == reverse("mfa_activate_totp")
    assert "Bật ứng dụng xác thực" in enrol.content.decode()
    client.force_login(user("congdan"))
    assert client.get(reverse("dossiers:my_list")).status_code == 200  # optional for citizens


def test_demo_settings_let_staff_in_with_the_password_alone(client, demo):
    _web_login(client, "motcua", PASSWORD)
    assert _signed_in(client)
    assert client.get(reverse("dossiers:office_home")).status_code == 200


def test_a_staff_member_with_an_authenticator_app_signs_in_with_its_code(client, demo, settings):
    settings.CCHC_MFA_REQUIRED_FOR_STAFF = True
    secret = _totp("motcua")
    response = _web_login(client, "motcua", PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate") and not _signed_in(client)
    client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert _signed_in(client)
    assert client.get(reverse("dossiers:office_home")).status_code == 200


def test_api_tokens_need_the_second_factor_too(client, demo, settings):
    settings.CCHC_MFA_REQUIRED_FOR_STAFF = True
    token = "/api/v1/auth/token"
    refused = client.post(token, {"username": "motcua", "password": PASSWORD}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_enrolment_required"
    secret = _totp("motcua")
    missing = client.post(token, {"username": "motcua", "password": PASSWORD}, content_type="application/json")
    assert missing.status_code == 401 and missing.json()["code"] == "otp_required"
    payload = {"username": "motcua", "password": PASSWORD, "otp": _code(secret)}
    assert client.post(token, payload, content_type="application/json").status_code == 200
    citizen = client.post(token, {"username": "congdan", "password": PASSWORD}, content_type="application/json")
    assert citizen.status_code == 200  # applicants without a second factor keep using the API as before


# ---------------------------------------------------------------- session lifetimes


def test_a_staff_session_ends_after_30_idle_minutes(client, demo, clock):
    _web_login(client, "motcua", PASSWORD)
    clock.advance(29 * 60)
    assert client.get(reverse("dossiers:office_home")).status_code == 200
    clock.advance(31 * 60)
    response = client.get(reverse("dossiers:office_home"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not _signed_in(client)


def test_a_staff_session_ends_after_12_hours_however_busy(client, demo, clock):
    _web_login(client, "motcua", PASSWORD)
    for _ in range(12 * 3):
        clock.advance(20 * 60)
        client.get(reverse("dossiers:office_home"))
    clock.advance(20 * 60)
    assert client.get(reverse("dossiers:office_home")).status_code == 302
    assert not _signed_in(client)


def test_a_citizen_session_lasts_two_idle_hours(client, demo, clock):
    _web_login(client, "congdan", PASSWORD)
    clock.advance(100 * 60)
    assert client.get(reverse("dossiers:my_list")).status_code == 200
    clock.advance(121 * 60)
    assert client.get(reverse("dossiers:my_list")).status_code == 302


def test_the_second_factor_pages_speak_vietnamese(client, demo):
    _web_login(client, "congdan", PASSWORD)
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Xác thực hai lớp" in page and "Ứng dụng xác thực" in page and "Mã khôi phục" in page
    assert "Authenticator App" not in page and "Recovery Codes" not in page and "Security Keys" not in page
