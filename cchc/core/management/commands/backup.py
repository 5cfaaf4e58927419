"""`manage.py backup DEST`: one consistent backup (the database, then the files) into the folder DEST."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and then the stored files into DEST."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a new or empty folder")

    def handle(self, *args, destination: Path, **options):
        try:
            summary = backup_write(destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"backup: {summary.folder}: {summary.database}, {summary.files} file(s), {summary.bytes} bytes"
        )
