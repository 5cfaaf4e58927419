from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cchc.audit.selectors import audit_verify


class Command(BaseCommand):
    help = _("Kiểm tra toàn bộ chuỗi nhật ký hệ thống; thoát với mã 1 nếu có sự kiện bị sửa hoặc xóa.")

    def handle(self, *args, **options):
        result = audit_verify()
        if not result.ok:
            self.stderr.write(self.style.ERROR(result.problem))
            # A non-zero exit status lets cron or monitoring raise the alarm.
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS(_("Nhật ký toàn vẹn: %(count)s sự kiện đã kiểm tra.") % {"count": result.checked})
        )
