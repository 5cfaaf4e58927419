"""Rà soát, đơn giản hóa thủ tục hành chính."""

from django.db import models  # noqa: F401
