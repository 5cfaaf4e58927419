from django import template

from cchc.dossiers.models import ReturnMethod
from cchc.dossiers.policies import may_act
from cchc.dossiers.workflow import Action, Status

from ..client import post_enabled
from ..selectors import shipment_of
from ..services import LIVE

register = template.Library()


def _context(dossier) -> dict:
    return {
        "dossier": dossier,
        "by_post": dossier.return_method == ReturnMethod.POST,
        "shipment": shipment_of(dossier=dossier),
    }


@register.inclusion_tag("postal/_office_panel.html", takes_context=True)
def postal_office_panel(context, dossier):
    """The post box on the staff dossier page: send the result by VNPost, the waybill and the journey."""
    user = context["request"].user
    values = _context(dossier)
    shipment = values["shipment"]
    values["can_send"] = (
        values["by_post"]
        and post_enabled()
        and dossier.status == Status.RESULT_READY
        and (shipment is None or shipment.state not in LIVE)
        and may_act(user, dossier, Action.RETURN_RESULT)
    )
    return {**values, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("postal/_citizen_panel.html")
def postal_panel(dossier):
    """The waybill and the journey of the result, on the applicant's dossier page."""
    return _context(dossier)
