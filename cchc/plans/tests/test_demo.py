"""The demo plan: loaded through the services, the same after a second run."""

from datetime import date, datetime, time
from decimal import Decimal

from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.plans.demo import load_demo_plans
from cchc.plans.models import Commitment, Plan, Task
from cchc.plans.selectors import late_tasks
from cchc.plans.workflow import CommitmentStatus, TaskStatus
from cchc.reform.models import Criterion, ParYear

from .conftest import unit, user

DEMO_DAY = date(2026, 11, 27)


def load(agency) -> int:
    with clock.replay(datetime.combine(DEMO_DAY, time(10), tzinfo=VN_TZ)):
        return load_demo_plans(agency)


def test_the_demo_plan_has_done_running_and_late_tasks_and_loads_once(demo, settings, tmp_path):
    settings.CCHC_SIGNING_P12_PATH = str(tmp_path / "missing.p12")  # no certificate: QLVT stays signed by the unit
    assert load(demo) > 15
    plan = Plan.objects.get(agency=demo, year=2026)
    tasks = Task.objects.filter(plan=plan)
    assert tasks.count() == 15
    assert tasks.filter(status=TaskStatus.DONE).count() == 5
    assert tasks.filter(status=TaskStatus.IN_PROGRESS).count() == 6
    assert len(late_tasks(user=user("lanhdao"), today=DEMO_DAY)) == 3
    assert Commitment.objects.get(unit=unit("QLVT"), year=2026).status == CommitmentStatus.SIGNED_BY_UNIT
    assert Commitment.objects.get(unit=unit("KCHT"), year=2026).status == CommitmentStatus.DRAFT

    assert load(demo) == 0
    assert Task.objects.filter(plan=plan).count() == 15


def test_with_a_certificate_and_last_years_appraisal_the_demo_goes_further(demo, signing):
    par_year = ParYear.objects.create(agency=demo, year=2025, appraised_on=date(2026, 3, 1))
    Criterion.objects.create(
        par_year=par_year,
        code="1.1",
        name="Ban hành kế hoạch đúng hạn",
        max_points=Decimal(2),
        appraised_score=Decimal(1),
    )
    load(demo)
    qlvt = Commitment.objects.get(unit=unit("QLVT"), year=2026)
    assert qlvt.status == CommitmentStatus.COUNTERSIGNED and qlvt.file
    assert Task.objects.filter(plan__year=2026, criterion__code="1.1").count() == 1
    assert load(demo) == 0
