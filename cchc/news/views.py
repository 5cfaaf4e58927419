"""News images: the one kind of stored file that is public, and only that kind.

Wagtail names an image's renditions `images/...` in the default storage and links them by
`MEDIA_URL`; this view answers those addresses for a name that is a rendition of a news image
(the sizes the pages show), and an original upload only to CMS users. Any other stored file
under the same prefix is a 404: uploads and results are never reachable here.
"""

import mimetypes

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model

from cchc.core.files import protected_file_response


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@require_GET
def image_file(request, name: str):
    image_model = get_image_model()
    rendition = image_model.get_rendition_model().objects.filter(file=f"images/{name}").first()
    if rendition is None:
        raise Http404(_("Không tìm thấy ảnh."))
    response = protected_file_response(
        request, rendition.file, filename=name.rsplit("/", 1)[-1], content_type=_content_type(name), as_attachment=False
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def original_image_file(request, name: str):
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise Http404(_("Không tìm thấy ảnh."))
    image = get_image_model().objects.filter(file=f"original_images/{name}").first()
    if image is None:
        raise Http404(_("Không tìm thấy ảnh."))
    return protected_file_response(
        request, image.file, filename=name.rsplit("/", 1)[-1], content_type=_content_type(name), as_attachment=False
    )
