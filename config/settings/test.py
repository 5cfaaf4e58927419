"""The test suite: fast hashing, in-memory files, no network."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105 - tests only
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cchc-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files are served by the test client's staticfiles finders; no collected folder.
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
# /metrics computed afresh on every scrape, so one test's figures never leak into the next.
CCHC_METRICS_CACHE_SECONDS = 0
# The simulator server as the suite names it: conftest.py's transport sends requests for this host to
# the real server (started on first use on a free port) with this Host header.
CCHC_SIMULATORS = True
CCHC_SIMULATOR_URL = "http://simulators.test"
