from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    label = "reports"
    verbose_name = _("Báo cáo, chỉ số chất lượng phục vụ")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
