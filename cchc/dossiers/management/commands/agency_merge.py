"""`manage.py agency_merge OLD NEW --on YYYY-MM-DD`: OLD merges into NEW on that day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cchc.accounts.models import Agency
from cchc.core.errors import ApplicationError
from cchc.dossiers.services import agency_merge


class Command(BaseCommand):
    help = (
        "Sáp nhập cơ quan OLD vào NEW từ ngày --on: OLD hết hoạt động từ ngày hôm trước; thủ tục, đơn vị còn hoạt "
        "động, cán bộ và hồ sơ chưa giải quyết xong chuyển sang NEW trong một giao dịch."
    )

    def add_arguments(self, parser):
        parser.add_argument("old", help="mã định danh cơ quan bị sáp nhập")
        parser.add_argument("new", help="mã định danh cơ quan kế thừa")
        parser.add_argument("--on", required=True, help="ngày sáp nhập, YYYY-MM-DD")

    def handle(self, *args, old: str, new: str, on: str, **options):
        try:
            day = date.fromisoformat(on)
        except ValueError:
            raise CommandError(f"Ngày --on không hợp lệ: {on} (cần dạng YYYY-MM-DD).") from None
        agencies = {a.code: a for a in Agency.objects.filter(code__in=[old, new])}
        for code in (old, new):
            if code not in agencies:
                raise CommandError(f"Không có cơ quan mã {code}.")
        try:
            report = agency_merge(old=agencies[old], new=agencies[new], on=day)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Đã sáp nhập {old} vào {new} từ {day:%d/%m/%Y}: {report.procedures} thủ tục, "
            f"{report.units_moved} đơn vị chuyển sang, {report.units_closed} đơn vị hợp nhất, {report.staff} cán bộ, "
            f"{len(report.dossiers)} hồ sơ đang giải quyết, {report.steps} bước liên thông, "
            f"{len(report.passages)} hồ sơ liên thông đang xử lý tại cơ quan."
        )
