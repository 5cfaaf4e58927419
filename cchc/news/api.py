"""Public news for other systems (the provincial portal, a mobile app): live articles only."""

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cchc.core.errors import ApplicationError

from .models import NewsCategory
from .selectors import live_articles

router = Router(tags=["news"])
PAGE_SIZE = 20


class CategoryOut(Schema):
    slug: str
    name: str


class ArticleOut(Schema):
    title: str
    date: date
    intro: str
    url: str
    categories: list[CategoryOut]


class ArticlePage(Schema):
    count: int
    page: int
    results: list[ArticleOut]


@router.get("", response=ArticlePage, auth=None, summary="Tin tức đã đăng, mới nhất trước")
def news_list(request, chuyen_muc: str = "", page: int = 1):
    if page < 1 or page > 10_000:
        raise ApplicationError(_("Số trang không hợp lệ."), code="invalid_page")
    articles = live_articles()
    if chuyen_muc:
        category = NewsCategory.objects.filter(slug=chuyen_muc).first() if chuyen_muc.isascii() else None
        if category is None:
            raise ApplicationError(_("Không có chuyên mục này."), code="unknown_category")
        articles = articles.filter(categories=category)
    start = (page - 1) * PAGE_SIZE
    rows = list(articles[start : start + PAGE_SIZE])
    return {
        "count": articles.count(),
        "page": page,
        "results": [
            {
                "title": article.title,
                "date": article.date,
                "intro": article.intro,
                "url": settings.CCHC_PUBLIC_URL + (article.get_url() or ""),
                "categories": [{"slug": c.slug, "name": c.name} for c in article.categories.all()],
            }
            for article in rows
        ],
    }
