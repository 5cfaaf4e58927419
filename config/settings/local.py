"""Development and demo: `make run`."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
# make run serves with gunicorn: WhiteNoise serves the static files straight from the apps' folders
# (with DEBUG it uses Django's finders and picks up edits), no collectstatic needed.
# Security keys on http://127.0.0.1 (WebAuthn wants HTTPS elsewhere).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
