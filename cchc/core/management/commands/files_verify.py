"""`manage.py files_verify`: every file a row references exists, with the SHA-256 the row keeps."""

from django.core.management.base import BaseCommand, CommandError

from cchc.core.backup import files_verify


class Command(BaseCommand):
    help = "Check that every stored file exists and matches its recorded SHA-256."

    def handle(self, *args, **options):
        checked, problems = files_verify()
        for problem in problems[:100]:
            self.stderr.write(f"{problem.model} #{problem.pk}: {problem.name}: {problem.problem}")
        if problems:
            raise CommandError(f"{len(problems)} of {checked} file(s) missing or altered")
        self.stdout.write(f"files_verify: {checked} file(s) present and intact")
