"""The province generator's PostgreSQL path as a province-year uses it (COPY, two worker processes,
the indexes set aside and rebuilt): the rows are what the services would have written, and the
reports read from them agree with a recount. Skipped on SQLite (CI runs it on PostgreSQL)."""

from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cchc.accounts.models import Agency
from cchc.core.calendar import VN_TZ
from cchc.demo.bulk import BULK_KEY_PREFIX, generate_province
from cchc.demo.loader import load_demo
from cchc.dossiers.codes import parse_dossier_code
from cchc.dossiers.models import DailySequence, Dossier, DossierEvent, DossierSegment, DossierStep
from cchc.dossiers.workflow import Action
from cchc.procedures.rules import due_moment
from cchc.procedures.selectors import agency_calendar
from cchc.reports.selectors import NEVER_COUNTED, service_index

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the COPY path and its workers are PostgreSQL's"),
]

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=VN_TZ)


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'dossiers\\_%%'")
        return {row[0] for row in cursor.fetchall()}


def _figure(result: dict, code: str) -> dict:
    return next(i for group in result["groups"] for i in group["indicators"] if i["code"] == code)


def test_the_copy_path_with_workers_writes_what_the_services_would(demo):
    load_demo(province=True)
    indexes = _indexes()
    result = generate_province(
        count=900, agencies=14, months=3, seed=4, now=NOW, chunk_size=150, workers=2, bulk_load=True
    )

    assert result.dossiers == 900
    assert _indexes() == indexes  # every index set aside was built again
    dossiers = list(
        Dossier.objects.filter(idempotency_key__startswith=BULK_KEY_PREFIX).select_related(
            "agency", "reception_point", "procedure_version"
        )
    )
    assert len(dossiers) == 900
    calendars = {}

    def calendar_of(agency):
        if agency.pk not in calendars:
            calendars[agency.pk] = agency_calendar(agency)
        return calendars[agency.pk]

    top: dict[tuple, int] = defaultdict(int)
    for d in dossiers:
        if d.code:
            point = d.reception_point or d.agency
            point_code, day, number = parse_dossier_code(d.code)
            assert point_code == point.code
            assert day == timezone.localdate(d.submitted_at or d.received_at)
            top[(point.pk, day)] = max(top[(point.pk, day)], number)
        if d.received_at is None:
            continue
        # The time limit runs on the resolving agency's working calendar, from the counting start.
        cal = calendar_of(d.agency)
        v = d.procedure_version
        assert d.counted_from == cal.counting_start(d.received_at)
        assert d.original_due_at == due_moment(cal, d.counted_from, value=v.time_limit_value, unit=v.time_limit_unit)
    for (point_id, day), number in top.items():
        assert DailySequence.objects.get(agency_id=point_id, day=day).last == number

    # Inter-agency dossiers: one passage per agency in step order, each judged against its own budget.
    segments = defaultdict(list)
    for s in DossierSegment.objects.filter(dossier__in=dossiers).order_by("dossier_id", "sequence"):
        segments[s.dossier_id].append(s)
    assert segments, "the demo's inter-agency procedure got dossiers"
    steps = defaultdict(list)
    for run in DossierStep.objects.filter(dossier_id__in=list(segments)).order_by("dossier_id", "order"):
        steps[run.dossier_id].append(run)
    hand_overs = defaultdict(int)
    for dossier_id in DossierEvent.objects.filter(dossier_id__in=list(segments), action=Action.HAND_OVER).values_list(
        "dossier_id", flat=True
    ):
        hand_overs[dossier_id] += 1
    for dossier_id, passages in segments.items():
        runs = steps[dossier_id]
        assert all(run.agency_id for run in runs)
        assert [p.sequence for p in passages] == list(range(1, len(passages) + 1))
        assert passages[0].agency_id == runs[0].agency_id and passages[0].entered_at == runs[0].started_at
        assert hand_overs[dossier_id] == len(passages) - 1
        for before, after in zip(passages, passages[1:], strict=False):
            assert before.left_at == after.entered_at and before.agency_id != after.agency_id
        assert all(p.left_at is not None for p in passages[:-1])
        for p in passages:
            cal = calendar_of(p.agency)
            assert p.due_at >= cal.add_working_hours(cal.counting_start(p.entered_at), p.budget_hours)
            if p.left_at is not None:
                assert p.outcome in ("early", "on_time", "late")

    # The reports agree with a recount of the rows: October, for one commune and for the province.
    first, last = date(2026, 10, 1), date(2026, 10, 31)
    start = datetime(2026, 10, 1, tzinfo=VN_TZ)
    end = start + timedelta(days=31)
    commune = Agency.objects.filter(level=Agency.Level.COMMUNE, dossiers__in=dossiers).order_by("code").first()
    for agency in (commune, None):
        mine = [d for d in dossiers if agency is None or d.agency_id == agency.pk]
        received = [d for d in mine if d.received_at and start <= d.received_at < end]
        finished = [d for d in mine if d.finished_at and start <= d.finished_at < end and d.status not in NEVER_COUNTED]
        index = service_index(date_from=first, date_to=last, agency=agency, now=NOW)
        online = _figure(index, "online.dossiers")
        assert (online["numerator"], online["denominator"]) == (
            sum(1 for d in received if d.channel == "online"),
            len(received),
        )
        assert received
        # Indicator 2.1's numerator: the dossiers finished by their deadline, and the agency's passages
        # through dossiers other agencies resolve that it passed on by their due moment.
        passages = DossierSegment.objects.filter(left_at__gte=start, left_at__lt=end).exclude(
            dossier__status__in=("withdrawn", "stopped")
        )
        passages = [
            p
            for p in passages.select_related("dossier")
            if p.agency_id != p.dossier.agency_id and (agency is None or p.agency_id == agency.pk)
        ]
        on_time = _figure(index, "progress.on_time")
        assert on_time["numerator"] == sum(
            1 for d in finished if d.finished_at <= d.deadline_at and d.processing_supplements <= 1
        ) + sum(1 for p in passages if p.left_at <= p.due_at)
