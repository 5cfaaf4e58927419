from django.core.management.base import BaseCommand

from cchc.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo organisation, accounts, calendar and procedure catalogue (idempotent)."

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data: {agencies} agencies, {procedures} procedures ({new_versions} new versions).".format(
                    **result
                )
            )
        )
