import re
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from cchc.news.models import NewsArticlePage
from cchc.news.tasks import publish_scheduled


def titles(response) -> str:
    return response.content.decode()


def test_news_index_lists_live_articles_newest_first_and_hides_drafts_and_scheduled(client, make_article):
    make_article("cu", title="Bài cũ đã đăng", days_ago=9)
    make_article("moi", title="Bài mới đã đăng", days_ago=1)
    make_article("nhap", title="Bài còn nháp", state="draft")
    make_article("hen-gio", title="Bài hẹn giờ đăng", go_live_in=timedelta(days=2))

    response = client.get("/tin-tuc/")

    html = titles(response)
    assert response.status_code == 200
    assert html.index("Bài mới đã đăng") < html.index("Bài cũ đã đăng")
    assert "Bài còn nháp" not in html
    assert "Bài hẹn giờ đăng" not in html
    assert client.get("/tin-tuc/nhap/").status_code == 404
    assert client.get("/tin-tuc/hen-gio/").status_code == 404


def test_scheduled_article_appears_once_its_time_has_come_and_the_task_ran(client, make_article):
    page = make_article("hen-gio", title="Bài hẹn giờ đăng", go_live_in=timedelta(hours=3))
    assert not page.live

    publish_scheduled.call()  # too early: nothing happens
    assert "Bài hẹn giờ đăng" not in titles(client.get("/tin-tuc/"))

    later = timezone.now() + timedelta(hours=4)
    with mock.patch("django.utils.timezone.now", return_value=later):
        publish_scheduled.call()

    assert NewsArticlePage.objects.get(pk=page.pk).live
    assert "Bài hẹn giờ đăng" in titles(client.get("/tin-tuc/"))
    assert client.get("/tin-tuc/hen-gio/").status_code == 200


def test_article_page_shows_its_categories_and_a_rendition_of_its_image(client, make_article, category, picture):
    make_article("so-hoa", title="Số hóa hồ sơ tại Bộ phận Một cửa", categories=[category], image=picture)

    response = client.get("/tin-tuc/so-hoa/")

    html = titles(response)
    assert response.status_code == 200
    assert "<h1>Số hóa hồ sơ tại Bộ phận Một cửa</h1>" in html
    assert "Chuyển đổi số" in html
    assert "?chuyen-muc=chuyen-doi-so" in html
    # A Wagtail rendition, not the original upload (the stored name may carry a suffix when another
    # test of the run stored its own thu.png first).
    assert re.search(r"/media/images/thu(_\w+)?\.width-960", html)
    assert "Nội dung bài so-hoa." in html


def test_category_filter_shows_only_that_categorys_articles(client, make_article, category, picture):
    make_article("co-chuyen-muc", title="Bài chuyển đổi số", categories=[category], image=picture)
    make_article("khong-chuyen-muc", title="Bài hoạt động chung")

    filtered = titles(client.get("/tin-tuc/?chuyen-muc=chuyen-doi-so"))
    everything = titles(client.get("/tin-tuc/?chuyen-muc=khong-co"))

    assert "Bài chuyển đổi số" in filtered
    assert ".fill-480x270" in filtered  # the card shows a rendition
    assert "Bài hoạt động chung" not in filtered
    assert "Bài chuyển đổi số" in everything and "Bài hoạt động chung" in everything


def test_a_category_that_is_no_slug_lists_every_article_rather_than_failing(client, make_article, category):
    make_article("co-chuyen-muc", title="Bài chuyển đổi số", categories=[category])
    make_article("khong-chuyen-muc", title="Bài hoạt động chung")

    for odd in ("\x00", "chuyen-doi-so\x00", "x" * 500, "chuyển-đổi"):
        response = client.get("/tin-tuc/", {"chuyen-muc": odd})  # a NUL made PostgreSQL fail
        assert response.status_code == 200
        assert "Bài chuyển đổi số" in titles(response) and "Bài hoạt động chung" in titles(response)


def test_news_index_paginates(client, make_article):
    for n in range(12):
        make_article(f"bai-{n}", title=f"Bài số {n:02d}", days_ago=n)

    first = titles(client.get("/tin-tuc/"))
    second = titles(client.get("/tin-tuc/?page=2"))

    assert "Bài số 00" in first and "Bài số 11" not in first
    assert "Bài số 11" in second and "Trang 2/2" in second
    assert client.get("/tin-tuc/?page=abc").status_code == 200


def test_latest_news_tag_lists_the_newest_live_articles(rf, make_article):
    from django.template import Context, Template

    make_article("mot", title="Tin một", days_ago=3)
    make_article("hai", title="Tin hai", days_ago=2)
    make_article("ba", title="Tin ba", days_ago=1)
    make_article("nhap", title="Tin nháp", state="draft")

    html = Template("{% load news_tags %}{% latest_news 2 %}").render(Context({"request": rf.get("/")}))

    assert "Tin ba" in html and "Tin hai" in html
    assert "Tin một" not in html and "Tin nháp" not in html
    assert 'href="/tin-tuc/ba/"' in html
