"""`{% latest_news 3 %}`: the newest live articles as a short list, for the public home page."""

from django import template

from cchc.news.selectors import latest_articles, news_index

register = template.Library()


@register.inclusion_tag("news/_latest.html", takes_context=True)
def latest_news(context, n: int = 3) -> dict:
    return {"articles": latest_articles(n), "index": news_index(), "request": context.get("request")}
