from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "cchc.messaging"
    label = "messaging"
    verbose_name = _("Tin nhắn SMS, Zalo và lựa chọn nhận thông báo")

    def ready(self) -> None:
        from cchc.dossiers import hooks

        from .selectors import channels_chosen

        hooks.register_channel_choice(channels_chosen)
