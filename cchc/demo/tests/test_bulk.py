"""Bulk dossiers look like the services' own: unique codes, consistent moments, sequences at the
maximum, and `--delete` takes them all away again."""

from collections import Counter, defaultdict
from datetime import datetime

from django.core.management import call_command
from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.calendar import VN_TZ
from cchc.demo.bulk import BULK_USER_PREFIX, bulk_dossiers, generate_dossiers
from cchc.dossiers.codes import parse_dossier_code
from cchc.dossiers.models import DailySequence, Dossier, DossierEvent, DossierStep, SupplementRequest
from cchc.dossiers.workflow import OPEN, Action, Status
from cchc.procedures.selectors import agency_calendar
from cchc.surveys.models import Rating

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=VN_TZ)


def test_bulk_dossiers_are_consistent_and_continue_the_daily_sequences(demo):
    result = generate_dossiers(count=500, months=4, seed=5, now=NOW, chunk_size=200)

    dossiers = list(bulk_dossiers())
    assert result.dossiers == len(dossiers) == 500
    assert sum(result.statuses.values()) == 500
    statuses = Counter(d.status for d in dossiers)
    assert statuses[Status.RETURNED] > 350 and set(statuses) & OPEN and statuses[Status.REFUSED]
    calendar = agency_calendar(demo)
    codes = [d.code for d in dossiers if d.code]
    assert len(codes) == len(set(codes)) > 450
    top = defaultdict(int)
    for d in dossiers:
        assert d.created_at <= d.updated_at <= NOW
        if d.code:
            agency, day, sequence = parse_dossier_code(d.code)
            assert agency == demo.code
            assert day == timezone.localdate(d.submitted_at or d.received_at)
            top[day] = max(top[day], sequence)
        if d.received_at is None:
            assert d.due_at is None and d.finished_at is None and not d.steps.exists()
            continue
        assert calendar.is_working_day(timezone.localdate(d.counted_from))
        assert d.received_by_id and d.counted_from >= d.received_at - timezone.timedelta(minutes=1)
        assert d.due_at >= d.original_due_at >= d.counted_from
        if d.status in OPEN - {Status.RESULT_READY}:
            assert d.finished_at is None and d.returned_at is None
        if d.finished_at is not None:
            assert d.finished_at >= d.received_at
        if d.status == Status.RETURNED:
            assert d.returned_at >= d.finished_at
            assert not d.fee_amount or d.paid_at is not None
    assert dict(DailySequence.objects.filter(agency=demo).values_list("day", "last")) == top

    late = sum(1 for d in dossiers if d.finished_at and d.finished_at > d.due_at)
    assert 0 < late < 60
    open_steps = Counter(DossierStep.objects.filter(finished_at__isnull=True).values_list("dossier_id", flat=True))
    assert open_steps and max(open_steps.values()) == 1
    assert DossierEvent.objects.filter(dossier__in=dossiers).count() >= 2 * len(dossiers)
    paused = SupplementRequest.objects.filter(stage="processing", answered_at__isnull=False)
    assert paused.exists() and all(r.paused_minutes > 0 for r in paused)
    assert Rating.objects.filter(dossier__status=Status.RETURNED).count() > 40
    # As the signing guard demands: an approved electronic result is signed before it reaches the counter.
    approved_electronic = Dossier.objects.filter(
        status__in=(Status.RESULT_READY, Status.RETURNED),
        procedure_version__result_type="electronic",
        events__action=Action.APPROVE,
    )
    assert approved_electronic.exists()
    assert not approved_electronic.filter(signed_result__isnull=True).exists()


def test_delete_removes_the_bulk_dossiers_their_accounts_and_their_sequence_numbers(demo):
    generate_dossiers(count=120, months=2, seed=6, now=NOW, chunk_size=50)
    assert bulk_dossiers().count() == 120 and User.objects.filter(username__startswith=BULK_USER_PREFIX).exists()

    call_command("generate_dossiers", "--delete", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not Dossier.objects.exists()
    assert not DossierStep.objects.exists() and not Rating.objects.exists()
    assert not DailySequence.objects.exists()
    assert not User.objects.filter(username__startswith=BULK_USER_PREFIX).exists()
    assert User.objects.filter(username="motcua").exists()
