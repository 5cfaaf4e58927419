import json
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cchc.audit.checkpoints import export_document, public_key_hex, signing_key
from cchc.audit.models import AuditCheckpoint, audit_hmac_key


class Command(BaseCommand):
    help = _(
        "Xuất các điểm niêm phong nhật ký đã ký (JSON) để lưu ngoài máy chủ; kiểm tra lại bằng "
        "audit_checkpoint_verify (không cần cơ sở dữ liệu) hoặc audit_verify --checkpoints."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help=_("tệp ghi ra (mặc định: màn hình)"))

    def handle(self, *args, output=None, **options):
        rows = [row.as_checkpoint() for row in AuditCheckpoint.objects.order_by("day")]
        document = export_document(rows, public_key_hex(signing_key(audit_hmac_key())))
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text + "\n")
