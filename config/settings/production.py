"""Production: PostgreSQL through DATABASE_URL, secrets from the environment.

`cchc.core.checks` refuses to start (every management command, and the WSGI application the
production server loads) when these settings contradict each other or keep a development value.
"""

from .base import *  # noqa: F403
from .env import env_bool

CCHC_PRODUCTION = True
DEBUG = env_bool("DJANGO_DEBUG", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Never the development gateway simulator in production unless explicitly asked for.
CCHC_PAYMENT_SIMULATOR = env_bool("CCHC_PAYMENT_SIMULATOR", False)
