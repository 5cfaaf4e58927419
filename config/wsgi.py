"""The WSGI application the production server (gunicorn, config/gunicorn.conf.py) loads.

It refuses to load when the system checks find an error (an inconsistent production configuration),
as every management command does before it runs. The public status lookup goes through a shorter
middleware chain (cchc.core.lean).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

from cchc.core.checks import refuse_to_serve_if_misconfigured  # noqa: E402 - needs the apps loaded
from cchc.core.lean import with_public_reads  # noqa: E402

refuse_to_serve_if_misconfigured()
application = with_public_reads(application)
