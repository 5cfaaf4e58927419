"""Create the demo dossiers (about 300 over the last three months), once."""

import time

from django.core.management.base import BaseCommand

from cchc.demo.dossiers import DEFAULT_COUNT, DEFAULT_SEED, demo_dossiers_exist, load_demo_dossiers


class Command(BaseCommand):
    help = "Create the demo dossiers through the services (skipped when they already exist)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help=f"how many (default {DEFAULT_COUNT})")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default: fixed)")

    def handle(self, *args, count: int, seed: int, **options):
        if demo_dossiers_exist():
            self.stdout.write("Demo dossiers: already loaded.")
            return
        started = time.monotonic()
        statuses = load_demo_dossiers(count=count, seed=seed)
        spread = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items(), key=lambda item: -item[1]))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo dossiers: {sum(statuses.values())} in {time.monotonic() - started:.1f} s ({spread})."
            )
        )
