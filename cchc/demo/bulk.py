"""Bulk dossiers for scale tests: a realistic million in minutes, written straight into the tables.

`generate_dossiers` does not go through the services (one dossier there costs milliseconds: the
row lock, the audit chain, the notices), but it writes what they would have written, in the
same shape: codes `{agency}-{yyMMdd}-{nnnn}` from the agency's daily sequences (a block of
numbers is reserved per day with the same upsert the intake uses, so later real submissions
continue the day's sequence), receptions during office hours on working days, appointments
and step due moments from the agency's calendar and the procedure version's time limit and
step budgets, one `DossierStep` per pass through a step with its outcome, supplementation
pauses that move the due moments by the working time spent waiting, apologies with a new
appointment, fees paid online or at the counter, satisfaction ratings (with the unit head's
follow-up for a low score) and a few complaints. Every dossier's story is simulated to its
end and cut at "now", so the last weeks are still open and a few recent ones stuck and late.

On PostgreSQL the rows go in with `COPY` (psycopg's `cursor.copy()`); elsewhere with
`executemany`. The work is done in chunks (one transaction each), chronologically, so memory
stays flat and an interrupted run leaves whole chunks behind.

Generated dossiers carry an idempotency key starting with `BULK_KEY_PREFIX`; the accounts made
for them (officers to share the work, applicants' accounts for online dossiers) a username
starting with `BULK_USER_PREFIX`. `delete_bulk_dossiers` removes both, and whatever rows point
at those dossiers.

Simplifications, on purpose:
- History: only the events that change the status (submit, receive, the first forward out of
  the counter, request_supplement / supplement, approve / not_approve, result_ready,
  return_result, refuse, withdraw, stop) and apologize. Moves between in-progress steps,
  assignments and signing are visible on the `DossierStep` and `SignedResult` rows only.
- No audit events, notifications, survey invitations, payment ledger rows, stored documents
  or files: a `DossierDocument` records paper / digitised / reused without a file, and a
  `SignedResult` (approved dossiers of procedures with an electronic result) names a file
  that does not exist (its download and verification pages say so).
- Each procedure has its current version, also for dossiers older than that version.
- A complaint goes to the procedure's lead unit.
"""

import bisect
import hashlib
import json
import queue
import random
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.roles import Role
from cchc.complaints.models import Complaint, ComplaintSequence
from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.dossiers.codes import format_dossier_code
from cchc.dossiers.models import (
    Apology,
    DailySequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierSegment,
    DossierStep,
    SupplementRequest,
)
from cchc.dossiers.regimes import regime_at
from cchc.dossiers.rules import judge
from cchc.dossiers.workflow import Action, Status
from cchc.procedures.models import Offering, Procedure, ProcedureVersion
from cchc.procedures.rules import due_moment
from cchc.procedures.selectors import agency_calendar, offered_by, process_steps
from cchc.results.models import ResultKind, SignedResult
from cchc.surveys.models import FollowUp, Rating

from .dossiers import (
    COMPANY_FORMS,
    COMPANY_NAMES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    NOT_APPROVED_REASONS,
    REFUSAL_REASONS,
    STOP_REASONS,
    STREETS,
    SUPPLEMENT_ITEMS,
    WARDS,
)

A = Action
S = Status

BULK_KEY_PREFIX = "bulk:"
BULK_USER_PREFIX = "bulk-"
DEFAULT_CHUNK = 25_000
BULK_CERTIFICATE_SUBJECT = "CN=Chứng thư số minh họa (dữ liệu sinh tự động)"
BULK_CERTIFICATE_FINGERPRINT = "0" * 64

# How many officers share the work (the demo accounts count): the counter, the specialists of
# each unit, the department's leaders. A unit without a head gets one.
COUNTER_OFFICERS = 8
SPECIALISTS_PER_UNIT = 4
LEADERS = 3


@dataclass(frozen=True)
class BulkResult:
    dossiers: int
    seconds: float
    statuses: dict[str, int]
    rows: dict[str, int]


@dataclass
class _Step:
    id: int
    order: int
    role: str
    unit_id: int | None
    hours: int
    name: str
    agency_id: int | None = None  # set on every step of an inter-agency (liên thông) process


@dataclass
class _Version:
    id: int
    procedure_id: int
    unit_id: int
    limit_value: int
    limit_unit: str
    online: bool
    fee_online: int
    fee_counter: int
    pay_before_reception: bool
    business_share: float
    steps: list[_Step]
    components: list[tuple[int, bool]]  # (id, required)
    electronic: bool = False  # the result is a signed PDF: approved dossiers are signed before the counter
    result_name: str = ""
    result_kind: str = "generic"


@dataclass
class _Applicant:
    user_id: int | None
    kind: str
    name: str
    id_number: str
    tax_code: str
    phone: str
    email: str
    address: str


# ---------------------------------------------------------------- tables and writers


class _Table:
    """A table written in bulk: the columns we fill, then every other column at its default."""

    def __init__(self, model: type[models.Model], columns: list[str]):
        self.model = model
        self.name = model._meta.db_table
        self.columns = columns
        known = set(columns)
        self.tail_columns: list[str] = []
        self.tail_values: list[object] = []
        self.tail_defaults: list[object] = []
        for f in model._meta.concrete_fields:
            if f.attname in known or (f.primary_key and "id" not in known):
                continue
            default = f.get_default()
            if default is None and not f.null:
                raise RuntimeError(f"bulk generator: {self.name}.{f.column} has no default; add it to bulk.py")
            self.tail_columns.append(f.column)
            self.tail_defaults.append(default)  # for binary COPY: Python values
            self.tail_values.append(f.get_db_prep_save(default, connection))

    @property
    def all_columns(self) -> list[str]:
        return self.columns + self.tail_columns


def _tables() -> dict[str, _Table]:
    return {
        "dossier": _Table(
            Dossier,
            [
                "id",
                "code",
                "agency_id",
                "procedure_id",
                "procedure_version_id",
                "regime",
                "status",
                "channel",
                "return_method",
                "sets",
                "applicant_user_id",
                "applicant_kind",
                "applicant_name",
                "applicant_id_number",
                "applicant_tax_code",
                "applicant_phone",
                "applicant_email",
                "applicant_address",
                "current_step",
                "submitted_at",
                "received_at",
                "received_by_id",
                "counted_from",
                "original_due_at",
                "due_at",
                "deadline_at",
                "paused_since",
                "processing_supplements",
                "finished_at",
                "returned_at",
                "decision_reason",
                "fee_amount",
                "paid_at",
                "paid_online",
                "late_notified_at",
                "idempotency_key",
                "created_at",
                "updated_at",
                "reception_point_id",
            ],
        ),
        "step": _Table(
            DossierStep,
            [
                "dossier_id",
                "process_step_id",
                "order",
                "unit_id",
                "role",
                "budget_hours",
                "assignee_id",
                "started_at",
                "due_at",
                "finished_at",
                "finished_by_id",
                "outcome",
                "note",
                "agency_id",
            ],
        ),
        "segment": _Table(
            DossierSegment,
            [
                "dossier_id",
                "agency_id",
                "sequence",
                "first_step",
                "entered_at",
                "left_at",
                "budget_hours",
                "due_at",
                "outcome",
            ],
        ),
        "event": _Table(
            DossierEvent,
            [
                "dossier_id",
                "action",
                "from_status",
                "to_status",
                "step_order",
                "step_name",
                "actor_id",
                "actor_role",
                "reason",
                "at",
            ],
        ),
        "document": _Table(
            DossierDocument,
            ["dossier_id", "component_id", "paper_received", "digitised", "reused", "uploaded_at"],
        ),
        "supplement": _Table(
            SupplementRequest,
            [
                "dossier_id",
                "stage",
                "items",
                "reason",
                "paused_from_status",
                "requested_at",
                "requested_by_id",
                "answered_at",
                "paused_minutes",
            ],
        ),
        "apology": _Table(Apology, ["dossier_id", "reason", "old_due_at", "new_due_at", "issued_at", "issued_by_id"]),
        "signed": _Table(
            SignedResult,
            [
                "id",
                "dossier_id",
                "name",
                "kind",
                "number",
                "file",
                "sha256",
                "size",
                "signed_at",
                "signer_id",
                "signer_name",
                "certificate_subject",
                "certificate_serial",
                "certificate_fingerprint",
                "certificate_pem",
            ],
        ),
        "rating": _Table(
            Rating,
            [
                "id",
                "dossier_id",
                "score_access",
                "score_procedure",
                "score_officer",
                "score_result",
                "score_feedback",
                "comment",
                "channel",
                "rated_at",
                "rater_id",
            ],
        ),
        "follow_up": _Table(
            FollowUp, ["rating_id", "unit_id", "status", "opened_at", "note", "closed_at", "closed_by_id"]
        ),
        "complaint": _Table(
            Complaint,
            [
                "code",
                "kind",
                "agency_id",
                "dossier_id",
                "procedure_id",
                "submitter_id",
                "submitter_name",
                "contact_phone",
                "contact_email",
                "content",
                "submitted_at",
                "unit_id",
                "status",
                "time_limit_days",
                "due_at",
                "answer",
                "answered_at",
                "answered_by_id",
                "outcome",
            ],
        ),
    }


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class _Writer:
    """Binary COPY on PostgreSQL, executemany elsewhere; the caller holds the transaction."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self._types: dict[str, list[int]] = {}

    def _column_types(self, table: _Table) -> list[int]:
        if table.name not in self._types:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                    [table.name],
                )
                oids = dict(cursor.fetchall())
            self._types[table.name] = [oids[c] for c in table.all_columns]
        return self._types[table.name]

    def insert(self, table: _Table, rows: list) -> None:
        if not rows:
            return
        columns = ", ".join(_quote(c) for c in table.all_columns)
        with connection.cursor() as cursor:
            if self.postgres:
                types = self._column_types(table)
                tail = tuple(table.tail_defaults)
                sql = f"COPY {_quote(table.name)} ({columns}) FROM STDIN (FORMAT BINARY)"
                with cursor.cursor.copy(sql) as copy:
                    copy.set_types(types)
                    write = copy.write_row
                    if tail:
                        for row in rows:
                            write((*row, *tail))
                    else:
                        for row in rows:
                            write(row)
                return
            adapt = connection.ops.adapt_datetimefield_value
            tail = tuple(table.tail_values)
            marks = ", ".join(["%s"] * len(table.all_columns))

            def value(v):
                if isinstance(v, datetime):
                    return adapt(v)
                if isinstance(v, uuid.UUID):
                    return v.hex  # Django keeps UUIDs as 32 hex digits on SQLite
                return json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v

            cursor.executemany(
                f"INSERT INTO {_quote(table.name)} ({columns}) VALUES ({marks})",  # noqa: S608 - our names
                [[value(v) for v in (*row, *tail)] for row in rows],
            )

    def reserve_ids(self, model: type[models.Model], n: int) -> list[int]:
        """`n` fresh primary keys, taken from the table's own sequence (no clash with concurrent inserts)."""
        if n <= 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the write transaction holds the database lock, so max + 1 … is ours.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_quote(table)}")  # noqa: S608
            (top,) = cursor.fetchone()
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            first = max(top, row[0] if row else 0) + 1
            return list(range(first, first + n))

    def reserve_blocks(self, model: type[models.Model], names: list[str], wanted: dict[tuple, int]) -> dict[tuple, int]:
        """`reserve_block` for many sequence rows at once (`{key values: n}`, one statement per
        thousand rows, in key order): `{key values: new last number}`."""
        table = _quote(model._meta.db_table)
        columns = ", ".join(_quote(k) for k in names)
        answers: dict[tuple, int] = {}
        items = sorted(wanted.items())
        for start in range(0, len(items), 1000):
            batch = items[start : start + 1000]
            row = "(" + ", ".join(["%s"] * (len(names) + 1)) + ")"
            params = []
            for keys, n in batch:
                params += [k.isoformat() if isinstance(k, date) and not self.postgres else k for k in keys]
                params.append(n)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}, last) VALUES {', '.join([row] * len(batch))} "  # noqa: S608
                    f"ON CONFLICT ({columns}) DO UPDATE SET last = {table}.last + EXCLUDED.last "
                    f"RETURNING {columns}, last",
                    params,
                )
                for *keys, last in cursor.fetchall():
                    answers[tuple(date.fromisoformat(k) if isinstance(k, str) else k for k in keys)] = last
        return answers


# ---------------------------------------------------------------- set-up: catalogue, staff, applicants


def _versions(agency: Agency) -> list[tuple[_Version, float]]:
    """The procedures the agency offers (its own, or national ones through an offering) with the
    process its dossiers run through (`process_steps`): a step of the province's template without a
    unit runs in the offering's lead unit."""
    procedures = (
        Procedure.objects.filter(offered_by(agency_code=agency.code), current_version__isnull=False)
        .select_related("current_version")
        .prefetch_related("current_version__components", "current_version__fees")
        .order_by("code")
    )
    lead_units = dict(Offering.objects.filter(agency=agency, unit__isnull=False).values_list("procedure_id", "unit_id"))
    chosen = []
    for procedure in procedures:
        v = procedure.current_version
        lead = lead_units.get(procedure.pk, v.unit_id)
        process = list(process_steps(v, agency.pk).select_related("agency"))
        inter_agency = len({s.agency_id or agency.pk for s in process}) > 1
        steps = [
            _Step(
                s.pk,
                s.order,
                s.role,
                s.unit_id or (lead if s.role != Role.ONE_STOP_OFFICER else None),
                s.hours,
                s.name,
                (_continuing(s.agency).pk if s.agency_id else agency.pk) if inter_agency else None,
            )
            for s in process
        ]
        if len(steps) < 3:
            continue
        applicants = v.applicants.lower()
        organisations = any(w in applicants for w in ("doanh nghiệp", "tổ chức", "hợp tác xã"))
        business_share = (0.4 if "cá nhân" in applicants else 1.0) if organisations else 0.0
        chosen.append(
            (
                _Version(
                    id=v.pk,
                    procedure_id=procedure.pk,
                    unit_id=lead,
                    limit_value=v.time_limit_value,
                    limit_unit=v.time_limit_unit,
                    online=v.online_level >= ProcedureVersion.OnlineLevel.PARTIAL,
                    fee_online=sum(f.amount_for(online=True) for f in v.fees.all()),
                    fee_counter=sum(f.amount_for(online=False) for f in v.fees.all()),
                    pay_before_reception=v.payment_stage == ProcedureVersion.PaymentStage.BEFORE_RECEPTION,
                    business_share=business_share,
                    steps=steps,
                    components=[(c.pk, c.required) for c in v.components.all()],
                    electronic=v.result_type == ProcedureVersion.ResultType.ELECTRONIC,
                    result_name=v.result_name,
                    result_kind=_result_kind(v.result_name),
                ),
                float(max(procedure.annual_volume, 1)),
            )
        )
    return chosen


def _continuing(agency: Agency) -> Agency:
    """The agency, or the successor that carries on its work once it ended (as the services do)."""
    seen = set()
    while agency.valid_to is not None and agency.successor_id and agency.pk not in seen:
        seen.add(agency.pk)
        agency = agency.successor
    return agency


def _result_kind(name: str) -> str:
    name = name.lower()
    if "giấy phép" in name or "chứng nhận" in name:
        return ResultKind.LICENCE
    return ResultKind.APPROVAL if "chấp thuận" in name else ResultKind.GENERIC


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


class _Staff:
    """Who does the work: the agency's officers by unit and role, topped up with bulk accounts."""

    def __init__(self, agency: Agency, versions: list[_Version], rng: random.Random):
        self.counter: list[int] = []
        self.leaders: list[int] = []
        self.specialists: dict[int, list[int]] = {}
        self.heads: dict[int, list[int]] = {}
        units = {s.unit_id for v in versions for s in v.steps if s.unit_id}
        units |= {v.unit_id for v in versions}
        unit_by_id = {u.pk: u for u in Unit.objects.filter(pk__in=units)}
        existing = list(
            User.objects.filter(models.Q(agency=agency) | models.Q(unit__in=units), is_active=True).order_by("pk")
        )
        new: list[User] = []

        def pool(role: str, unit: Unit | None, target: int) -> list[int]:
            ids = [u.pk for u in existing if u.role == role and (unit is None or u.unit_id == unit.pk)]
            for k in range(len(ids) + 1, target + 1):
                where = unit.code if unit else "SO"
                new.append(
                    User(
                        username=f"{BULK_USER_PREFIX}{agency.code}-{where}-{role}-{k}".lower(),
                        password="!",  # unusable: nobody signs in as a generated officer  # noqa: S106
                        role=role,
                        full_name=_person_name(rng),
                        agency_id=unit.agency_id if unit else agency.pk,
                        unit=unit,
                        is_staff=True,
                    )
                )
                ids.append(new[-1])
            return ids

        one_stop = next((u for u in unit_by_id.values() if u.kind == Unit.Kind.ONE_STOP), None)
        if one_stop is None:
            one_stop = agency.units.filter(kind=Unit.Kind.ONE_STOP, valid_to__isnull=True).first()
        leadership = agency.units.filter(kind=Unit.Kind.LEADERSHIP, valid_to__isnull=True).first()
        plan = [("counter", Role.ONE_STOP_OFFICER, one_stop, COUNTER_OFFICERS)]
        plan.append(("leaders", Role.LEADER, leadership, LEADERS))
        roles_by_unit = defaultdict(set)
        for v in versions:
            for s in v.steps:
                if s.unit_id:
                    roles_by_unit[s.unit_id].add(s.role)
            roles_by_unit[v.unit_id].add(Role.UNIT_HEAD)  # follow-ups go to the lead unit's head
        for unit_id in sorted(roles_by_unit):
            unit = unit_by_id[unit_id]
            if unit.kind in (Unit.Kind.ONE_STOP, Unit.Kind.LEADERSHIP):
                continue
            plan.append((("spec", unit_id), Role.SPECIALIST, unit, SPECIALISTS_PER_UNIT))
            plan.append((("head", unit_id), Role.UNIT_HEAD, unit, 1))
        pools = {key: pool(role, unit, target) for key, role, unit, target in plan}
        # Names are stable: a second run on the same database finds the accounts of the first.
        taken = set(User.objects.filter(username__in=[u.username for u in new]).values_list("username", flat=True))
        User.objects.bulk_create([u for u in new if u.username not in taken])
        by_name = dict(User.objects.filter(username__in=[u.username for u in new]).values_list("username", "pk"))
        resolved = {key: [i if isinstance(i, int) else by_name[i.username] for i in ids] for key, ids in pools.items()}
        self.counter = resolved.pop("counter")
        self.leaders = resolved.pop("leaders")
        for key, ids in resolved.items():
            kind, unit_id = key
            (self.specialists if kind == "spec" else self.heads)[unit_id] = ids
        roles = dict(
            User.objects.filter(pk__in=[i for ids in resolved.values() for i in ids]).values_list("pk", "role")
        )
        roles |= dict.fromkeys(self.counter, Role.ONE_STOP_OFFICER) | dict.fromkeys(self.leaders, Role.LEADER)
        self.role_of = roles
        self.names = dict(User.objects.filter(pk__in=self.leaders).values_list("pk", "full_name"))


def _applicants(count: int, rng: random.Random) -> tuple[list[_Applicant], list[_Applicant]]:
    """Accounts of citizens and businesses who submit online (about forty dossiers each over the years)."""
    citizens = max(20, count // 40)
    businesses = max(5, count // 400)
    wanted = [(f"{BULK_USER_PREFIX}citizen-{k:06d}", Role.CITIZEN, k) for k in range(1, citizens + 1)]
    wanted += [(f"{BULK_USER_PREFIX}business-{k:06d}", Role.BUSINESS, k) for k in range(1, businesses + 1)]
    have = dict(User.objects.filter(username__startswith=BULK_USER_PREFIX).values_list("username", "pk"))
    names = random.Random(7)  # account names do not depend on the run's seed  # noqa: S311
    missing = []
    for username, role, k in wanted:
        name = _person_name(names)
        if role == Role.BUSINESS:
            name = f"{names.choice(COMPANY_FORMS)} {names.choice(COMPANY_NAMES)} {k}"
        if username not in have:
            missing.append(
                User(
                    username=username,
                    password="!",  # noqa: S106 - unusable
                    role=role,
                    full_name=name,
                    email=f"{username}@example.vn",
                    phone=f"09{k:08d}",
                )
            )
    User.objects.bulk_create(missing, batch_size=2000)
    rows = User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", "pk", "role", "full_name")
    found = {username: (pk, role, full_name) for username, pk, role, full_name in rows}
    people, companies = [], []
    for username, role, k in wanted:
        pk, _role, full_name = found[username]
        address = f"Số {k % 250 + 1} đường {STREETS[k % len(STREETS)]}, {WARDS[k % len(WARDS)]}, tỉnh Bình Sơn"
        if role == Role.BUSINESS:
            companies.append(
                _Applicant(pk, "business", full_name, "", f"29{k:08d}", f"09{k:08d}", f"{username}@example.vn", address)
            )
        else:
            people.append(
                _Applicant(
                    pk, "citizen", full_name, f"0992{k:08d}", "", f"09{k:08d}", f"{username}@example.vn", address
                )
            )
    return people, companies


# ---------------------------------------------------------------- arrivals


def _months_back(moment: datetime, months: int) -> date:
    day = timezone.localdate(moment)
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, 28))


def _arrivals(calendar, *, start: date, now: datetime, count: int, rng: random.Random):
    """`count` moments during office hours of working days from `start` to `now`, in order.

    Busier on Mondays, quieter on Fridays and make-up Saturdays, growing by a quarter over the period.
    """
    per_day = calendar.minutes_per_day
    today = timezone.localdate(now)
    days = []
    d = start
    while d <= today:
        if calendar.is_working_day(d):
            opening = calendar.counting_start(datetime(d.year, d.month, d.day, tzinfo=VN_TZ))
            available = per_day if d < today else max(0, calendar.working_minutes_between(opening, now) - 1)
            if available > 0:
                days.append((d, opening, available))
        d += timedelta(days=1)
    if not days:
        return
    weekday = (1.15, 1.0, 1.0, 1.0, 0.9, 0.6, 0.6)
    weights = []
    for i, (d, _opening, available) in enumerate(days):
        trend = 1 + 0.25 * i / len(days)
        weights.append(weekday[d.weekday()] * trend * available / per_day * rng.uniform(0.85, 1.15))
    total = sum(weights)
    given = 0
    acc = 0.0
    for (_d, opening, available), weight in zip(days, weights, strict=True):
        acc += count * weight / total
        n = round(acc) - given
        given += n
        offsets = sorted(int(available * rng.random()) for _ in range(n))
        for offset in offsets:
            yield calendar.add_working_minutes(opening, offset) + timedelta(seconds=rng.randint(0, 59))


# ---------------------------------------------------------------- the simulation


class _Chunk:
    """The rows of one chunk, before codes and rating ids are known."""

    def __init__(self):
        self.dossiers: list[list] = []
        self.steps: list[tuple] = []
        self.segments: list[tuple] = []
        self.events: list[tuple] = []
        self.documents: list[tuple] = []
        self.supplements: list[tuple] = []
        self.apologies: list[tuple] = []
        self.signed_results: list[tuple] = []
        self.ratings: list[list] = []
        self.follow_ups: list[list] = []  # [rating index, …]
        self.complaints: list[list] = []
        # (day, moment, dossier row index, receiving point's id, its code)
        self.codes: list[tuple[date, datetime, int, int, str]] = []
        self.complaint_codes: list[tuple[date, datetime, int]] = []


# Dossier row positions that are filled after the simulation.
_CODE = 1


class _Simulator:
    def __init__(
        self,
        *,
        agency: Agency,
        now: datetime,
        rng: random.Random,
        versions,
        staff: _Staff,
        applicants,
        points: list[tuple[float, int, str, list[int]]] = (),
    ):
        self.agency = agency
        # Other one-stop points that receive counter dossiers for this agency: (chance, id, code, officers).
        self.points = list(points)
        self.now = now
        self.rng = rng
        self.cal = agency_calendar(agency)
        self.versions = [v for v, _w in versions]
        weights = [w for _v, w in versions]
        self.cum = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.staff = staff
        self.citizens, self.businesses = applicants
        self.stuck_after = now - timedelta(days=60)
        self.addresses = [
            f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, {rng.choice(WARDS)}, tỉnh Bình Sơn"
            for _ in range(500)
        ]
        self.statuses: dict[str, int] = defaultdict(int)
        self.complaint_days = 15
        self.agency_names = dict(Agency.objects.values_list("pk", "name"))

    # ------------------------------------------------------------ helpers

    def _version(self) -> _Version:
        return self.versions[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]

    def _walk_in(self, business: bool) -> _Applicant:
        rng = self.rng
        phone = f"09{rng.randint(0, 99_999_999):08d}"
        address = rng.choice(self.addresses)
        if business:
            name = f"{rng.choice(COMPANY_FORMS)} {rng.choice(COMPANY_NAMES)}"
            return _Applicant(None, "business", name, "", f"{rng.randint(0, 9_999_999_999):010d}", phone, "", address)
        id_number = f"0{rng.randint(1, 96):02d}{rng.randint(0, 999_999_999):09d}"
        return _Applicant(None, "citizen", _person_name(rng), id_number, "", phone, "", address)

    def _scores(self) -> tuple[int, int, int, int, int]:
        rng = self.rng
        mood = rng.random()
        if mood < 0.04:
            pool = (1, 2, 2, 3, 3, 4)
        elif mood < 0.15:
            pool = (3, 3, 4, 4, 5)
        else:
            pool = (4, 5, 5, 5)
        return tuple(rng.choice(pool) for _ in range(5))  # type: ignore[return-value]

    # ------------------------------------------------------------ one dossier

    def dossier(self, chunk: _Chunk, dossier_id: int, moment: datetime) -> None:
        rng, cal, now, staff = self.rng, self.cal, self.now, self.staff
        add = cal.add_working_minutes
        add_hours = cal.add_working_hours
        v = self._version()
        steps = v.steps

        def after(t: datetime, minutes: float) -> datetime | None:
            m = add(t, max(1, int(minutes))) + timedelta(seconds=rng.randint(0, 59))
            return m if m < now else None

        progress = max(0.0, 1 - (now - moment).days / 1100)
        online = v.online and rng.random() < 0.40 + 0.35 * progress
        business = rng.random() < v.business_share
        if online:
            applicant = rng.choice(self.businesses if business else self.citizens)
            channel = "online"
            return_method = rng.choice(("online", "online", "counter", "post"))
        else:
            applicant = self._walk_in(business)
            channel = "post" if rng.random() < 0.06 else "counter"
            return_method = "post" if channel == "post" or rng.random() < 0.2 else "counter"
        applicant_role = Role.BUSINESS if applicant.kind == "business" else Role.CITIZEN
        counter = rng.choice(staff.counter)
        point_id, point_code = self.agency.pk, self.agency.code
        if channel == "counter" and self.points:
            # Received at another one-stop point of the province (the provincial centre, a
            # neighbouring commune): that point's officer receives it and its code is the point's.
            draw = rng.random()
            for chance, other_id, other_code, officers in self.points:
                if draw < chance:
                    point_id, point_code, counter = other_id, other_code, rng.choice(officers)
                    break
                draw -= chance
        leader = rng.choice(staff.leaders)
        specialists = {}

        def specialist_of(unit_id):
            if unit_id not in specialists:
                specialists[unit_id] = rng.choice(staff.specialists.get(unit_id) or staff.counter)
            return specialists[unit_id]

        def head_of(unit_id):
            return (staff.heads.get(unit_id) or staff.leaders)[0]

        fee = v.fee_online if online else v.fee_counter
        events = chunk.events
        runs: list[list] = []
        row = {
            "status": S.DRAFT,
            "submitted_at": None,
            "received_at": None,
            "received_by": None,
            "counted_from": None,
            "original_due": None,
            "due": None,
            "deadline": None,
            "processing_supplements": 0,
            "paused_since": None,
            "finished": None,
            "returned": None,
            "reason": "",
            "paid_at": None,
            "paid_online": False,
            "current_step": 0,
            "last": moment,
        }
        code_moment = None

        def event(action, from_status, to_status, actor, role, at, step_order=0, reason=""):
            name = steps[step_order - 1].name if step_order else ""
            events.append((dossier_id, action, from_status, to_status, step_order, name, actor, role, reason, at))
            row["status"] = to_status
            row["last"] = at

        segments: list[list] = []  # an inter-agency dossier's passages (DossierSegment)
        row["segments"] = segments

        def open_run(order: int, at: datetime, assignee, actor=None):
            s = steps[order - 1]
            due = add_hours(cal.counting_start(at), s.hours)
            runs.append(
                [
                    dossier_id,
                    s.id,
                    order,
                    s.unit_id,
                    s.role,
                    s.hours,
                    assignee,
                    at,
                    due,
                    None,
                    None,
                    "",
                    "",
                    s.agency_id,
                ]
            )
            if s.agency_id is None or (segments and segments[-1][1] == s.agency_id):
                return
            # The dossier enters another agency: the passage's budget is that agency's consecutive steps.
            budget = 0
            for later in steps[order - 1 :]:
                if later.agency_id != s.agency_id:
                    break
                budget += later.hours
            if segments:
                source = self.agency_names.get(segments[-1][1], "")
                close_segment(at)
                reason = f"Chuyển liên thông từ {source} sang {self.agency_names.get(s.agency_id, '')}."
                # Its history row follows the action's own (as `dossier_act` writes them).
                row["hand_over"] = (actor, staff.role_of.get(actor, "") if actor else "", at, order, reason)
            due = add_hours(cal.counting_start(at), budget)
            segments.append([dossier_id, s.agency_id, len(segments) + 1, order, at, None, budget, due, ""])

        def close_segment(at: datetime):
            if segments and segments[-1][5] is None:
                segments[-1][5], segments[-1][8] = at, judge(at, segments[-1][7])

        def hand_over():
            pending = row.pop("hand_over", None)
            if pending is not None:
                actor, role, at, order, reason = pending
                event(A.HAND_OVER, row["status"], row["status"], actor, role, at, order, reason)

        row["close_segment"], row["hand_over_event"] = close_segment, hand_over

        def close_run(at: datetime, actor):
            run = runs[-1]
            run[9], run[10], run[11] = at, actor, judge(at, run[8])

        def pay(before: datetime, not_before: datetime):
            if fee and row["paid_at"] is None:
                row["paid_at"] = max(not_before, before - timedelta(minutes=rng.randint(1, 30)))
                row["paid_online"] = online and rng.random() < 0.92

        first = moment
        start = moment
        received_from = S.DRAFT
        done = False
        if online:
            if rng.random() < 0.25:  # handed in online in the evening; received the next working day
                evening = moment.replace(hour=rng.randint(19, 22), minute=rng.randint(0, 59))
                if evening < now:
                    first = evening
            row["submitted_at"] = first
            code_moment = first
            event(A.SUBMIT, S.DRAFT, S.SUBMITTED, applicant.user_id, applicant_role, first)
            fate = rng.random()
            delay = rng.uniform(10, 240) if rng.random() < 0.7 else rng.uniform(240, 960)
            start = after(cal.counting_start(first), delay)
            if fate < 0.02:
                at = after(first, rng.uniform(10, 120))
                if at is not None:
                    event(A.WITHDRAW, S.SUBMITTED, S.WITHDRAWN, applicant.user_id, applicant_role, at)
                done = True
            elif start is None:
                done = True
            elif fate < 0.07:
                row["reason"] = rng.choice(REFUSAL_REASONS)
                event(A.REFUSE, S.SUBMITTED, S.REFUSED, counter, Role.ONE_STOP_OFFICER, start, reason=row["reason"])
                done = True
            elif fate < 0.12:
                items = [rng.choice(SUPPLEMENT_ITEMS)]
                reason = "Hồ sơ chưa đầy đủ, đề nghị bổ sung trước khi tiếp nhận."
                event(
                    A.REQUEST_SUPPLEMENT,
                    S.SUBMITTED,
                    S.WAITING_SUPPLEMENT,
                    counter,
                    Role.ONE_STOP_OFFICER,
                    start,
                    reason=reason + "\n" + "; ".join(items),
                )
                # Three in ten never come back with the papers: the dossier waits forever, never received.
                answered = after(start, rng.uniform(240, 2880)) if rng.random() >= 0.3 else None
                chunk.supplements.append(
                    (dossier_id, "reception", items, reason, S.SUBMITTED, start, counter, answered, 0)
                )
                if answered is None:
                    done = True
                else:
                    event(
                        A.SUPPLEMENT,
                        S.WAITING_SUPPLEMENT,
                        S.SUBMITTED,
                        applicant.user_id,
                        applicant_role,
                        answered,
                        reason="Đã bổ sung theo yêu cầu.",
                    )
                    start = after(answered, rng.uniform(15, 480))
                    done = start is None
            received_from = S.SUBMITTED
        elif rng.random() < 0.04:
            row["reason"] = rng.choice(REFUSAL_REASONS)
            event(A.REFUSE, S.DRAFT, S.REFUSED, counter, Role.ONE_STOP_OFFICER, moment, reason=row["reason"])
            done = True
        else:
            code_moment = moment

        if not done:
            self._process(
                chunk,
                dossier_id,
                v,
                row,
                runs,
                event,
                open_run,
                close_run,
                pay,
                after,
                start,
                received_from,
                counter=counter,
                leader=leader,
                specialist_of=specialist_of,
                head_of=head_of,
                applicant=applicant,
                applicant_role=applicant_role,
                online=online,
                return_method=return_method,
                moment=moment,
            )

        status = row["status"]
        self.statuses[status] += 1
        chunk.steps.extend(tuple(r) for r in runs)
        chunk.segments.extend(tuple(r) for r in segments)
        first_known = row["received_at"] or first
        for component_id, required in v.components:
            if not required and rng.random() < 0.5:
                continue
            if online:
                chunk.documents.append(
                    (dossier_id, component_id, False, True, rng.random() < 0.04 + 0.1 * progress, first)
                )
            else:
                chunk.documents.append(
                    (dossier_id, component_id, True, rng.random() < 0.6 + 0.35 * progress, False, first_known)
                )
        late_notified = None
        deadline = row["deadline"]
        if status in (S.RECEIVED, S.IN_PROGRESS, S.APPROVED, S.NOT_APPROVED) and deadline and deadline < now:
            late_notified = min(now, deadline + timedelta(minutes=rng.randint(1, 15)))
        if code_moment is not None:
            chunk.codes.append(
                (timezone.localdate(code_moment), code_moment, len(chunk.dossiers), point_id, point_code)
            )
        chunk.dossiers.append(
            [
                dossier_id,
                None,
                self.agency.pk,
                v.procedure_id,
                v.id,
                regime_at(first_known).code,
                status,
                channel,
                return_method,
                1 if rng.random() < 0.9 else 2,
                applicant.user_id,
                applicant.kind,
                applicant.name,
                applicant.id_number,
                applicant.tax_code,
                applicant.phone,
                applicant.email,
                applicant.address,
                row["current_step"],
                row["submitted_at"],
                row["received_at"],
                row["received_by"],
                row["counted_from"],
                row["original_due"],
                row["due"],
                row["deadline"],
                row["paused_since"],
                row["processing_supplements"],
                row["finished"],
                row["returned"],
                row["reason"],
                fee,
                row["paid_at"],
                row["paid_online"],
                late_notified,
                f"{BULK_KEY_PREFIX}{dossier_id}",
                first,
                row["last"],
                point_id,
            ]
        )

    def _process(
        self,
        chunk,
        dossier_id,
        v,
        row,
        runs,
        event,
        open_run,
        close_run,
        pay,
        after,
        t,
        received_from,
        *,
        counter,
        leader,
        specialist_of,
        head_of,
        applicant,
        applicant_role,
        online,
        return_method,
        moment,
    ):
        """Reception, the steps, the decision, the result and its return; stops at "now"."""
        rng, cal, staff = self.rng, self.cal, self.staff
        steps = v.steps
        decision = len(steps) - 1
        if v.pay_before_reception:
            pay(t, row["submitted_at"] or t)
        row["received_at"], row["received_by"] = t, counter
        row["counted_from"] = cal.counting_start(t)
        due = due_moment(cal, row["counted_from"], value=v.limit_value, unit=v.limit_unit)
        row["due"] = row["original_due"] = row["deadline"] = due
        row["current_step"] = 1
        open_run(1, t, counter)
        event(A.RECEIVE, received_from, S.RECEIVED, counter, Role.ONE_STOP_OFFICER, t, step_order=1)

        fate = rng.random()
        fate = "withdraw" if fate < 0.035 else "stop" if fate < 0.055 else "not_approve" if fate < 0.085 else "return"
        stuck = 0
        if moment > self.stuck_after and rng.random() < 0.03:
            stuck = rng.randint(1, len(steps))
        slow = rng.randint(2, decision) if rng.random() < 0.1 else 0
        supplement = rng.random() < 0.10
        supplemented = apologized = False
        walk_in_actor = applicant.user_id or counter
        walk_in_role = applicant_role if applicant.user_id else Role.ONE_STOP_OFFICER

        order = 1
        while order <= decision:
            s = steps[order - 1]
            if s.role == Role.SPECIALIST:
                holder = specialist_of(s.unit_id)
            elif s.role == Role.UNIT_HEAD:
                holder = head_of(s.unit_id)
            else:
                holder = leader if s.role == Role.LEADER else counter
            if stuck == order and order < decision:
                return
            if order == slow and not apologized and rng.random() < 0.35:
                at = after(t, rng.uniform(5, 30))
                due = row["due"]
                if at is not None and cal.add_working_hours(at, 8) <= due:
                    t = at  # the step goes on from the apology, so the history stays in order
                    new_due = cal.add_working_hours(due, rng.choice((8, 16, 24)))
                    reason = "Hồ sơ cần xin ý kiến cơ quan liên quan nên chưa giải quyết kịp thời hạn."
                    chunk.apologies.append((dossier_id, reason, due, new_due, at, leader))
                    row["due"] = new_due
                    event(A.APOLOGIZE, row["status"], row["status"], leader, Role.LEADER, at, order, reason)
                    apologized = True
            if supplement and not supplemented and s.role == Role.SPECIALIST:
                supplemented = True
                asked = after(t, rng.uniform(30, s.hours * 60 * 0.5))
                if asked is None:
                    return
                items = rng.sample(SUPPLEMENT_ITEMS, k=rng.choice((1, 2)))
                reason = "Đề nghị bổ sung để có đủ căn cứ giải quyết."
                paused_from = row["status"]
                event(
                    A.REQUEST_SUPPLEMENT,
                    paused_from,
                    S.WAITING_SUPPLEMENT,
                    holder,
                    Role.SPECIALIST,
                    asked,
                    order,
                    reason + "\n" + "; ".join(items),
                )
                answered = after(asked, rng.uniform(240, 8 * 60 * 8))
                waited = cal.working_minutes_between(asked, answered) if answered else 0
                chunk.supplements.append(
                    (dossier_id, "processing", items, reason, paused_from, asked, holder, answered, waited)
                )
                row["processing_supplements"] = 1
                if answered is None:
                    row["paused_since"] = asked
                    return
                row["due"] = cal.add_working_minutes(row["due"], waited)
                row["deadline"] = cal.add_working_minutes(row["deadline"], waited)
                runs[-1][8] = cal.add_working_minutes(runs[-1][8], waited)
                if row["segments"] and row["segments"][-1][5] is None:
                    row["segments"][-1][7] = cal.add_working_minutes(row["segments"][-1][7], waited)
                event(
                    A.SUPPLEMENT,
                    S.WAITING_SUPPLEMENT,
                    paused_from,
                    walk_in_actor,
                    walk_in_role,
                    answered,
                    order,
                    "Đã bổ sung giấy tờ theo phiếu yêu cầu.",
                )
                t = answered
            if order == 2 and fate in ("withdraw", "stop"):
                at = after(t, rng.uniform(30, s.hours * 60 * 0.5))
                if at is None:
                    return
                if fate == "withdraw":
                    close_run(at, walk_in_actor)
                    row["close_segment"](at)
                    event(
                        A.WITHDRAW,
                        row["status"],
                        S.WITHDRAWN,
                        walk_in_actor,
                        walk_in_role,
                        at,
                        order,
                        "Xin rút hồ sơ để hoàn thiện lại giấy tờ.",
                    )
                else:
                    row["reason"] = rng.choice(STOP_REASONS)
                    close_run(at, leader)
                    row["close_segment"](at)
                    event(A.STOP, row["status"], S.STOPPED, leader, Role.LEADER, at, order, row["reason"])
                return
            budget = s.hours * 60
            spent = budget * (rng.uniform(1.3, 3.2) if order == slow else rng.uniform(0.1, 0.8))
            end = after(t, spent)
            if end is None:
                return
            close_run(end, holder)
            t = end
            if order < decision:
                order += 1
                row["current_step"] = order
                nxt = steps[order - 1]
                open_run(order, t, specialist_of(nxt.unit_id) if nxt.role == Role.SPECIALIST else None, holder)
                if order == 2:
                    event(A.FORWARD, S.RECEIVED, S.IN_PROGRESS, holder, staff.role_of.get(holder, s.role), t, 2)
                row["hand_over_event"]()
                continue
            approved = fate != "not_approve"
            if not approved:
                row["reason"] = rng.choice(NOT_APPROVED_REASONS)
            row["current_step"] = len(steps)
            open_run(len(steps), t, None, holder)
            event(
                A.APPROVE if approved else A.NOT_APPROVE,
                row["status"],
                S.APPROVED if approved else S.NOT_APPROVED,
                holder,
                staff.role_of.get(holder, s.role),
                t,
                len(steps),
                "Đồng ý." if approved else row["reason"],
            )
            row["hand_over_event"]()
            break
        if stuck == decision:
            return
        if approved and v.electronic:  # the leader signs the result before it goes to the counter
            signed = after(t, rng.uniform(5, 90))
            if signed is None:
                return
            self._sign(chunk, dossier_id, v, leader, signed)
            t = signed
        last_budget = steps[-1].hours * 60
        ready = after(t, last_budget * rng.uniform(0.05, 0.4))
        if ready is None:
            return
        row["finished"] = ready
        runs[-1][6] = runs[-1][6] or counter
        event(A.RESULT_READY, row["status"], S.RESULT_READY, counter, Role.ONE_STOP_OFFICER, ready, len(steps))
        row["close_segment"](ready)  # an inter-agency dossier's last passage ends with the result
        if stuck == len(steps):
            return
        if return_method == "online":
            wait = rng.uniform(5, 60)
        elif rng.random() < 0.65:
            wait = last_budget * rng.uniform(0.05, 0.5)
        else:
            wait = rng.uniform(480, 2880)
        returned = after(ready, wait)
        if returned is None:
            return
        pay(returned, ready)
        close_run(returned, counter)
        row["returned"] = returned
        event(A.RETURN_RESULT, S.RESULT_READY, S.RETURNED, counter, Role.ONE_STOP_OFFICER, returned, len(steps))
        self._rate(chunk, dossier_id, v, returned, applicant, online)
        if rng.random() < 0.002:
            self._complain(chunk, dossier_id, v, row["received_at"], applicant)

    def _sign(self, chunk: _Chunk, dossier_id: int, v: _Version, leader: int, at: datetime) -> None:
        """A signed result without its file: the download answers "file not found", the verification
        page "cannot read the stored file" (both handled), and the indicators count it."""
        key = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        chunk.signed_results.append(
            (
                key,
                dossier_id,
                v.result_name,
                v.result_kind,
                f"{dossier_id}/KQ",
                f"results/bulk/{key.hex}.pdf",
                hashlib.sha256(key.bytes).hexdigest(),
                0,
                at,
                leader,
                self.staff.names.get(leader, ""),
                BULK_CERTIFICATE_SUBJECT,
                "0",
                BULK_CERTIFICATE_FINGERPRINT,
                "",
            )
        )

    def _rate(self, chunk: _Chunk, dossier_id: int, v: _Version, returned: datetime, applicant, online) -> None:
        rng = self.rng
        if rng.random() >= 0.2:
            return
        rated_at = returned + timedelta(minutes=rng.randint(5, 3 * 24 * 60) if online else rng.randint(1, 10))
        if rated_at >= self.now:
            return
        scores = self._scores()
        low = min(scores) <= 2
        comment = rng.choice(("Thời gian chờ còn lâu.", "Hướng dẫn chưa rõ ràng.", "")) if low else ""
        channel = "online" if applicant.user_id else "kiosk"
        chunk.ratings.append([None, dossier_id, *scores, comment, channel, rated_at, applicant.user_id])
        if low:
            closed_at = rated_at + timedelta(days=rng.randint(1, 7))
            head = (self.staff.heads.get(v.unit_id) or self.staff.leaders)[0]
            if closed_at < self.now:
                note = "Đã liên hệ người dân, giải thích và chấn chỉnh cán bộ liên quan."
                chunk.follow_ups.append([len(chunk.ratings) - 1, v.unit_id, "closed", rated_at, note, closed_at, head])
            else:
                chunk.follow_ups.append([len(chunk.ratings) - 1, v.unit_id, "open", rated_at, "", None, None])

    def _complain(self, chunk: _Chunk, dossier_id: int, v: _Version, received: datetime, applicant) -> None:
        rng, cal = self.rng, self.cal
        submitted = received + timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
        if submitted >= self.now:
            return
        days = self.complaint_days
        due = cal.add_working_hours(cal.counting_start(submitted), days * 8)
        answered = cal.add_working_minutes(cal.counting_start(submitted), rng.randint(60, days * 8 * 60 * 6 // 5))
        head = (self.staff.heads.get(v.unit_id) or self.staff.leaders)[0]
        kind = "complaint" if rng.random() < 0.7 else "petition"
        content = "Đề nghị cơ quan giải thích lý do hồ sơ phải bổ sung nhiều lần và thời gian trả kết quả."
        if answered < self.now:
            status, answer, outcome = (
                "answered",
                "Cơ quan đã tiếp thu, kiểm tra và trả lời như sau: …",
                judge(answered, due),
            )
        else:
            status, answer, answered, outcome = "in_progress", "", None, ""
        chunk.complaint_codes.append((timezone.localdate(submitted), submitted, len(chunk.complaints)))
        chunk.complaints.append(
            [
                None,
                kind,
                self.agency.pk,
                dossier_id,
                v.procedure_id,
                applicant.user_id,
                applicant.name,
                applicant.phone,
                applicant.email,
                content,
                submitted,
                v.unit_id,
                status,
                days,
                due,
                answer,
                answered,
                head if answered else None,
                outcome,
            ]
        )


# ---------------------------------------------------------------- generate and delete


def generate_dossiers(
    *,
    count: int,
    months: int = 36,
    seed: int = 1,
    agency_code: str | None = None,
    now: datetime | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int, int, float], None] | None = None,
    threaded: bool | None = None,
) -> BulkResult:
    """Write `count` dossiers received over the last `months` months for the agency (the demo one by default)."""
    from .loader import DEMO_AGENCY_CODE

    started = time.monotonic()
    now = now or clock.now()
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    agency = Agency.objects.get(code=agency_code or DEMO_AGENCY_CODE)
    versions = _versions(agency)
    if not versions:
        raise RuntimeError(f"agency {agency.code} has no published procedure with an internal process (load_demo?)")
    staff = _Staff(agency, [v for v, _w in versions], rng)
    simulator = _Simulator(
        agency=agency, now=now, rng=rng, versions=versions, staff=staff, applicants=_applicants(count, rng)
    )
    arrivals = _arrivals(simulator.cal, start=_months_back(now, months), now=now, count=count, rng=rng)
    writer = _Writer()
    # On PostgreSQL a second thread (with its own connection) writes and commits chunk n while
    # this one simulates chunk n+1: the database and Python each keep one core busy. Inside a
    # transaction (a test) everything stays on this connection.
    if threaded is None:
        threaded = writer.postgres and not connection.in_atomic_block
    sink = _Sink(total=count, started=started, progress=progress, threaded=threaded)
    try:
        _simulate(simulator, arrivals, writer=writer, sink=sink, chunk_size=chunk_size)
    finally:
        sink.close()
    _analyze(writer)
    return BulkResult(
        dossiers=sink.done, seconds=time.monotonic() - started, statuses=dict(simulator.statuses), rows=sink.totals
    )


def _simulate(simulator: "_Simulator", arrivals, *, writer: "_Writer", sink: "_Sink", chunk_size: int) -> None:
    while True:
        moments = [m for _i, m in zip(range(chunk_size), arrivals, strict=False)]
        if not moments:
            break
        chunk = _Chunk()
        for dossier_id, moment in zip(writer.reserve_ids(Dossier, len(moments)), moments, strict=True):
            simulator.dossier(chunk, dossier_id, moment)
        sink.put(chunk)


def _analyze(writer: "_Writer") -> None:
    if writer.postgres:
        # Every table, not only those written: the catalogue's few rows are below autovacuum's
        # threshold and would otherwise keep no statistics, which misleads the planner's joins.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# ---------------------------------------------------------------- a province-year

PROVINCE_AGENCIES = 150
DEPARTMENT_WEIGHT = 6.0  # a department receives about six times a commune's dossiers
# Counter dossiers received elsewhere than at the resolving agency (Decree 118/2025: anywhere in
# the province): a department's mostly at the provincial centre, a commune's sometimes there or at
# the neighbouring commune.
DEPARTMENT_AT_CENTRE = 0.85
COMMUNE_AT_CENTRE = 0.08
COMMUNE_AT_NEIGHBOUR = 0.05
_PLACE_FIRST = ("An", "Bình", "Hòa", "Tân", "Phú", "Long", "Thạnh", "Mỹ", "Vĩnh", "Đông", "Hưng", "Quang")
_PLACE_SECOND = ("Lợi", "Hưng", "Thành", "Phước", "Hiệp", "Thuận", "Tây", "Nam", "Bắc", "Định", "Lộc", "Xuân")


def bulk_commune_code(number: int) -> str:
    """Generated communes: 000.02.01.H99 … 000.02.99.H99, then 000.03.01.H99 …"""
    return f"000.{2 + (number - 1) // 99:02d}.{(number - 1) % 99 + 1:02d}.H99"


def _top_up_communes(total: int) -> list[Agency]:
    """The province's active agencies, with generated communes added (through the services, each
    with the demo communes' units and offering the commune procedures) until there are `total`."""
    from cchc.accounts.services import agency_upsert, unit_upsert

    from .province import TWO_LEVELS, _data, commune_code

    active = list(Agency.objects.filter(province__isnull=False, valid_to__isnull=True).order_by("code"))
    model = Agency.objects.filter(code=commune_code(1)).first()
    if model is None:
        raise RuntimeError("the demo province is not loaded (manage.py load_demo --province)")
    offered = list(Offering.objects.filter(agency=model).values_list("procedure_id", flat=True))
    data = _data()
    number = 0
    while len(active) < total:
        number += 1
        code = bulk_commune_code(number)
        if any(a.code == code for a in active):
            continue
        first = _PLACE_FIRST[(number - 1) % len(_PLACE_FIRST)]
        second = _PLACE_SECOND[((number - 1) // len(_PLACE_FIRST)) % len(_PLACE_SECOND)]
        kind = "Phường" if number % 4 == 0 else "Xã"
        commune = agency_upsert(
            code=code,
            name=f"{kind} {first} {second}" + (f" {number}" if number > 144 else ""),
            place_name=model.place_name,
            parent_name=model.parent_name,
            province=model.province,
            level=Agency.Level.COMMUNE,
            parent=model.parent,
            valid_from=TWO_LEVELS,
        )
        units = {
            u["code"]: unit_upsert(
                agency=commune, code=u["code"], name=u["name"], kind=u["kind"], valid_from=TWO_LEVELS
            )
            for u in data["commune_units"]
        }
        Offering.objects.bulk_create(
            [Offering(procedure_id=pid, agency=commune, unit=units["VHXH"]) for pid in offered],
            ignore_conflicts=True,
        )
        active.append(commune)
    return active


def generate_province(
    *,
    count: int,
    agencies: int = PROVINCE_AGENCIES,
    months: int = 12,
    seed: int = 1,
    now: datetime | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int, int, float], None] | None = None,
    threaded: bool | None = None,
    workers: int = 1,
    bulk_load: bool = False,
) -> BulkResult:
    """A province-year: `count` dossiers over the last `months` months, spread over the province's
    agencies (the demo province, topped up with generated communes to `agencies` agencies):
    departments about six times a commune; counter dossiers partly received at the provincial
    centre or at a neighbouring commune, with that point's code and officer.

    Each agency's dossiers come from its own random stream (seed and agency code), so the data set
    is the same whatever `workers` is. On PostgreSQL, `workers` processes simulate and write
    agencies side by side (each with its own connection); `bulk_load` (an empty bench database,
    nobody else using it) sets the written tables' secondary indexes aside during the load and
    rebuilds them after, and skips the row-by-row foreign-key triggers when the role may."""
    started = time.monotonic()
    now = now or clock.now()
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    active = _top_up_communes(agencies)
    plan = []
    for agency in active:
        versions = _versions(agency)
        if versions and agency.level in (Agency.Level.DEPARTMENT, Agency.Level.COMMUNE):
            weight = DEPARTMENT_WEIGHT if agency.level == Agency.Level.DEPARTMENT else rng.uniform(0.5, 1.6)
            plan.append((agency, versions, weight))
    if not plan:
        raise RuntimeError("no department or commune offers a procedure with an internal process (load_demo?)")
    total_weight = sum(weight for _a, _v, weight in plan)
    shares, given = [], 0
    for k, row in enumerate(plan):
        n = count - given if k == len(plan) - 1 else round(count * row[2] / total_weight)
        shares.append(n)
        given += n
    staffs = {agency.pk: _Staff(agency, [v for v, _w in versions], rng) for agency, versions, _w in plan}
    centre = Agency.objects.filter(province__isnull=False, level=Agency.Level.CENTRE, valid_to__isnull=True).first()
    centre_point = None
    if centre is not None:
        centre_staff = _Staff(centre, [], rng)
        centre_point = (centre.pk, centre.code, centre_staff.counter)
    communes = [agency for agency, _v, _w in plan if agency.level == Agency.Level.COMMUNE]
    applicants = _applicants(count, rng)
    jobs = []
    for (agency, versions, _weight), n in zip(plan, shares, strict=True):
        points = []
        if centre_point is not None:
            chance = DEPARTMENT_AT_CENTRE if agency.level == Agency.Level.DEPARTMENT else COMMUNE_AT_CENTRE
            points.append((chance, *centre_point))
        if agency in communes and len(communes) > 1:
            neighbour = communes[(communes.index(agency) + 1) % len(communes)]
            points.append((COMMUNE_AT_NEIGHBOUR, neighbour.pk, neighbour.code, staffs[neighbour.pk].counter))
        jobs.append(_AgencyJob(agency, versions, staffs[agency.pk], points, n))
    postgres = connection.vendor == "postgresql" and not connection.in_atomic_block
    if threaded is None:
        threaded = postgres
    workers = max(1, min(workers, len(jobs))) if postgres else 1
    global _PROVINCE  # read by the forked workers
    _PROVINCE = _ProvinceRun(
        jobs=jobs, now=now, months=months, seed=seed, applicants=applicants, chunk_size=chunk_size, threaded=threaded
    )
    statuses: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    done = 0

    def collect(answer: tuple[int, dict, dict]) -> None:
        nonlocal done
        n, agency_statuses, agency_totals = answer
        done += n
        for status, k in agency_statuses.items():
            statuses[status] += k
        for name, k in agency_totals.items():
            totals[name] += k
        if progress:
            progress(done, count, time.monotonic() - started)

    with _bulk_loading(enabled=bulk_load and postgres):
        if workers == 1:
            for index in range(len(jobs)):
                collect(_province_job(index))
        else:
            import multiprocessing

            from django.db import connections

            connections.close_all()  # each worker opens its own
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                # Largest agencies first, so that no worker is left with a department at the end.
                order = sorted(range(len(jobs)), key=lambda i: -jobs[i].count)
                for answer in pool.imap_unordered(_province_job, order):
                    collect(answer)
    _PROVINCE = None
    _analyze(_Writer())
    return BulkResult(dossiers=done, seconds=time.monotonic() - started, statuses=dict(statuses), rows=dict(totals))


@dataclass
class _AgencyJob:
    agency: Agency
    versions: list
    staff: "_Staff"
    points: list
    count: int


@dataclass
class _ProvinceRun:
    jobs: list[_AgencyJob]
    now: datetime
    months: int
    seed: int
    applicants: tuple
    chunk_size: int
    threaded: bool


_PROVINCE: _ProvinceRun | None = None


def _province_job(index: int) -> tuple[int, dict, dict]:
    """Simulate and write one agency's dossiers (in the calling process, or in a forked worker
    that reads the run from `_PROVINCE`): `(dossiers, statuses, rows per table)`."""
    run = _PROVINCE
    job = run.jobs[index]
    rng = random.Random(f"{run.seed}:{job.agency.code}")  # noqa: S311 - test data, not secrets
    simulator = _Simulator(
        agency=job.agency,
        now=run.now,
        rng=rng,
        versions=job.versions,
        staff=job.staff,
        applicants=run.applicants,
        points=job.points,
    )
    arrivals = _arrivals(simulator.cal, start=_months_back(run.now, run.months), now=run.now, count=job.count, rng=rng)
    sink = _Sink(total=job.count, started=time.monotonic(), progress=None, threaded=run.threaded)
    try:
        _simulate(simulator, arrivals, writer=_Writer(), sink=sink, chunk_size=run.chunk_size)
    finally:
        sink.close()
    return sink.done, dict(simulator.statuses), dict(sink.totals)


@contextmanager
def _bulk_loading(*, enabled: bool):
    """On an empty bench database: the written tables' secondary indexes are dropped for the load
    and built again after it (one sort each instead of millions of insertions), and the writers
    skip the foreign-key triggers (`session_replication_role = replica`, superusers only: the
    generator takes every key it writes from the tables themselves)."""
    global _REPLICA
    if not enabled:
        yield
        return
    names = [table.name for table in _tables().values()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        _REPLICA = cursor.fetchone()[0]
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [names],
        )
        saved = cursor.fetchall()
        for name, _definition in saved:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        _REPLICA = False
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in saved:
                cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))


_REPLICA = False  # set while `_bulk_loading` lets the writers skip the foreign-key triggers


_ORDER = (
    ("dossier", "dossiers"),
    ("step", "steps"),
    ("segment", "segments"),
    ("event", "events"),
    ("document", "documents"),
    ("supplement", "supplements"),
    ("apology", "apologies"),
    ("signed", "signed_results"),
    ("rating", "ratings"),
    ("follow_up", "follow_ups"),
    ("complaint", "complaints"),
)


class _Sink:
    """Writes simulated chunks, each in its own transaction: codes, rating ids, then the rows."""

    def __init__(self, *, total: int, started: float, progress, threaded: bool):
        self.total = total
        self.started = started
        self.progress = progress
        self.tables = _tables()
        self.totals: dict[str, int] = defaultdict(int)
        self.done = 0
        self.error: BaseException | None = None
        self.queue: queue.Queue | None = None
        if threaded:
            self.queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
            self.thread.start()

    def put(self, chunk: _Chunk) -> None:
        if self.queue is None:
            self._write(chunk)
            return
        if self.error is not None:
            raise RuntimeError("bulk writer failed") from self.error
        self.queue.put(chunk)

    def close(self) -> None:
        if self.queue is None:
            return
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise RuntimeError("bulk writer failed") from self.error

    def _run(self) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                if self.error is None:
                    self._write(chunk)
        except BaseException as exc:  # handed to the main thread
            self.error = exc
            while self.queue.get() is not None:  # let the producer finish quickly
                pass
        finally:
            connection.close()

    def _write(self, chunk: _Chunk) -> None:
        writer = _Writer()
        with transaction.atomic():
            if _REPLICA:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            _assign_codes(writer, chunk)
            rating_ids = writer.reserve_ids(Rating, len(chunk.ratings))
            for rating, rating_id in zip(chunk.ratings, rating_ids, strict=True):
                rating[0] = rating_id
            for follow_up in chunk.follow_ups:
                follow_up[0] = rating_ids[follow_up[0]]
            for name, attribute in _ORDER:
                rows = getattr(chunk, attribute)
                writer.insert(self.tables[name], rows)
                self.totals[name] += len(rows)
        self.done += len(chunk.dossiers)
        if self.progress:
            self.progress(self.done, self.total, time.monotonic() - self.started)


def _assign_codes(writer: _Writer, chunk: _Chunk) -> None:
    """Per receiving point and day, in the order the dossiers were handed in, the next numbers of
    the point's sequence of the day (docs/dossier-codes.md); one upsert for all the chunk's days."""
    by_day: dict[tuple[int, date], list[tuple[datetime, int, str]]] = defaultdict(list)
    for day, moment, index, point_id, point_code in chunk.codes:
        by_day[(point_id, day)].append((moment, index, point_code))
    lasts = writer.reserve_blocks(DailySequence, ["agency_id", "day"], {key: len(v) for key, v in by_day.items()})
    for (_point_id, day), items in by_day.items():
        items.sort()
        last = lasts[(_point_id, day)]
        for sequence, (_moment, index, point_code) in enumerate(items, start=last - len(items) + 1):
            chunk.dossiers[index][_CODE] = format_dossier_code(point_code, day, sequence)
    complaints: dict[date, list[tuple[datetime, int]]] = defaultdict(list)
    for day, moment, index in chunk.complaint_codes:
        complaints[day].append((moment, index))
    lasts = writer.reserve_blocks(ComplaintSequence, ["day"], {(day,): len(v) for day, v in complaints.items()})
    for day, items in complaints.items():
        items.sort()
        last = lasts[(day,)]
        for sequence, (_moment, index) in enumerate(items, start=last - len(items) + 1):
            chunk.complaints[index][0] = f"PAKN-{day:%y%m%d}-{sequence:04d}"


def bulk_dossiers(agency: Agency | None = None):
    qs = Dossier.objects.filter(idempotency_key__startswith=BULK_KEY_PREFIX)
    return qs.filter(agency=agency) if agency is not None else qs


def delete_bulk_dossiers(*, agency_code: str | None = None, users: bool = True) -> dict[str, int]:
    """Remove the generated dossiers (of one agency, or all), every row pointing at them, and then
    the generated accounts nothing refers to any more. Each day's sequence drops back to the
    highest code still in use, so the next real dossier of that day takes the next number."""
    agency = Agency.objects.get(code=agency_code) if agency_code else None
    table = _quote(Dossier._meta.db_table)
    where = f"{_quote('idempotency_key')} LIKE %s"
    params: list[object] = [BULK_KEY_PREFIX + "%"]
    if agency is not None:
        where += f" AND {_quote('agency_id')} = %s"
        params.append(agency.pk)
    removed: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT COALESCE(reception_point_id, agency_id), substr(code, 15, 6) FROM {table} "  # noqa: S608
            f"WHERE {where} AND code IS NOT NULL",
            params,
        )
        touched = cursor.fetchall()
        _delete_where(cursor, Dossier, where, params, removed)
        _settle_sequences(cursor, touched)
    if users:
        removed["accounts"] = _delete_bulk_users()
    return removed


def _delete_where(cursor, model, where: str, params: list, removed: dict[str, int]) -> None:
    """Delete the rows of `model` matching `where`, after everything that points at them."""
    table = _quote(model._meta.db_table)
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            continue
        child = rel.related_model
        column = _quote(rel.field.column)
        subquery = f"{column} IN (SELECT {_quote(model._meta.pk.column)} FROM {table} WHERE {where})"  # noqa: S608
        if rel.on_delete is models.SET_NULL:
            cursor.execute(f"UPDATE {_quote(child._meta.db_table)} SET {column} = NULL WHERE {subquery}", params)  # noqa: S608
            continue
        _delete_where(cursor, child, subquery, params, removed)
    cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608
    if cursor.rowcount:
        removed[model._meta.label] = removed.get(model._meta.label, 0) + cursor.rowcount


def _settle_sequences(cursor, touched: list[tuple[int, str]]) -> None:
    if not touched:
        return
    codes = dict(Agency.objects.filter(pk__in={a for a, _d in touched}).values_list("pk", "code"))
    for agency_id, day_text in touched:
        day = date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:]))
        prefix = f"{codes[agency_id]}-{day_text}-"
        remaining = Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        top = max((int(code.rsplit("-", 1)[1]) for code in remaining), default=0)
        if top:
            DailySequence.objects.filter(agency_id=agency_id, day=day).update(last=top)
        else:
            DailySequence.objects.filter(agency_id=agency_id, day=day).delete()


def _delete_bulk_users() -> int:
    """The generated accounts nothing refers to any more, in batches; a batch that something
    protects is retried one account at a time, and the referenced accounts are kept."""
    from django.db.models.deletion import ProtectedError, RestrictedError

    deleted = 0
    ids = list(User.objects.filter(username__startswith=BULK_USER_PREFIX).values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        try:
            with transaction.atomic():
                User.objects.filter(pk__in=batch).delete()
            deleted += len(batch)
        except (ProtectedError, RestrictedError):
            for pk in batch:
                try:
                    with transaction.atomic():
                        User.objects.filter(pk=pk).delete()
                    deleted += 1
                except (ProtectedError, RestrictedError):
                    continue
    return deleted
