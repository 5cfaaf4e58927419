from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "cchc.results"
    label = "results"
    verbose_name = _("Kết quả điện tử")

    def ready(self) -> None:
        from cchc.dossiers import hooks
        from cchc.dossiers.models import Dossier
        from cchc.dossiers.workflow import Action

        from . import services

        hooks.register_action_handler(Action.SIGN_RESULT, services.sign_result_handler)
        hooks.register_action_preparer(Action.SIGN_RESULT, services.sign_result_prepare)
        hooks.register_guard(services.signature_guard)
        hooks.dossier_changed.connect(
            services.on_dossier_changed, sender=Dossier, dispatch_uid="results.on_dossier_changed"
        )
