"""Production: PostgreSQL through DATABASE_URL, secrets from the environment.

`cchc.core.checks` refuses to start (every management command, and the WSGI application the
production server loads) when these settings contradict each other or keep a development value.
"""

from .base import *  # noqa: F403
from .env import env_bool, env_str

CCHC_PRODUCTION = True
DEBUG = env_bool("DJANGO_DEBUG", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS only: every plain-HTTP request is redirected, and browsers remember it for a year, subdomains
# included. Behind a proxy that ends TLS, the proxy must send X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Every staff member signs in with a second factor (set false only while enrolling a new installation).
CCHC_MFA_REQUIRED_FOR_STAFF = env_bool("CCHC_MFA_REQUIRED_FOR_STAFF", True)
# Never the demo merchant: without the merchant's own code and secret online payment is off (the
# citizen is told to pay at the counter) and `check --deploy` reports payments.E001.
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE", "")
VNPAY_HASH_SECRET = env_str("VNPAY_HASH_SECRET", "")
PAYGOV_MERCHANT_CODE = env_str("PAYGOV_MERCHANT_CODE", "")
PAYGOV_SECRET = env_str("PAYGOV_SECRET", "")
# E-receipts only once the agency's provider is configured (CCHC_RECEIPT_PROVIDER=vnpt|viettel and its URL).
CCHC_RECEIPT_PROVIDER = env_str("CCHC_RECEIPT_PROVIDER", "", choices=("", "vnpt", "viettel"))
# Never the simulators in production: `check` refuses them being on, and any provider URL at the
# simulator server's address (cchc.core.checks).
CCHC_SIMULATORS = env_bool("CCHC_SIMULATORS", env_bool("CCHC_PAYMENT_SIMULATOR", False))
# One JSON object per log line (time, level, logger, message, request_id, the request's method, path,
# status and duration), for the installation's log collector.
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
