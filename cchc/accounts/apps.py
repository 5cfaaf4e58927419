from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cchc.accounts"
    label = "accounts"
    verbose_name = _("Tổ chức và người dùng")

    def ready(self) -> None:
        # Signal receivers: failed-login counts, session clocks, VNeID linked to an account.
        from . import lockout, middleware, signals  # noqa: F401
