from django.core.management.base import BaseCommand

from cchc.demo.reform import load_reform_demo


class Command(BaseCommand):
    help = "Load the demo PAR Index, plan, commitments, review round, initiatives and news (idempotent)."

    def handle(self, *args, **options):
        result = load_reform_demo()
        made = ", ".join(f"{name}: {count}" for name, count in result.items())
        self.stdout.write(self.style.SUCCESS(f"Reform demo data ({made})."))
