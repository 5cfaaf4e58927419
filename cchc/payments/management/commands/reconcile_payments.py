"""Settle online payments left pending (a lost IPN) by asking the gateway: querydr."""

from django.core.management.base import BaseCommand

from cchc.payments.services import payments_reconcile
from cchc.payments.tasks import reconcile_enqueue


class Command(BaseCommand):
    help = "Query the payment gateway about payments pending for more than 15 minutes and settle them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the job for the worker instead of running it here"
        )
        parser.add_argument(
            "--older-than", type=float, default=15.0, help="minutes a payment has been pending (default 15)"
        )

    def handle(self, *args, enqueue: bool, older_than: float, **options):
        if enqueue:
            queued = reconcile_enqueue()
            self.stdout.write("reconciliation queued" if queued else "a reconciliation is already waiting")
            return
        from datetime import timedelta

        counts = payments_reconcile(min_age=timedelta(minutes=max(older_than, 0)))
        summary = ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())) or "nothing pending"
        self.stdout.write(f"reconciliation: {summary}")
