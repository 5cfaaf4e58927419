"""The applicant's export as bytes: one JSON document, or a zip of it with their stored files."""

import json
import zipfile
from io import BytesIO

from django.core.serializers.json import DjangoJSONEncoder

from .selectors import personal_data_of


def export_json(user) -> bytes:
    return json.dumps(personal_data_of(user=user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_zip(user) -> bytes:
    """`du-lieu.json` and each stored document under `tep/` (read through the storage, never by path)."""
    from cchc.dossiers.models import StoredDocument

    data = personal_data_of(user=user)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        stored = {d.pk: d for d in StoredDocument.objects.filter(owner=user, deleted_at__isnull=True)}
        for item in data["stored_documents"]:
            document = stored.get(item["id"])
            if document is None or not document.file:
                continue
            name = f"tep/{item['id']}-{(item['original_name'] or document.file.name.rsplit('/', 1)[-1])[:120]}"
            try:
                with document.file.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except OSError:
                continue
            item["file_in_zip"] = name
        archive.writestr("du-lieu.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    return buffer.getvalue()
