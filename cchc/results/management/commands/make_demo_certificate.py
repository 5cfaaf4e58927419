from django.core.management.base import BaseCommand

from cchc.accounts.selectors import installation_owner
from cchc.results.certificates import make_demo_certificate
from cchc.results.signing import p12_password, p12_path


class Command(BaseCommand):
    help = "Tạo chứng thư số tự ký minh họa của cơ quan (PKCS#12) để ký kết quả, nếu chưa có."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Tạo lại dù tệp đã có.")

    def handle(self, *args, force: bool = False, **options):
        path = p12_path()
        if make_demo_certificate(path, p12_password(), force=force, agency=installation_owner()):
            self.stdout.write(self.style.SUCCESS(f"Đã tạo chứng thư số minh họa: {path}"))
        else:
            self.stdout.write(f"Chứng thư số đã có, giữ nguyên: {path}")
