import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.audit.checkpoints import checkpoints_from_document
from cchc.audit.selectors import audit_verify


class Command(BaseCommand):
    help = _(
        "Kiểm tra toàn bộ các chuỗi nhật ký hệ thống và các điểm niêm phong; thoát với mã 1 nếu có sự kiện "
        "bị sửa, xóa, đổi chỗ hoặc ghi thêm sau niêm phong."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            help=_("tệp điểm niêm phong đã xuất (audit_checkpoint_export), dùng thay cho bản trong cơ sở dữ liệu"),
        )
        parser.add_argument("--public-key", help=_("khóa công khai đã công bố (hex) để kiểm tra chữ ký"))

    def handle(self, *args, checkpoints=None, public_key=None, **options):
        exported = None
        if checkpoints:
            try:
                with open(checkpoints, encoding="utf-8") as handle:
                    exported = checkpoints_from_document(json.load(handle))
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(_("Không đọc được tệp điểm niêm phong: %(error)s") % {"error": exc}) from exc
        result = audit_verify(exported=exported, public_key=public_key)
        if not result.ok:
            self.stderr.write(self.style.ERROR(result.problem))
            # A non-zero exit status lets cron or monitoring raise the alarm.
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS(_("Nhật ký toàn vẹn: %(count)s sự kiện đã kiểm tra.") % {"count": result.checked})
        )
