"""`manage.py restore SRC`: restore a backup made by `manage.py backup` into an empty installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the backup in SRC (database, then files) into this installation, which must be empty."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a folder written by manage.py backup")

    def handle(self, *args, source: Path, **options):
        try:
            summary = backup_restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restore: {summary.database}, {summary.files} file(s), {summary.bytes} bytes")
        self.stdout.write("restore: now run `manage.py migrate` (a newer release), `audit_verify` and `files_verify`")
