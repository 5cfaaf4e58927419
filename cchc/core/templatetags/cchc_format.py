"""Vietnamese display formats: dd/mm/yyyy dates, hh:mm times, VND amounts."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.text import format_vnd

register = template.Library()


@register.filter
def vn_datetime(value):
    """`08:30 ngày 02/03/2026` in Vietnam time, as the statutory forms write it."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return _("%(time)s ngày %(date)s") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}


@register.filter
def vn_date(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


@register.filter
def vn_day(value):
    """A day given as text (a query's `2036-12-07`) shown as `07/12/2036`; anything else as it came."""
    text = str(value or "")
    try:
        return f"{datetime.strptime(text, '%Y-%m-%d'):%d/%m/%Y}"  # noqa: DTZ007 - a calendar date
    except ValueError:
        return text


@register.filter
def vnd(value):
    if value is None:
        return ""
    return format_vnd(int(value))


@register.filter
def working_time(hours):
    """`20` -> `2 ngày 4 giờ làm việc`."""
    hours = int(hours)
    days, rest = divmod(hours, 8)
    parts = []
    if days:
        parts.append(_("%(n)s ngày") % {"n": days})
    if rest or not days:
        parts.append(_("%(n)s giờ") % {"n": rest})
    return " ".join(parts) + " " + _("làm việc")
