"""Error pages speak Vietnamese, inside the site's layout where a request is there to draw it."""

from django.template.loader import render_to_string
from django.test import Client


def test_an_unknown_address_gets_the_vietnamese_not_found_page(demo, client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and "Tra cứu hồ sơ theo mã" in html
    assert "Not Found" not in html


def test_a_forbidden_page_says_so_in_vietnamese(demo, client):
    from cchc.accounts.models import User

    client.force_login(User.objects.get(username="congdan"))
    response = client.get("/cai-cach/chi-so-par/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_the_server_error_page_needs_no_context_and_is_vietnamese():
    html = render_to_string("500.html")
    assert "Hệ thống đang gặp sự cố" in html and "không có dữ liệu nào bị thay đổi" in html


def test_a_server_error_answers_the_vietnamese_page(db, settings):
    settings.ROOT_URLCONF = "cchc.core.tests.broken_urls"
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in html and "a failure the page must not show" not in html


def test_a_refused_form_shows_a_vietnamese_page_not_djangos_csrf_page(db):
    """Issue 14 (no English for users): a form posted without its CSRF cookie (a login page left open
    past its session, cookies blocked) showed Django's English "CSRF verification failed. Request aborted."."""
    page = Client(enforce_csrf_checks=True).post("/tai-khoan/login/", {"login": "congdan", "password": "x"})
    text = page.content.decode()
    assert page.status_code == 403
    assert "Phiên làm việc đã hết hạn" in text and "<h1>" in text
    assert "CSRF verification failed" not in text and "Request aborted" not in text
