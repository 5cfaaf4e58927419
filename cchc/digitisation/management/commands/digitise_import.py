"""Import historical paper results: a folder of scans and a spreadsheet describing them (all rows or none);
or, with `--retry-failed`, read again the imported scans whose reading failed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.accounts.models import Agency, User
from cchc.core.errors import ApplicationError
from cchc.digitisation import imports


class Command(BaseCommand):
    help = "Nhập kết quả cũ đã quét: thư mục bản quét và bảng kê .xlsx (tên tệp, số định danh, ngày cấp…)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, nargs="?", help="thư mục chứa các bản quét")
        parser.add_argument("sheet", type=Path, nargs="?", help="bảng kê .xlsx")
        parser.add_argument("--agency", required=True, help="mã cơ quan (XXX.YY.ZZ.Hnn)")
        parser.add_argument("--user", default="", help="tài khoản cán bộ ghi là người nhập (mặc định: hệ thống)")
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="nhận dạng lại các bản quét đã nhập mà nhận dạng chữ bị lỗi (không cần thư mục, bảng kê)",
        )
        parser.add_argument("--batch", type=int, default=None, help="với --retry-failed: chỉ đợt nhập số này")

    def handle(self, *args, folder, sheet, agency: str, user: str, retry_failed: bool, batch: int | None, **options):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"Không có cơ quan mã {agency}.")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản {user}.")
        if retry_failed:
            self._retry(found, actor, batch)
            return
        if folder is None or sheet is None:
            raise CommandError("Cần thư mục bản quét và bảng kê (hoặc --retry-failed).")
        if not folder.is_dir():
            raise CommandError(f"Không có thư mục {folder}.")
        if not sheet.is_file():
            raise CommandError(f"Không có bảng kê {sheet}.")
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

    def _retry(self, agency: Agency, actor: User | None, batch_id: int | None) -> None:
        from cchc.digitisation.models import ImportBatch
        from cchc.digitisation.services import historical_retry

        batch = None
        if batch_id is not None:
            batch = ImportBatch.objects.filter(pk=batch_id, agency=agency).first()
            if batch is None:
                raise CommandError(f"Không có đợt nhập #{batch_id} của cơ quan {agency.code}.")
        try:
            queued = historical_retry(agency=agency, actor=actor, batch=batch)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã xếp lịch nhận dạng lại {queued} bản quét bị lỗi.")
