from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "cchc.news"
    label = "news"
    verbose_name = _("Tin tức cải cách hành chính")

    def ready(self):
        from .widgets import start_choosers_without_inline_scripts

        start_choosers_without_inline_scripts()
