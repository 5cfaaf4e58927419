from django.apps import AppConfig


class SimulatorsConfig(AppConfig):
    name = "cchc.simulators"
    label = "simulators"
    default_auto_field = "django.db.models.BigAutoField"
