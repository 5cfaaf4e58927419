from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    label = "surveys"
    verbose_name = _("Đánh giá mức độ hài lòng")

    def ready(self) -> None:
        from cchc.dossiers import hooks

        from .services import on_dossier_changed

        # Inside the transaction of the change: the invitation exists exactly when the return does.
        hooks.dossier_changed.connect(on_dossier_changed, dispatch_uid="surveys.invite_on_return")
