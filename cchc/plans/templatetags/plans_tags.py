"""`{% late_reform_tasks %}`: the reform plan's late tasks, for the leadership's dashboard."""

from django import template

from cchc.plans.policies import may_see_late
from cchc.plans.selectors import late_tasks

register = template.Library()
SHOWN = 5


@register.inclusion_tag("plans/_late_summary.html", takes_context=True)
def late_reform_tasks(context) -> dict:
    user = context["request"].user
    if not may_see_late(user):
        return {"visible": False}
    tasks = late_tasks(user=user)
    return {"visible": True, "tasks": tasks[:SHOWN], "count": len(tasks)}
