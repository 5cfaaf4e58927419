"""Import historical paper results: a folder of scans and a spreadsheet describing them (all rows or none)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.accounts.models import Agency, User
from cchc.core.errors import ApplicationError
from cchc.digitisation import imports


class Command(BaseCommand):
    help = "Nhập kết quả cũ đã quét: thư mục bản quét và bảng kê .xlsx (tên tệp, số định danh, ngày cấp…)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="thư mục chứa các bản quét")
        parser.add_argument("sheet", type=Path, help="bảng kê .xlsx")
        parser.add_argument("--agency", required=True, help="mã cơ quan (XXX.YY.ZZ.Hnn)")
        parser.add_argument("--user", default="", help="tài khoản cán bộ ghi là người nhập (mặc định: hệ thống)")

    def handle(self, *args, folder: Path, sheet: Path, agency: str, user: str, **options):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"Không có cơ quan mã {agency}.")
        if not folder.is_dir():
            raise CommandError(f"Không có thư mục {folder}.")
        if not sheet.is_file():
            raise CommandError(f"Không có bảng kê {sheet}.")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản {user}.")
        try:
            batch = imports.import_rows(
                agency=found,
                actor=actor,
                sheet_name=sheet.name,
                sheet=sheet.read_bytes(),
                files=imports.FolderFiles(folder),
            )
        except imports.RowsRejected as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.message) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Đã nhập {batch.imported} giấy tờ mới, bỏ qua {batch.skipped} đã nhập trước đây "
            f"(đợt #{batch.pk}); các bản quét được nhận dạng chữ trong tiến trình nền."
        )
