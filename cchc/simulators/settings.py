"""The simulator server's own settings: one app, its own SQLite store, no CCHC tables.

The simulators are configured as the real providers would be, from the same environment variables
as CCHC (merchant codes, shared secrets, the receipt pattern and series); `manage.py run_simulators`
passes CCHC's values on, so the two always agree. `SIMULATOR_CCHC_URL` is the merchant's address
the providers call back (the IPN URL registered with VNPAY, PayGov's result URL and return page);
`SIMULATOR_DELIVER_CALLBACKS` off keeps the callbacks recorded without sending them (the test suite
hands them to CCHC through its test client).
"""

import os
from pathlib import Path

from cchc.payments.paygov import DEMO_MERCHANT_CODE as PAYGOV_DEMO_MERCHANT
from cchc.payments.paygov import DEMO_SECRET as PAYGOV_DEMO_SECRET
from cchc.payments.providers import DEMO_HASH_SECRET, DEMO_TMN_CODE


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = _env("SIMULATOR_SECRET_KEY", "simulator-only-not-a-secret")
DEBUG = _env("SIMULATOR_DEBUG", "") in ("1", "true")
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["cchc.simulators"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "cchc.simulators.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _env("SIMULATOR_DB", str(BASE_DIR / "var" / "simulators.sqlite3")),
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
LANGUAGE_CODE = "vi"
USE_I18N = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

# Where the providers call the merchant back, and whether they do (see the module's docstring).
SIMULATOR_CCHC_URL = _env("SIMULATOR_CCHC_URL", "http://127.0.0.1:8000").rstrip("/")
SIMULATOR_DELIVER_CALLBACKS = _env("SIMULATOR_DELIVER_CALLBACKS", "true").lower() in ("1", "true", "yes", "on")

# The merchant's accounts at each provider (the same variables and demo values as CCHC's settings).
VNPAY_TMN_CODE = _env("VNPAY_TMN_CODE", DEMO_TMN_CODE)
VNPAY_HASH_SECRET = _env("VNPAY_HASH_SECRET", DEMO_HASH_SECRET)
PAYGOV_MERCHANT_CODE = _env("PAYGOV_MERCHANT_CODE", PAYGOV_DEMO_MERCHANT)
PAYGOV_SECRET = _env("PAYGOV_SECRET", PAYGOV_DEMO_SECRET)
CCHC_RECEIPT_ACCOUNT = _env("CCHC_RECEIPT_ACCOUNT", "cchcdemoadmin")
CCHC_RECEIPT_ACCOUNT_PASSWORD = _env("CCHC_RECEIPT_ACCOUNT_PASSWORD", "demo-receipt-admin")
CCHC_RECEIPT_USERNAME = _env("CCHC_RECEIPT_USERNAME", "cchcdemoservice")
CCHC_RECEIPT_PASSWORD = _env("CCHC_RECEIPT_PASSWORD", "demo-receipt-service")
CCHC_RECEIPT_PATTERN = _env("CCHC_RECEIPT_PATTERN", "01BLP0-001")
CCHC_RECEIPT_SERIES = _env("CCHC_RECEIPT_SERIES", "BS-26E")
CCHC_RECEIPT_TAX_CODE = _env("CCHC_RECEIPT_TAX_CODE", "0100000000-001")
