"""The reform demo as `make run` loads it: every part present, linked, and loaded once."""

import pytest
from django.urls import reverse

from cchc.accounts.models import User
from cchc.demo.reform import load_reform_demo
from cchc.plans.models import Task
from cchc.reform.models import ParYear


@pytest.fixture
def reform_demo(demo):
    return load_reform_demo()


def test_every_part_is_loaded_once(reform_demo):
    assert all(count > 0 for count in reform_demo.values()), reform_demo
    assert set(load_reform_demo().values()) == {0}


def test_the_points_lost_in_2025_are_remediation_tasks_shown_on_their_criterion(reform_demo, client):
    year = ParYear.objects.get(agency__code="000.00.12.H99", year=2025)
    task = Task.objects.filter(criterion__par_year=year).select_related("criterion").first()
    assert task is not None
    assert task.criterion.appraised_score < task.criterion.max_points
    client.force_login(User.objects.get(username="lanhdao"))
    html = client.get(reverse("reform:criterion", args=[2025, task.criterion.code])).content.decode()
    assert "Nhiệm vụ khắc phục điểm bị mất" in html and task.title in html


def test_the_office_pages_of_reform_open_for_the_reform_officer(reform_demo, client):
    client.force_login(User.objects.get(username="cchc"))
    for name in ("reform:par_index", "plans:plan", "plans:commitments", "simplification:rounds", "initiatives:list"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert "Chỉ số CCHC (PAR Index)" in response.content.decode()  # the office navigation


def test_the_public_sees_the_news_on_the_home_page_and_the_news_list(reform_demo, client):
    home = client.get(reverse("home")).content.decode()
    assert "Tin tức cải cách hành chính" in home
    news = client.get("/tin-tuc/")
    assert news.status_code == 200
    assert client.get(reverse("news:rss")).status_code == 200
