from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "cchc.payments"
    label = "payments"
    verbose_name = _("Phí, lệ phí và thanh toán trực tuyến")

    def ready(self) -> None:
        from cchc.dossiers import hooks

        from . import checks, paygov  # noqa: F401 - registers the system checks and the PayGov provider
        from .selectors import payment_state
        from .services import on_dossier_changed, payment_counter_cash, payment_guard

        hooks.register_guard(payment_guard)
        hooks.register_counter_fee(payment_counter_cash)
        hooks.register_payment_state(payment_state)
        hooks.dossier_changed.connect(on_dossier_changed, dispatch_uid="payments.refund_on_refusal")
