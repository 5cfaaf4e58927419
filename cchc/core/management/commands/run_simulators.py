"""`manage.py run_simulators [--host H] [--port P]`: the simulator server (`python -m cchc.simulators`),
configured from this installation's settings, as a provider would be at registration: the merchant
codes and shared secrets, the receipt pattern and series, and this site's address for the callbacks.
The port defaults to the one in `CCHC_SIMULATOR_URL`."""

import os
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def shared_settings() -> dict[str, str]:
    """What the simulated providers must share with CCHC (what a real provider holds on its side),
    under the same variable names the simulator server reads."""
    return {
        "VNPAY_TMN_CODE": settings.VNPAY_TMN_CODE,
        "VNPAY_HASH_SECRET": settings.VNPAY_HASH_SECRET,
        "PAYGOV_MERCHANT_CODE": settings.PAYGOV_MERCHANT_CODE,
        "PAYGOV_SECRET": settings.PAYGOV_SECRET,
        "CCHC_RECEIPT_ACCOUNT": settings.CCHC_RECEIPT_ACCOUNT,
        "CCHC_RECEIPT_ACCOUNT_PASSWORD": settings.CCHC_RECEIPT_ACCOUNT_PASSWORD,
        "CCHC_RECEIPT_USERNAME": settings.CCHC_RECEIPT_USERNAME,
        "CCHC_RECEIPT_PASSWORD": settings.CCHC_RECEIPT_PASSWORD,
        "CCHC_RECEIPT_PATTERN": settings.CCHC_RECEIPT_PATTERN,
        "CCHC_RECEIPT_SERIES": settings.CCHC_RECEIPT_SERIES,
        "CCHC_RECEIPT_TAX_CODE": settings.CCHC_RECEIPT_TAX_CODE,
        "CCHC_SMS_USERNAME": settings.CCHC_SMS_USERNAME,
        "CCHC_SMS_PASSWORD": settings.CCHC_SMS_PASSWORD,
        "CCHC_SMS_BRANDNAME": settings.CCHC_SMS_BRANDNAME,
        "CCHC_SMS_CP_CODE": settings.CCHC_SMS_CP_CODE,
        "CCHC_SMS_REPORT_SECRET": settings.CCHC_SMS_REPORT_SECRET,
        "CCHC_ZALO_ACCESS_TOKEN": settings.CCHC_ZALO_ACCESS_TOKEN,
        "CCHC_ZALO_APP_ID": settings.CCHC_ZALO_APP_ID,
        "CCHC_ZALO_SECRET": settings.CCHC_ZALO_SECRET,
    }


def simulator_environment(*, merchant_url: str, database: str | None = None) -> dict[str, str]:
    """The environment of a simulator server that plays the providers of this installation."""
    env = shared_settings()
    env["SIMULATOR_CCHC_URL"] = merchant_url
    if database:
        env["SIMULATOR_DB"] = database
    return env


class Command(BaseCommand):
    help = (
        "Serve the outside services' simulators (VNPAY, PayGov, e-receipts, VNeID, SMS, Zalo, DVCQG, VNPost) "
        "on their own port."
    )

    def add_arguments(self, parser):
        configured = urlsplit(settings.CCHC_SIMULATOR_URL)
        parser.add_argument("--host", default=configured.hostname or "127.0.0.1")
        parser.add_argument("--port", type=int, default=configured.port or 8001)
        parser.add_argument("--db", default=str(settings.VAR_DIR / "simulators.sqlite3"))

    def handle(self, *args, host, port, db, **options):
        if not settings.CCHC_SIMULATORS:
            raise CommandError("CCHC_SIMULATORS is off: the providers are configured, no simulator is needed.")
        env = {**os.environ, **simulator_environment(merchant_url=settings.CCHC_PUBLIC_URL, database=db)}
        command = [sys.executable, "-m", "cchc.simulators", "--host", host, "--port", str(port)]
        os.execvpe(sys.executable, command, env)  # noqa: S606 - our own module, the same interpreter
