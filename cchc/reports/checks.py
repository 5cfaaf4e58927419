"""System checks: the service index's configuration is refused at start-up when it would leave the
national 100-point scale (a group's indicators no longer adding up to its maximum, an unknown
indicator, a bad national mode)."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .config import index_groups, national_mode


@checks.register()
def check_service_index_settings(app_configs=None, **kwargs):
    try:
        index_groups()
        national_mode()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="See cchc/reports/config.py and docs/service-index.md.",
                id="reports.E001",
            )
        ]
    return []
