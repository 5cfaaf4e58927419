from django import template

from ..models import Digitisation
from ..policies import may_record_result
from ..services import RESULT_STATUSES, is_paper_result

register = template.Library()


@register.inclusion_tag("digitisation/_office_panel.html", takes_context=True)
def paper_result_panel(context, dossier):
    """On the staff dossier page: where the paper result's digitisation stands, for the counter."""
    user = context["request"].user
    show = (
        bool(dossier.code)
        and dossier.status in RESULT_STATUSES
        and is_paper_result(dossier)
        and may_record_result(user, dossier)
    )
    job = Digitisation.objects.filter(dossier=dossier, source=Digitisation.Source.RESULT).first() if show else None
    return {"show": show, "dossier": dossier, "job": job}
