"""Sáng kiến, mô hình mới."""

from django.db import models  # noqa: F401
