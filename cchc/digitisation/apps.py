from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitisationConfig(AppConfig):
    name = "cchc.digitisation"
    label = "digitisation"
    verbose_name = _("Số hóa giấy tờ (nhận dạng chữ)")
