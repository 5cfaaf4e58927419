import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.audit.checkpoints import verify_document


class Command(BaseCommand):
    help = _(
        "Kiểm tra một tệp điểm niêm phong đã xuất mà không cần cơ sở dữ liệu: mã gốc, chữ ký, "
        "liên kết giữa các ngày. Truyền khóa công khai đã công bố bằng --public-key."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--public-key", help=_("khóa công khai đã công bố (hex)"))

    def handle(self, *args, file, public_key=None, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                document = json.load(handle)
            problems = verify_document(document, public_key)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(_("Không đọc được tệp điểm niêm phong: %(error)s") % {"error": exc}) from exc
        if problems:
            for problem in problems:
                self.stderr.write(self.style.ERROR(problem))
            raise SystemExit(1)
        days = document["checkpoints"]
        self.stdout.write(self.style.SUCCESS(_("%(count)s điểm niêm phong hợp lệ.") % {"count": len(days)}))
