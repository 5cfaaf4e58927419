from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cchc.accounts"
    label = "accounts"
    verbose_name = _("Tổ chức và người dùng")

    def ready(self) -> None:
        # Signal receivers: failed-login counts, session clocks, VNeID linked to an account.
        from django.db.models.signals import post_delete, post_save

        from . import lockout, middleware, signals  # noqa: F401
        from .models import Agency, Province

        for model in (Agency, Province):
            post_save.connect(_forget_installation, sender=model, dispatch_uid=f"installation-{model.__name__}")
            post_delete.connect(_forget_installation, sender=model, dispatch_uid=f"installation-{model.__name__}-d")


def _forget_installation(**_kwargs) -> None:
    """Who runs the installation may have changed: the next page reads it again."""
    from django.core.cache import cache
    from django.db import transaction

    from .selectors import INSTALLATION_CACHE_KEY

    cache.delete(INSTALLATION_CACHE_KEY)
    # Again once the change is committed: a page read meanwhile may have cached the old rows.
    transaction.on_commit(lambda: cache.delete(INSTALLATION_CACHE_KEY))
