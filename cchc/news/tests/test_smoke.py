"""The public news pages, the RSS feed and the CMS, as every demo role and anonymous, with garbage
query strings: never a server error."""

import pytest

from cchc.accounts.models import User
from cchc.news.demo import load_demo_news
from cchc.news.models import NewsArticlePage, NewsCategory, NewsIndexPage, ReformPage

ROLES = [None, "cchc", "lanhdao", "truongphong", "chuyenvien", "motcua", "quantri", "congdan", "doanhnghiep"]
QUERIES = [
    "",
    "?chuyen-muc=nope",
    "?page=abc",
    "?page=-1",
    "?page=0",
    "?page=99999999999999999999",
    "?chuyen-muc=chuyen-doi-so&page=abc",
    "?chuyen-muc=%00",
    "?chuyen-muc=" + "x" * 500,
    "?chuyen-muc=chuyen-doi-so&chuyen-muc=mot-cua",
    "?q=%00&p=abc&ordering=nope",
]


@pytest.fixture
def loaded(demo):
    load_demo_news(demo)
    return demo


def _public_urls():
    article = NewsArticlePage.objects.live().first()
    return ["/", "/tin-tuc/", "/tin-tuc/rss/", article.url, ReformPage.objects.live().first().url, "/tin-tuc/khong-co/"]


def _cms_urls():
    index = NewsIndexPage.objects.get()
    live = NewsArticlePage.objects.live().first()
    draft = NewsArticlePage.objects.filter(live=False).first()
    category = NewsCategory.objects.first()
    return [
        "/cms/",
        "/cms/pages/",
        f"/cms/pages/{index.pk}/",
        f"/cms/pages/{live.pk}/edit/",
        f"/cms/pages/{draft.pk}/edit/",
        f"/cms/pages/{live.pk}/history/",
        f"/cms/pages/{draft.pk}/revisions/compare/earliest...latest/",
        f"/cms/pages/add/news/newsarticlepage/{index.pk}/",
        "/cms/pages/search/",
        "/cms/images/",
        "/cms/images/multiple/add/",
        "/cms/snippets/news/newscategory/",
        "/cms/snippets/news/newscategory/add/",
        f"/cms/snippets/news/newscategory/edit/{category.pk}/",
        "/cms/workflows/list/",
        "/cms/reports/locked/",
        "/cms/reports/site-history/",
        "/cms/pages/99999999999999999999/edit/",
    ]


@pytest.mark.parametrize("username", ROLES)
def test_no_news_page_or_cms_screen_fails_with_odd_input(client, loaded, username):
    client.raise_request_exception = False
    if username:
        client.force_login(User.objects.get(username=username))
    failures = []
    for url in _public_urls() + _cms_urls():
        for query in QUERIES:
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append(("GET", url + query, response.status_code))
    assert failures == []
