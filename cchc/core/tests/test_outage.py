"""With the database or the cache away: 503 in the API's JSON, a Vietnamese page elsewhere, in
production and with DEBUG alike; a reused connection that died is replaced, not failed."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from cchc.core.outage import is_outage


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "cchc.core.tests.outage_urls"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("debug", [False, True])
def test_the_api_answers_503_json_when_the_database_is_down(db, settings, failing_urls, debug):
    settings.DEBUG = debug
    response = failing_urls.get("/api/database-down")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert "không có dữ liệu nào bị thay đổi" in body["detail"]
    assert "5432" not in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_pages_answer_the_vietnamese_503_page_when_the_cache_is_down(db, settings, failing_urls, debug):
    settings.DEBUG = debug
    response = failing_urls.get("/cache-down")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in html and "6379" not in html and "Traceback" not in html


def test_an_endpoint_whose_query_fails_answers_503_json(db, failing_urls):
    with mock.patch("cchc.procedures.api.procedure_catalogue", side_effect=OperationalError("the database is gone")):
        response = failing_urls.get("/api/v1/procedures")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


def test_a_bug_stays_a_500(db, failing_urls):
    assert failing_urls.get("/bug").status_code == 500


def test_an_outage_is_recognised_through_a_wrapping_exception():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError as wrapped:
        assert is_outage(wrapped)
    assert not is_outage(ValueError("bad input"))


def test_kept_connections_are_checked_before_reuse(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
