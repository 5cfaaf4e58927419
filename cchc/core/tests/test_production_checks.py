"""Production refuses to start with inconsistent settings (cchc.core.checks)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from cchc.core.checks import check_production_settings

ROOT = Path(django_settings.BASE_DIR)
STRONG_KEY = "k" * 30 + "abcdefghijklmnopqrstuvwxyz0123456789"
CONSISTENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DATABASE_URL": "postgres://cchc@db.invalid:5432/cchc",
    "REDIS_URL": "redis://cache.invalid:6379/0",
    "CCHC_AUDIT_HMAC_KEY": "audit-" + STRONG_KEY,
    "CCHC_PUBLIC_URL": "https://dichvucong.binhson.gov.vn",
    "DJANGO_ALLOWED_HOSTS": "dichvucong.binhson.gov.vn",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "CCHC_SIGNING_P12_PASSWORD": "the-agency-certificate-password",
    "CCHC_METRICS_TOKEN": "a-token-prometheus-sends",
}


def _manage_check(**variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_consistent_production_configuration_starts():
    done = _manage_check(**CONSISTENT)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_with_development_values_refuses_to_start():
    done = _manage_check(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="short")
    assert done.returncode != 0
    for code in ("cchc.E002", "cchc.E003", "cchc.E004", "cchc.E005", "cchc.E008"):
        assert code in done.stderr
    assert "The database is SQLite" in done.stderr


def test_the_wsgi_application_refuses_to_load_on_an_error():
    """The production server runs no management command: the WSGI module runs the checks itself."""
    variables = {**CONSISTENT, "DJANGO_DEBUG": "true"}
    done = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "cchc.E001" in done.stderr and "DJANGO_DEBUG is on in production" in done.stderr


@pytest.fixture
def production(settings, monkeypatch):
    settings.CCHC_PRODUCTION = True
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.CCHC_AUDIT_HMAC_KEY = "audit-" + STRONG_KEY
    # Only the engine's name is read (no connection); overriding DATABASES itself would upset Django.
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    settings.CCHC_PUBLIC_URL = "https://dichvucong.binhson.gov.vn"
    settings.ALLOWED_HOSTS = [".binhson.gov.vn"]
    settings.SESSION_COOKIE_SECURE = True
    settings.CCHC_SIMULATORS = False
    settings.CCHC_SIGNING_P12_PASSWORD = "the-agency-certificate-password"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.CCHC_METRICS_TOKEN = "a-token-prometheus-sends"
    return settings


def _ids() -> list[str]:
    return [message.id for message in check_production_settings()]


def test_consistent_settings_raise_nothing(production):
    assert _ids() == []


def test_development_and_test_settings_are_not_held_to_production_rules(settings):
    settings.CCHC_PRODUCTION = False
    settings.DEBUG = True
    assert _ids() == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"DEBUG": True}, "cchc.E001"),
        ({"SECRET_KEY": "dev-only-insecure-key-change-me"}, "cchc.E002"),
        ({"SECRET_KEY": "a" * 80}, "cchc.E002"),
        ({"CCHC_AUDIT_HMAC_KEY": ""}, "cchc.E003"),
        ({"CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}}, "cchc.E005"),
        ({"CCHC_PUBLIC_URL": "dichvucong"}, "cchc.E006"),
        ({"CCHC_PUBLIC_URL": "https://dvc.other-province.gov.vn"}, "cchc.E007"),
        ({"CCHC_PUBLIC_URL": "http://dichvucong.binhson.gov.vn"}, "cchc.E008"),
        ({"CCHC_PUBLIC_URL": "http://dichvucong.binhson.gov.vn", "SESSION_COOKIE_SECURE": False}, "cchc.W001"),
        ({"CCHC_SIMULATORS": True}, "cchc.E009"),
        ({"VNPAY_API_URL": "http://simulators.test/vnpay/merchant_webapi/api/transaction"}, "cchc.E010"),
        ({"VNPOST_URL": "http://simulators.test/vnpost"}, "cchc.E010"),
        ({"CCHC_SIGNING_P12_PASSWORD": "demo12345"}, "cchc.W003"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "cchc.W004"),
        ({"CCHC_METRICS_TOKEN": ""}, "cchc.W005"),
    ],
)
def test_each_inconsistency_is_named(production, change, expected):
    for name, value in change.items():
        setattr(production, name, value)
    assert expected in _ids()


def test_the_providers_real_addresses_pass(production):
    production.VNPAY_PAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    production.PAYGOV_API_URL = "https://thanhtoan.dichvucong.gov.vn/api"
    assert _ids() == []


def test_the_former_switch_name_still_turns_the_simulators_on(monkeypatch):
    """CCHC_PAYMENT_SIMULATOR, read when CCHC_SIMULATORS is not set (production's default is off)."""
    import runpy

    monkeypatch.delenv("CCHC_SIMULATORS", raising=False)
    monkeypatch.setenv("CCHC_PAYMENT_SIMULATOR", "true")
    assert runpy.run_module("config.settings.production")["CCHC_SIMULATORS"] is True
    monkeypatch.setenv("CCHC_SIMULATORS", "false")
    assert runpy.run_module("config.settings.production")["CCHC_SIMULATORS"] is False


def test_sqlite_is_refused_in_production(production):
    production.DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"
    assert _ids() == ["cchc.E004"]
