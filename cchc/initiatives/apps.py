from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "cchc.initiatives"
    label = "initiatives"
    verbose_name = _("Sáng kiến, mô hình mới")
