"""System checks: production never takes payments with the demo merchant, its secret or the simulator."""

from django.conf import settings
from django.core import checks

from cchc.core.integrations import simulators_enabled

from .providers import DEMO_HASH_SECRET, DEMO_TMN_CODE


def simulator_enabled() -> bool:
    """The gateways' simulators stand in for unconfigured gateways (`CCHC_SIMULATORS`, the one switch)."""
    return simulators_enabled()


def merchant_configured() -> bool:
    """The merchant's own VNPAY code and secret are set (neither empty nor the published demo values)."""
    code, secret = settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET
    return bool(code and secret) and code != DEMO_TMN_CODE and secret != DEMO_HASH_SECRET


@checks.register(checks.Tags.security, deploy=True)
def check_payment_settings(app_configs=None, **kwargs):
    problems = []
    if not merchant_configured():
        problems.append(
            checks.Error(
                "VNPAY_TMN_CODE / VNPAY_HASH_SECRET are not the merchant's own (empty or the demo values): "
                "online payment is switched off and citizens are told to pay at the counter.",
                hint="Set VNPAY_TMN_CODE, VNPAY_HASH_SECRET, VNPAY_PAY_URL and VNPAY_API_URL from the merchant's "
                "VNPAY account.",
                id="payments.E001",
            )
        )
    if simulator_enabled():
        problems.append(
            checks.Error(
                "The payment simulator is enabled: it confirms payments nobody made.",
                hint="Set CCHC_SIMULATORS=false (and unset its former name CCHC_PAYMENT_SIMULATOR) in production.",
                id="payments.E002",
            )
        )
    if settings.PAYGOV_API_URL and not _paygov_configured():
        problems.append(
            checks.Error(
                "PAYGOV_API_URL is set but PAYGOV_MERCHANT_CODE / PAYGOV_SECRET are not the merchant's own.",
                hint="Set PAYGOV_MERCHANT_CODE and PAYGOV_SECRET from the PayGov agreement, or unset PAYGOV_API_URL.",
                id="payments.E003",
            )
        )
    return problems


def _paygov_configured() -> bool:
    from .providers import provider_for

    return provider_for("paygov").configured()
