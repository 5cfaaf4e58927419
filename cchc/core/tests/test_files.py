"""No stored file is reachable except through a view that applies its access rule."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from cchc.core.files import protected_file_response
from cchc.dossiers.tests.helpers import PDF, submit, user

pytestmark = pytest.mark.django_db


def _reload_urls():
    import config.urls

    clear_url_caches()
    importlib.reload(config.urls)


@pytest.fixture
def debug_urls():
    """The URL configuration as `make run` builds it (DEBUG on), restored afterwards."""
    with override_settings(DEBUG=True):
        _reload_urls()
        yield
    _reload_urls()


def _document(dossier):
    return dossier.documents.exclude(file="").select_related("component").first()


@pytest.mark.parametrize("debug", [True, False])
def test_no_upload_is_served_at_its_media_address(client, demo, debug, settings):
    document = _document(submit())
    with override_settings(DEBUG=debug):
        _reload_urls()
        try:
            response = client.get(settings.MEDIA_URL + document.file.name)
        finally:
            _reload_urls()
    assert response.status_code == 404
    assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_media_address_under_the_image_prefix_serves_only_news_images(client, demo, debug_urls, settings):
    document = _document(submit())
    # Even a stored upload renamed under the images prefix is not a news image rendition.
    document.file.storage.save("images/not-a-rendition.pdf", document.file.open("rb"))
    assert client.get(settings.MEDIA_URL + "images/not-a-rendition.pdf").status_code == 404
    assert client.get(settings.MEDIA_URL + "original_images/anything.png").status_code == 404


def _office_file_url(dossier, document):
    return reverse("dossiers:office_file", kwargs={"code": dossier.code, "document_id": document.pk})


def test_the_view_streams_the_checked_file_by_default(client, demo):
    from cchc.dossiers.tests.helpers import act

    dossier = act(submit(code="1.003683"), "motcua", "receive")
    document = _document(dossier)
    client.force_login(user("motcua"))
    response = client.get(_office_file_url(dossier, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_the_view_answers_x_accel_redirect_after_its_check(client, demo, settings):
    from cchc.dossiers.tests.helpers import act

    settings.CCHC_FILES_X_ACCEL_PREFIX = "/_protected/"
    dossier = act(submit(code="1.003683"), "motcua", "receive")
    document = _document(dossier)
    client.force_login(user("motcua"))
    response = client.get(_office_file_url(dossier, document))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/_protected/" + document.file.name
    assert response["Content-Type"] == "application/pdf"
    client.force_login(user("congdan2"))  # not staff of the agency, not the applicant
    refused = client.get(_office_file_url(dossier, document))
    assert refused.status_code in (403, 404) and "X-Accel-Redirect" not in refused


def test_with_s3_the_view_redirects_to_a_short_lived_signed_url(rf, settings):
    from storages.backends.s3 import S3Storage

    settings.CCHC_FILES_URL_EXPIRY_SECONDS = 45
    storage = S3Storage(
        bucket_name="cchc-files",
        access_key="AKIAEXAMPLE",
        secret_key="example-secret",
        endpoint_url="http://127.0.0.1:18199",
        region_name="us-east-1",
        signature_version="s3v4",
        querystring_auth=True,
    )
    response = protected_file_response(
        rf.get("/"),
        name="dossiers/2026/03/abc.pdf",
        storage=storage,
        filename="CCCD.pdf",
        content_type="application/pdf",
        as_attachment=True,
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("http://127.0.0.1:18199/cchc-files/dossiers/2026/03/abc.pdf?")
    assert "X-Amz-Expires=45" in location and "X-Amz-Signature=" in location
    assert "response-content-disposition=attachment" in location


def test_with_s3_behind_nginx_the_view_hands_nginx_the_signed_object_path(rf, settings):
    """The store is out of the browser's reach (compose.yaml): nginx fetches the object itself."""
    from storages.backends.s3 import S3Storage

    settings.CCHC_FILES_X_ACCEL_PREFIX = "/_protected_s3/"
    storage = S3Storage(
        bucket_name="cchc-files",
        access_key="AKIAEXAMPLE",
        secret_key="example-secret",
        endpoint_url="http://s3:8333",
        region_name="us-east-1",
        signature_version="s3v4",
        querystring_auth=True,
    )
    response = protected_file_response(
        rf.get("/"),
        name="dossiers/2026/03/abc.pdf",
        storage=storage,
        filename="CCCD.pdf",
        content_type="application/pdf",
    )
    assert response.status_code == 200 and response.content == b""
    target = response["X-Accel-Redirect"]
    assert target.startswith("/_protected_s3/cchc-files/dossiers/2026/03/abc.pdf?")
    assert "X-Amz-Signature=" in target and "Location" not in response
    assert response["Content-Disposition"].startswith("attachment")


def test_a_procedure_form_template_is_downloaded_through_the_catalogue(client, demo):
    from django.core.files.base import ContentFile

    from cchc.procedures.models import Procedure

    procedure = Procedure.objects.get(code="1.000010")
    component = procedure.current_version.components.first()
    component.template.save("to-khai.docx", ContentFile(b"PK\x03\x04 form"), save=False)
    type(component).objects.filter(pk=component.pk).update(template=component.template.name)
    url = reverse("procedures:component_template", args=[procedure.code, component.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK\x03\x04 form"
    assert url in client.get(reverse("procedures:detail", args=[procedure.code])).content.decode()
    assert client.get(reverse("procedures:component_template", args=[procedure.code, 999999])).status_code == 404
