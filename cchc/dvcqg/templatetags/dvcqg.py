from django import template

from ..client import sync_enabled
from ..selectors import dossier_sync, may_operate

register = template.Library()


@register.inclusion_tag("dvcqg/_office_panel.html", takes_context=True)
def dvcqg_office_panel(context, dossier):
    """Where the dossier stands with the national portal, on the staff dossier page."""
    user = context["request"].user
    return {"enabled": sync_enabled(), "sync": dossier_sync(dossier=dossier), "operator": may_operate(user)}
