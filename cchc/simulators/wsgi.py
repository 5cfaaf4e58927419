"""The simulator server as a WSGI application (for gunicorn, if one prefers it to `python -m cchc.simulators`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.simulators.settings"
application = get_wsgi_application()
