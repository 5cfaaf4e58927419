"""The RSS feed of the news: the 20 newest live articles, with absolute links."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts.selectors import installation_owner

from .selectors import live_articles, news_index

FEED_SIZE = 20


class LatestNewsFeed(Feed):
    title = _("Tin tức cải cách hành chính")

    def description(self, request) -> str:
        return _("Tin mới về cải cách hành chính của %(owner)s.") % {"owner": installation_owner()}

    def get_object(self, request, *args, **kwargs):
        # The request, so that links follow the site it came to (the feed object is shared).
        return request

    def link(self, request) -> str:
        index = news_index()
        return (index.get_url(request) if index is not None else None) or "/"

    def feed_copyright(self) -> str:
        return settings.CCHC_SITE_NAME or installation_owner()

    def items(self):
        return live_articles()[:FEED_SIZE]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.intro

    def item_link(self, item) -> str:
        # Root-relative (or absolute with several sites); the feed adds the request's domain.
        return item.get_url()

    def item_pubdate(self, item) -> datetime:
        return item.first_published_at or datetime.combine(
            item.date, time(8, 0), tzinfo=timezone.get_current_timezone()
        )

    def item_categories(self, item) -> list[str]:
        return [category.name for category in item.categories.all()]
