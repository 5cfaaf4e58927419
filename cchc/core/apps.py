from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = _("Dùng chung: lịch làm việc")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .jobs import discover

        discover()  # every background job known by name before a service queues one
