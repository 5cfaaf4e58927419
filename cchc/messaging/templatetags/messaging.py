from django import template

from ..selectors import messages_of_dossier

register = template.Library()


@register.inclusion_tag("messaging/_delivery_panel.html")
def delivery_panel(dossier):
    """The SMS and Zalo messages about a dossier the reader already sees, with their delivery reports."""
    return {"notices": list(messages_of_dossier(dossier=dossier)[:20])}
