from django import template

from ..panels import citizen_panel_context, office_panel_context

register = template.Library()


@register.inclusion_tag("payments/_citizen_panel.html", takes_context=True)
def payment_panel(context, dossier):
    """The fee box on the applicant's dossier page: pay online (VNPAY), or the paid receipt."""
    request = context["request"]
    return {**citizen_panel_context(dossier, request.user), "request": request, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("payments/_office_panel.html", takes_context=True)
def payment_office_panel(context, dossier):
    """The fee box on the staff dossier page: the ledger, the receipt, cash at the counter."""
    request = context["request"]
    return {**office_panel_context(dossier, request.user), "request": request, "csrf_token": context.get("csrf_token")}
