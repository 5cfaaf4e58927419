"""Reads of the news: only live, public articles ever reach visitors."""

from django.db.models import QuerySet
from wagtail.models import Site

from .models import NewsArticlePage, NewsCategory, NewsIndexPage


def live_articles() -> QuerySet[NewsArticlePage]:
    """Published articles visitors may read (no draft, no scheduled one, no private one), newest first."""
    return NewsArticlePage.readable()


def articles_of_index(*, index: NewsIndexPage, category: NewsCategory | None = None) -> QuerySet[NewsArticlePage]:
    return index.articles(category=category)


def latest_articles(n: int = 3) -> list[NewsArticlePage]:
    """The `n` newest live articles (for the public home page)."""
    return list(live_articles()[: max(0, n)])


def news_index() -> NewsIndexPage | None:
    """The live news index of the default site, if there is one."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    qs = NewsIndexPage.objects.live()
    if site is not None:
        qs = qs.descendant_of(site.root_page)
    return qs.first()
