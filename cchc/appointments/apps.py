from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "cchc.appointments"
    label = "appointments"
    verbose_name = _("Đặt lịch hẹn và xếp hàng tại quầy")
