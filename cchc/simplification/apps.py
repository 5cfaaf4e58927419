from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimplificationConfig(AppConfig):
    name = "cchc.simplification"
    label = "simplification"
    verbose_name = _("Rà soát, đơn giản hóa thủ tục hành chính")
