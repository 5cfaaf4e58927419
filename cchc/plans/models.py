"""Kế hoạch, nhiệm vụ và cam kết cải cách hành chính."""

from django.db import models  # noqa: F401
