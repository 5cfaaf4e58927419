from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency
from cchc.core.errors import ApplicationError
from cchc.reform import criteria_file
from cchc.reform.services import par_year_load


class Command(BaseCommand):
    help = _(
        "Nạp bộ tiêu chí chỉ số CCHC của một năm từ tệp .xlsx hoặc .yaml (tất cả hoặc không gì cả). "
        "Không ghi tệp: dùng bộ tiêu chí mẫu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help=_("Mã định danh cơ quan, ví dụ 000.00.12.H99"))
        parser.add_argument("--year", required=True, type=int, help=_("Năm đánh giá"))
        parser.add_argument("file", nargs="?", help=_("Tệp bộ tiêu chí (.xlsx, .yaml)"))

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("Không có cơ quan mã %(code)s.") % {"code": options["agency"]})
        path = Path(options["file"]) if options["file"] else criteria_file.SAMPLE_TEMPLATE
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Không đọc được tệp %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
        try:
            par_year = par_year_load(agency=agency, year=options["year"], data=data, filename=path.name, actor=None)
        except ApplicationError as exc:
            raise CommandError("\n".join([exc.message, *(f"- {problem}" for problem in exc.details)])) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã nạp bộ tiêu chí năm %(year)s của %(agency)s: %(n)s tiêu chí.")
                % {"year": par_year.year, "agency": agency.name, "n": par_year.criteria.count()}
            )
        )
