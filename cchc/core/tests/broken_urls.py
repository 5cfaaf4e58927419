"""A URL that fails, for the server error page's test."""

from django.urls import path


def broken(request):
    raise RuntimeError("a failure the page must not show")


urlpatterns = [path("", broken)]
