"""System checks: a real gateway must not run with the demo secret or beside the simulator."""

from django.conf import settings
from django.core import checks

from .providers import DEMO_HASH_SECRET


def simulator_enabled() -> bool:
    """The development-only gateway simulator is served when DEBUG or CCHC_PAYMENT_SIMULATOR is on."""
    return bool(settings.DEBUG or settings.CCHC_PAYMENT_SIMULATOR)


@checks.register(checks.Tags.security, deploy=True)
def check_payment_settings(app_configs=None, **kwargs):
    problems = []
    real_gateway = bool(settings.VNPAY_PAY_URL)
    if real_gateway and settings.VNPAY_HASH_SECRET == DEMO_HASH_SECRET:
        problems.append(
            checks.Error(
                "VNPAY_PAY_URL points at a real gateway but VNPAY_HASH_SECRET is the demo secret.",
                hint="Set VNPAY_TMN_CODE and VNPAY_HASH_SECRET from the merchant's VNPAY account.",
                id="payments.E001",
            )
        )
    if real_gateway and simulator_enabled():
        problems.append(
            checks.Warning(
                "The payment simulator is enabled while a real gateway is configured: it signs callbacks "
                "with the real secret and could mark payments paid.",
                hint="Set CCHC_PAYMENT_SIMULATOR=false and DJANGO_DEBUG=false in production.",
                id="payments.W001",
            )
        )
    return problems
