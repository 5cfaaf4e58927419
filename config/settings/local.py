"""Development and demo: `make run`."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

# Users of `make run` get the Vietnamese error pages; a developer switches Django's debug pages on with
# DJANGO_DEBUG=true.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
# make run serves with gunicorn: WhiteNoise serves the static files straight from the apps' folders
# through Django's finders (and, with DEBUG, picks up edits), no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Security keys on http://127.0.0.1 (WebAuthn wants HTTPS elsewhere).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# make run sends SMS and Zalo through the local simulators (base: off, only logged).
CCHC_SMS_ENABLED = env_bool("CCHC_SMS_ENABLED", True)
CCHC_SMS_PROVIDER = env_str("CCHC_SMS_PROVIDER", "cchc.messaging.providers.BrandnameSms")
CCHC_ZALO_ENABLED = env_bool("CCHC_ZALO_ENABLED", True)
CCHC_ZALO_PROVIDER = env_str("CCHC_ZALO_PROVIDER", "cchc.messaging.providers.ZaloZns")
