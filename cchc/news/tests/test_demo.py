from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Revision, WorkflowState

from cchc.accounts.models import User
from cchc.news.demo import load_demo_news
from cchc.news.models import NewsArticlePage, NewsCategory, NewsIndexPage, ReformPage


def test_demo_news_loads_every_editorial_state_once(demo, client):
    made = load_demo_news(demo)

    index = NewsIndexPage.objects.get()
    articles = NewsArticlePage.objects.child_of(index)
    assert made == 7  # six articles and the reform page
    assert index.url == "/tin-tuc/"
    assert articles.live().count() == 3
    scheduled = articles.get(slug="doi-thoai-voi-doanh-nghiep-van-tai")
    assert not scheduled.live and scheduled.go_live_at is not None
    assert Revision.objects.filter(object_id=str(scheduled.pk), approved_go_live_at__isnull=False).exists()
    assert not articles.get(slug="huong-dan-nop-ho-so-truc-tuyen-toan-trinh").live
    waiting = articles.get(slug="ket-qua-tu-danh-gia-chi-so-cai-cach-hanh-chinh")
    assert WorkflowState.objects.filter(object_id=str(waiting.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()
    assert all(article.main_image_id for article in articles)
    assert NewsCategory.objects.count() == 4
    assert ReformPage.objects.live().get().url == "/gioi-thieu-cai-cach-hanh-chinh/"
    assert User.objects.get(username="cchc").groups.filter(name="Editors").exists()
    assert User.objects.get(username="lanhdao").groups.filter(name="Moderators").exists()
    assert index.get_workflow() is not None

    html = client.get("/tin-tuc/").content.decode()
    assert "Bộ phận Một cửa hẹn giờ trả kết quả qua Zalo" in html
    assert "Hướng dẫn nộp hồ sơ trực tuyến toàn trình" not in html
    assert client.get("/gioi-thieu-cai-cach-hanh-chinh/").status_code == 200

    counts = (Revision.objects.count(), Group.objects.get(name="Editors").user_set.count())
    assert load_demo_news(demo) == 0
    assert (Revision.objects.count(), Group.objects.get(name="Editors").user_set.count()) == counts
    assert NewsArticlePage.objects.count() == 6


def test_demo_moderator_sees_the_waiting_article_in_the_cms(demo):
    load_demo_news(demo)
    client = Client()
    client.force_login(User.objects.get(username="lanhdao"))

    response = client.get("/cms/")

    assert response.status_code == 200
    assert "Kết quả tự đánh giá Chỉ số cải cách hành chính" in response.content.decode()


def test_demo_news_loads_even_where_the_wagtail_site_was_emptied(demo):
    from wagtail.models import Collection, Page, Site

    Site.objects.all().delete()
    Page.objects.all().delete()
    Collection.objects.all().delete()
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()

    assert load_demo_news(demo) == 7
    assert NewsIndexPage.objects.get().url == "/tin-tuc/"
    assert NewsArticlePage.objects.live().count() == 3
    client = Client()
    client.force_login(User.objects.get(username="cchc"))
    assert client.get("/cms/").status_code == 200
