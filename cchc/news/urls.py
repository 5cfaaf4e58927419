"""The news pages themselves are Wagtail pages (served by the catch-all in config/urls.py); only
the RSS feed has a Django route, placed before that catch-all."""

from django.urls import path

from .feeds import LatestNewsFeed

app_name = "news"
urlpatterns = [
    path("tin-tuc/rss/", LatestNewsFeed(), name="rss"),
]
