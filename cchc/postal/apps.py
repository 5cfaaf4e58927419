from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostalConfig(AppConfig):
    name = "cchc.postal"
    label = "postal"
    verbose_name = _("Trả kết quả qua bưu chính (VNPost)")
