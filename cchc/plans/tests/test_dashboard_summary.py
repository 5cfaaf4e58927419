"""The leadership sees the reform plan's late tasks on its dashboard; a unit head those of their unit."""

from django.urls import reverse

from cchc.accounts.models import User
from cchc.demo.reform import load_reform_demo
from cchc.plans.selectors import late_tasks


def test_the_leaders_dashboard_lists_the_late_reform_tasks(demo, client):
    load_reform_demo()
    leader = User.objects.get(username="lanhdao")
    late = late_tasks(user=leader)
    assert late
    client.force_login(leader)
    html = client.get(reverse("reports:dashboard_leader")).content.decode()
    assert "Nhiệm vụ cải cách hành chính trễ hạn" in html
    assert f"{len(late)} nhiệm vụ của kế hoạch cải cách hành chính đã quá hạn" in html
    assert late[0].title in html


def test_a_unit_head_sees_only_their_units_late_tasks(demo, client):
    load_reform_demo()
    head = User.objects.get(username="truongphong")
    client.force_login(head)
    html = client.get(reverse("reports:dashboard_unit")).content.decode()
    assert "Nhiệm vụ cải cách hành chính trễ hạn" in html
    others = [t for t in late_tasks(user=User.objects.get(username="lanhdao")) if t.unit_id != head.unit_id]
    assert others and all(t.title not in html for t in others)
