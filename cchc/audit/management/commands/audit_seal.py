import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.audit.services import audit_checkpoint_seal
from cchc.core import clock
from cchc.core.errors import ApplicationError


class Command(BaseCommand):
    help = _("Niêm phong nhật ký đến hết ngày hôm qua (hoặc --day yyyy-mm-dd) và in mã gốc.")

    def add_arguments(self, parser):
        parser.add_argument("--day", type=dt.date.fromisoformat)

    def handle(self, *args, day=None, **options):
        day = day or clock.localdate() - dt.timedelta(days=1)
        try:
            checkpoint = audit_checkpoint_seal(day=day)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{checkpoint.day:%d/%m/%Y} {checkpoint.event_count} {checkpoint.root}")
