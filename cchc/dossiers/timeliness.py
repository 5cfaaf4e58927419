"""When a dossier is early, on time or late: one rule for every report, dashboard and desk list.

The rule (domain.md §4; Decision 766/QĐ-TTg indicator 2.1 as summarised in legal-details.md §1.2,
[S]; issue 15 item 3 decided it for CCHC):

- A dossier is judged against its **deadline** (`Dossier.deadline_at`): the appointment computed
  at reception, moved by the working time spent waiting for supplementation during processing,
  and **never by an apology**. The apology's new appointment (form 04) is what a late office
  owes the applicant, not an extension: an apologised dossier finished by its new appointment is
  still late against its original one. Apologies are counted separately (`APOLOGISED`), so a
  report can say "late, of which apologised" without a second meaning of "late".
- **More than one supplementation request during processing** makes a dossier late whatever
  the dates (the national method; the workflow allows only one, older data may hold two).
- A **finished** dossier (result ready: `finished_at`) is late when finished after its deadline;
  otherwise *early* when finished on a day before the deadline's day and *on time* on that day
  (the one-stop statistics' split, `rules.judge`).
- A dossier **still open** at a moment `t` is late when its deadline passed while its clock ran:
  `deadline < t`, and, if it is waiting for supplementation now, `deadline < paused_since` (the
  clock stopped when the wait began, so it cannot fall late while the applicant works).

The same rule is written twice, once per use: as plain Python on one dossier (`judge_finished`,
`is_open_late`, `is_late_now`) and as `Q` objects over the dossier's own columns, which filter a list
and count inside one aggregate (`finished_on_time()`, `open_late(at)` …) without a subquery.
`dossiers/tests/test_timeliness.py` holds the two equal.
Everything that says "late" — the statutory report, the 766 index, the dashboards, the desk's
late tab and flags, the deadline notices — reads from here.
"""

from datetime import datetime

from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual

from cchc.core.calendar import VN_TZ

from .rules import judge
from .workflow import OPEN, Status

EARLY, ON_TIME, LATE = "early", "on_time", "late"
# Received and still being handled: the result is not ready yet.
UNFINISHED = frozenset(OPEN - {Status.RESULT_READY})


# ---------------------------------------------------------------- one dossier, in Python


def judge_finished(*, finished_at: datetime, deadline_at: datetime, processing_supplements: int = 0) -> str:
    """EARLY, ON_TIME or LATE for a dossier finished at `finished_at`."""
    if processing_supplements > 1:
        return LATE
    return judge(finished_at, deadline_at)


def is_open_late(
    *, deadline_at: datetime | None, paused_since: datetime | None, at: datetime, processing_supplements: int = 0
) -> bool:
    """Whether a dossier still open at `at` is late then."""
    if processing_supplements > 1:
        return True
    if deadline_at is None:
        return False
    clock_stopped = at if paused_since is None else min(at, paused_since)
    return deadline_at < clock_stopped


def is_late_now(dossier, at: datetime) -> bool:
    """The desk's red flag: an open dossier late at `at`."""
    if dossier.status not in UNFINISHED or dossier.received_at is None:
        return False
    return is_open_late(
        deadline_at=dossier.deadline_at,
        paused_since=dossier.paused_since,
        at=at,
        processing_supplements=dossier.processing_supplements,
    )


# ---------------------------------------------------------------- the same rule in SQL
#
# Each rule is a Q over expressions (no aliases), so the same object filters a list and counts
# inside an aggregate (`Count("pk", filter=rule)`), where Django refuses aliases.


def over_one_supplement() -> Q:
    """More than one supplementation request during processing (`Dossier.processing_supplements`,
    counted by the service that makes the requests)."""
    return Q(processing_supplements__gt=1)


def finished_on_time() -> Q:
    """Finished (early or on time) by the deadline, with at most one supplementation request."""
    return Q(LessThanOrEqual(F("finished_at"), F("deadline_at"))) & ~over_one_supplement()


def finished_early() -> Q:
    """On time, and on a day before the deadline's day."""
    return finished_on_time() & Q(
        LessThan(TruncDate("finished_at", tzinfo=VN_TZ), TruncDate("deadline_at", tzinfo=VN_TZ))
    )


def finished_late() -> Q:
    """The complement of `finished_on_time` among finished dossiers."""
    return Q(GreaterThan(F("finished_at"), F("deadline_at"))) | over_one_supplement()


def clock_ran_out(at: datetime) -> Q:
    """The deadline passed before `at` while the clock ran (the lateness of an open dossier)."""
    moment = Value(at, output_field=DateTimeField())
    return (
        Q(LessThan(F("deadline_at"), moment))
        & (Q(paused_since__isnull=True) | Q(LessThan(F("deadline_at"), F("paused_since"))))
    ) | over_one_supplement()


def open_within(at: datetime) -> Q:
    """The complement of `clock_ran_out` among open dossiers, written out (no NOT over NULLs)."""
    moment = Value(at, output_field=DateTimeField())
    return (
        Q(deadline_at__isnull=True)
        | Q(GreaterThanOrEqual(F("deadline_at"), moment))
        | (Q(paused_since__isnull=False) & Q(GreaterThanOrEqual(F("deadline_at"), F("paused_since"))))
    ) & ~over_one_supplement()


def open_late(at: datetime) -> Q:
    """Still being handled (received, result not ready) and late at `at`."""
    return Q(status__in=UNFINISHED, received_at__isnull=False) & clock_ran_out(at)


APOLOGISED = Q(apology__isnull=False)


# ---------------------------------------------------------------- an agency's passage (liên thông)
#
# An inter-agency dossier is also judged per agency, on each `DossierSegment`: against the
# segment's own due moment (its steps' budget on its agency's calendar, moved by supplementation
# pauses like the dossier's deadline). A segment is judged when it left the agency (`outcome`); an
# open one is late when its due moment passed while the clock ran. The Q rules below are over
# DossierSegment rows.


def segment_is_late(segment, *, dossier, at: datetime) -> bool:
    """Whether the agency was (or is now) late with the dossier on this passage."""
    if segment.left_at is not None:
        return segment.outcome == LATE
    return is_open_late(deadline_at=segment.due_at, paused_since=dossier.paused_since, at=at)


def segment_left_on_time() -> Q:
    return Q(left_at__isnull=False) & Q(LessThanOrEqual(F("left_at"), F("due_at")))


def segment_left_late() -> Q:
    return Q(left_at__isnull=False) & Q(GreaterThan(F("left_at"), F("due_at")))


def segment_open_late(at: datetime) -> Q:
    """Still in the agency at `at` (or left after it) and its due moment passed before `at` while the clock
    ran (`dossier.paused_since` stops it)."""
    moment = Value(at, output_field=DateTimeField())
    still_there = Q(left_at__isnull=True) | Q(GreaterThanOrEqual(F("left_at"), moment))
    return (
        still_there
        & Q(LessThan(F("due_at"), moment))
        & (Q(dossier__paused_since__isnull=True) | Q(LessThan(F("due_at"), F("dossier__paused_since"))))
    )
