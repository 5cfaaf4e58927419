"""The lateness rule (`cchc.dossiers.timeliness`): the Python and the SQL versions agree."""

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.accounts.models import User
from cchc.core.calendar import VN_TZ
from cchc.dossiers import timeliness
from cchc.dossiers.models import Apology, Dossier, SupplementRequest
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Procedure

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 3, 2, 7, 0, tzinfo=VN_TZ)
HOUR = timedelta(hours=1)
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_SUPPLEMENT, Status.APPROVED)

cases = st.lists(
    st.fixed_dictionaries(
        {
            "status": st.sampled_from((*OPEN_STATUSES, Status.RESULT_READY, Status.RETURNED)),
            "deadline": st.integers(0, 200),  # hours after BASE
            "finished": st.integers(0, 200),
            "paused": st.one_of(st.none(), st.integers(0, 200)),
            "supplements": st.integers(0, 2),
            "apology": st.booleans(),
        }
    ),
    min_size=1,
    max_size=12,
)


def test_the_rule_in_plain_words():
    """issue 15 item 3; domain.md §4: late against the deadline, which an apology does not move;
    a second supplementation request during processing makes a dossier late whatever the dates;
    the clock stops while the applicant supplements."""
    deadline = BASE + 10 * HOUR
    assert timeliness.judge_finished(finished_at=deadline, deadline_at=deadline) == "on_time"
    assert timeliness.judge_finished(finished_at=deadline - 48 * HOUR, deadline_at=deadline) == "early"
    assert timeliness.judge_finished(finished_at=deadline + HOUR, deadline_at=deadline) == "late"
    assert timeliness.judge_finished(finished_at=BASE, deadline_at=deadline, processing_supplements=2) == "late"
    assert not timeliness.is_open_late(deadline_at=deadline, paused_since=deadline - HOUR, at=deadline + 9 * HOUR)
    assert timeliness.is_open_late(deadline_at=deadline, paused_since=deadline + HOUR, at=deadline + 9 * HOUR)
    assert timeliness.is_open_late(deadline_at=deadline, paused_since=None, at=deadline + HOUR)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(items=cases, at_hours=st.integers(0, 220))
def test_the_queries_say_what_the_python_rule_says(demo, items, at_hours):
    at = BASE + at_hours * HOUR
    procedure = Procedure.objects.select_related("current_version").first()
    officer = User.objects.get(username="motcua")
    with transaction.atomic():
        expected_finished, expected_open = {}, {}
        for number, item in enumerate(items):
            finished = item["status"] in (Status.RESULT_READY, Status.RETURNED)
            deadline = BASE + item["deadline"] * HOUR
            dossier = Dossier.objects.create(
                code=f"T-{number}",
                agency=demo,
                procedure=procedure,
                procedure_version=procedure.current_version,
                status=item["status"],
                channel="online",
                return_method="online",
                applicant_kind="citizen",
                applicant_name="Nguyễn Văn An",
                received_at=BASE,
                due_at=deadline + (24 * HOUR if item["apology"] else timedelta(0)),
                deadline_at=deadline,
                finished_at=BASE + item["finished"] * HOUR if finished else None,
                paused_since=BASE + item["paused"] * HOUR if item["paused"] is not None and not finished else None,
                processing_supplements=item["supplements"],
            )
            if item["apology"]:
                Apology.objects.create(
                    dossier=dossier,
                    reason="Chậm",
                    old_due_at=deadline,
                    new_due_at=dossier.due_at,
                    issued_at=BASE,
                    issued_by=officer,
                )
            for k in range(item["supplements"]):
                SupplementRequest.objects.create(
                    dossier=dossier,
                    stage=SupplementRequest.Stage.PROCESSING,
                    items=["Giấy tờ"],
                    reason="Thiếu",
                    requested_at=BASE + k * HOUR,
                    requested_by=officer,
                    answered_at=BASE + k * HOUR,
                )
            if finished:
                expected_finished[dossier.pk] = timeliness.judge_finished(
                    finished_at=dossier.finished_at,
                    deadline_at=deadline,
                    processing_supplements=item["supplements"],
                )
            else:
                expected_open[dossier.pk] = timeliness.is_open_late(
                    deadline_at=deadline,
                    paused_since=dossier.paused_since,
                    at=at,
                    processing_supplements=item["supplements"],
                )
        rows = Dossier.objects.filter(code__startswith="T-")
        on_time = set(rows.filter(timeliness.finished_on_time()).values_list("pk", flat=True))
        early = set(rows.filter(timeliness.finished_early()).values_list("pk", flat=True))
        late = set(rows.filter(timeliness.finished_late()).values_list("pk", flat=True))
        open_late = set(rows.filter(timeliness.open_late(at)).values_list("pk", flat=True))
        open_within = set(
            rows.filter(status__in=timeliness.UNFINISHED)
            .filter(timeliness.open_within(at))
            .values_list("pk", flat=True)
        )
        flagged = {row.pk for row in rows if timeliness.is_late_now(row, at)}
        transaction.set_rollback(True)

    assert {pk for pk, v in expected_finished.items() if v != "late"} == on_time & set(expected_finished)
    assert {pk for pk, v in expected_finished.items() if v == "early"} == early & set(expected_finished)
    assert {pk for pk, v in expected_finished.items() if v == "late"} == late & set(expected_finished)
    assert {pk for pk, v in expected_open.items() if v} == open_late == flagged
    assert {pk for pk, v in expected_open.items() if not v} == open_within
