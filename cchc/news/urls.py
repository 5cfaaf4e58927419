"""The news pages themselves are Wagtail pages (served by the catch-all in config/urls.py); only
the RSS feed and the news images have Django routes, placed before that catch-all."""

from django.conf import settings
from django.urls import path

from . import views
from .feeds import LatestNewsFeed

MEDIA = settings.MEDIA_URL.strip("/")

app_name = "news"
urlpatterns = [
    path("tin-tuc/rss/", LatestNewsFeed(), name="rss"),
    # Where Wagtail links news images (MEDIA_URL + the storage name); only images are answered.
    path(f"{MEDIA}/images/<path:name>", views.image_file, name="image"),
    path(f"{MEDIA}/original_images/<path:name>", views.original_image_file, name="original_image"),
]
