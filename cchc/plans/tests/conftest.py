"""Fixtures for the plans tests: a throwaway agency certificate, a plan with tasks, a fresh cache."""

from datetime import date

import pytest
from django.core.cache import cache

from cchc.accounts.models import Agency, User
from cchc.accounts.services import user_upsert
from cchc.plans import services
from cchc.plans.selectors import unit_get

YEAR = 2026
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def user(username: str) -> User:
    return User.objects.get(username=username)


def unit(code: str, agency_code: str = "000.00.12.H99"):
    return unit_get(agency_id=Agency.objects.get(code=agency_code).pk, code=code, on=TODAY)


def fields(**overrides) -> services.TaskFields:
    values = {"title": "Rà soát thủ tục cấp phép", "unit": unit("QLVT"), "deadline": date(YEAR, 9, 30)}
    values.update(overrides)
    return services.TaskFields(**values)


@pytest.fixture
def plan(demo):
    return services.plan_create(actor=user("cchc"), year=YEAR, title="Kế hoạch CCHC năm 2026")


@pytest.fixture
def task(plan):
    return services.task_create(plan=plan, actor=user("cchc"), fields=fields(lead=user("chuyenvien")))


@pytest.fixture
def other_agency(demo):
    """Staff of the second agency, with their own plan and task."""
    agency = Agency.objects.get(code="000.00.10.H99")
    vp = unit_get(agency_id=agency.pk, code="VP", on=TODAY)
    officer = user_upsert(
        username="cchc_khac", password=None, role="reform_officer", full_name="Cán bộ CCHC khác", agency=agency, unit=vp
    )
    leader = user_upsert(
        username="lanhdao_khac", password=None, role="leader", full_name="Lãnh đạo khác", agency=agency, unit=vp
    )
    other_plan = services.plan_create(actor=officer, year=YEAR, title="Kế hoạch của Sở khác")
    other_task = services.task_create(
        plan=other_plan,
        actor=officer,
        fields=services.TaskFields(title="Nhiệm vụ của Sở khác", unit=vp, deadline=date(YEAR, 3, 1)),
    )
    return {"agency": agency, "officer": officer, "leader": leader, "plan": other_plan, "task": other_task}
