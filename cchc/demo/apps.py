from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for `make run`: sits on top of every other app and is imported by none."""

    name = "cchc.demo"
    label = "demo"
    verbose_name = _("Dữ liệu minh họa")
