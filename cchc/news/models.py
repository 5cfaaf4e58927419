"""Tin tức cải cách hành chính."""

from django.db import models  # noqa: F401
