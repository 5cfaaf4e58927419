"""Handing out a stored file, always after the caller's access check.

No uploaded or generated file has a public address: every view that hands one out checks who
may have it, then answers through `protected_file_response`, which sends the bytes one of three
ways, by configuration:
- the S3 storage: a redirect to a signed URL that expires after `CCHC_FILES_URL_EXPIRY_SECONDS`, or,
  with `CCHC_FILES_X_ACCEL_PREFIX` also set, `X-Accel-Redirect: <prefix><bucket/key?signature>` so
  that nginx fetches the object from a store the browser cannot reach (compose.yaml, make test-cluster);
- `CCHC_FILES_X_ACCEL_PREFIX` set (e.g. `/_protected/`): an empty answer with
  `X-Accel-Redirect: <prefix><storage name>`, and nginx sends the file from its `internal`
  location over the media folder (the web process never reads it);
- otherwise the bytes are streamed from the storage by Django.

It takes the `FieldFile` (or any storage name with its storage), never a path layout: where and
under which name a file is stored is the storage's business.
"""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def _signed_url_storage(storage: Storage) -> bool:
    """Whether `storage` hands out its own signed, expiring URLs (django-storages' S3)."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:
        return False
    return isinstance(storage, S3Storage) and storage.querystring_auth


def protected_file_response(
    request,
    fieldfile=None,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
    name: str = "",
    storage: Storage | None = None,
) -> HttpResponse:
    """The stored file (`fieldfile`, or `name` in `storage`) for a caller already allowed to have it.

    `filename` is what the browser saves it as; `content_type` must come from what CCHC checked
    (never the uploader's claim). A missing file is a 404."""
    if fieldfile is not None:
        name, storage = fieldfile.name, fieldfile.storage
    storage = storage or default_storage
    if not name:
        raise Http404(_("Không tìm thấy tệp."))
    disposition = content_disposition_header(as_attachment, filename)
    if _signed_url_storage(storage):
        url = storage.url(
            name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=settings.CCHC_FILES_URL_EXPIRY_SECONDS,
        )
        if settings.CCHC_FILES_X_ACCEL_PREFIX:
            signed = urlsplit(url)
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = (
                f"{settings.CCHC_FILES_X_ACCEL_PREFIX}{signed.path.lstrip('/')}?{signed.query}"
            )
            response["Content-Disposition"] = disposition
        else:
            response = HttpResponseRedirect(url)
    elif settings.CCHC_FILES_X_ACCEL_PREFIX:
        if not storage.exists(name):
            raise Http404(_("Không tìm thấy tệp."))
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.CCHC_FILES_X_ACCEL_PREFIX + quote(name)
        response["Content-Disposition"] = disposition
    else:
        try:
            handle = storage.open(name, "rb")
        except (OSError, ValueError):
            raise Http404(_("Không tìm thấy tệp.")) from None
        response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response
