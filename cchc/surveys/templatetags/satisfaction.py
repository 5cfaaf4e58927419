"""`{% satisfaction_prompt dossier %}`: the rating invitation (or the thanks) on the applicant's dossier page."""

from django import template
from django.urls import reverse

from cchc.dossiers.workflow import Status

from ..selectors import rating_of

register = template.Library()


@register.inclusion_tag("surveys/_prompt.html")
def satisfaction_prompt(dossier):
    returned = bool(dossier is not None and dossier.code and dossier.status == Status.RETURNED)
    return {
        "returned": returned,
        "rating": rating_of(dossier) if returned else None,
        "url": reverse("surveys:rate", kwargs={"code": dossier.code}) if returned else "",
    }
