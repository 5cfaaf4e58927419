from django import template

from cchc.core.text import format_vnd

register = template.Library()


@register.filter
def vnd(value):
    """An amount in đồng as a citizen reads it: `135.000 đ`."""
    try:
        return format_vnd(int(value))
    except (TypeError, ValueError):
        return value
