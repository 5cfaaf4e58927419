from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DvcqgConfig(AppConfig):
    name = "cchc.dvcqg"
    label = "dvcqg"
    verbose_name = _("Đồng bộ Cổng Dịch vụ công quốc gia")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from cchc.dossiers import hooks
        from cchc.procedures.models import Offering
        from cchc.procedures.signals import procedure_published

        from .services import outbox_on_dossier_changed, outbox_on_offering_saved, outbox_on_procedure_published

        hooks.dossier_changed.connect(outbox_on_dossier_changed, dispatch_uid="dvcqg.outbox_dossier")
        procedure_published.connect(outbox_on_procedure_published, dispatch_uid="dvcqg.outbox_offering")
        post_save.connect(outbox_on_offering_saved, sender=Offering, dispatch_uid="dvcqg.outbox_offering_saved")
