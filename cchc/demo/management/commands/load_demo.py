from django.core.management.base import BaseCommand

from cchc.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo organisation, accounts, calendar and procedure catalogue (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="store_true",
            help="also the demo province: committee, centre, departments, communes, the 2025 merger",
        )

    def handle(self, *args, province: bool = False, **options):
        result = load_demo(province=province)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data: {agencies} agencies, {procedures} procedures ({new_versions} new versions).".format(
                    **result
                )
            )
        )
