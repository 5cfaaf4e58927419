"""Reads on dossiers, each carrying the access rule of who may see what.

The access rule is `dossier_visible_to`; every other read starts from it.
"""

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from cchc.accounts.models import Agency
from cchc.accounts.policies import oversees_province
from cchc.accounts.roles import (
    APPLICANT_ROLES,
    HEADS_UNIT,
    LEADS_AGENCY,
    RECEIVES_AT_COUNTER,
    SEES_AGENCY_DOSSIERS,
    SEES_UNIT_DOSSIERS,
)
from cchc.core.selectors import working_calendar

from . import timeliness
from .models import Dossier, DossierEvent, DossierSegment, DossierStep
from .workflow import OPEN, Status


def dossier_visible_to(user) -> QuerySet[Dossier]:
    """Every dossier `user` may see, and nothing else: an applicant their own; a provincial leader
    or the provincial reform office the whole province (read-only: `policies.may_act` never lets
    them act outside their agency); an agency's leaders, reform officer and counter its dossiers,
    and the inter-agency dossiers whose passage through the agency has begun (a `DossierSegment`
    of the agency: while and after, never before); a counter officer also what their one-stop point
    received or returns; specialists and unit heads what passed through their unit. Nobody but the
    applicant sees an unsubmitted draft."""
    qs = Dossier.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in APPLICANT_ROLES:
        return qs.filter(applicant_user=user)
    if user.agency_id is None:
        return qs.none()
    qs = qs.exclude(status=Status.DRAFT)
    if oversees_province(user):
        return qs
    scope = Q(agency_id=user.agency_id)
    if _takes_part_elsewhere_once(user):
        scope |= Exists(DossierSegment.objects.filter(dossier=OuterRef("pk"), agency_id=user.agency_id))
    if user.role in RECEIVES_AT_COUNTER:
        scope |= Q(reception_point_id=user.agency_id) | Q(return_point_id=user.agency_id)
    if user.role in SEES_AGENCY_DOSSIERS:
        return qs.filter(scope)
    if user.role in SEES_UNIT_DOSSIERS and user.unit_id:
        through_unit = DossierStep.objects.filter(dossier=OuterRef("pk"), unit_id=user.unit_id)
        return qs.filter(scope, Exists(through_unit))
    return qs.none()


def takes_part_elsewhere(agency_id: int) -> bool:
    """Whether the agency has a passage through a dossier another agency resolves (liên thông).

    Asked first so that the many agencies that never take part keep the plain, index-friendly
    `agency = X` rule: an OR with the EXISTS would keep PostgreSQL from walking the agency's index."""
    return DossierSegment.objects.filter(agency_id=agency_id).exclude(dossier__agency_id=agency_id).exists()


def _takes_part_elsewhere_once(user) -> bool:
    """`takes_part_elsewhere` asked once per user object, so once per request however many lists a page
    reads (the request's user lives as long as the request)."""
    memo = getattr(user, "_cchc_takes_part_elsewhere", None)
    if memo is None or memo[0] != user.agency_id:
        memo = (user.agency_id, takes_part_elsewhere(user.agency_id))
        user._cchc_takes_part_elsewhere = memo
    return memo[1]


def dossier_list(
    *,
    user,
    status: str = "",
    received_from=None,
    received_to=None,
    q: str = "",
) -> QuerySet[Dossier]:
    qs = dossier_visible_to(user).select_related("procedure_version", "procedure", "agency", "reception_point")
    if status:
        qs = qs.filter(status=status)
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__date__lte=received_to)
    return dossier_search(qs, q).order_by("-created_at", "-id")


def dossier_search(qs: QuerySet[Dossier], q: str) -> QuerySet[Dossier]:
    """Narrow any list by what an officer types: part of the code, of the applicant's name, or the
    applicant's ID number or tax code (from its start)."""
    q = (q or "").strip()
    if not q:
        return qs
    return qs.filter(
        Q(code__icontains=q)
        | Q(applicant_name__icontains=q)
        | Q(applicant_id_number__startswith=q)
        | Q(applicant_tax_code__startswith=q)
    )


def dossier_get(*, user, code: str) -> Dossier | None:
    """The dossier with this code if `user` may see it (None otherwise: the caller answers 404)."""
    return (
        dossier_visible_to(user)
        .filter(code=code)
        .select_related(
            "procedure_version",
            "procedure",
            "agency",
            "reception_point",
            "return_point",
            "applicant_user",
            "received_by",
        )
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("at", "id")),
            Prefetch("steps", queryset=DossierStep.objects.select_related("assignee", "unit", "process_step")),
            Prefetch("segments", queryset=DossierSegment.objects.select_related("agency")),
            "documents__component",
            "supplement_requests",
        )
        .first()
    )


def dossier_get_by_pk(*, user, pk: int) -> Dossier | None:
    """Drafts have no code yet; their owner finds them by id."""
    return (
        dossier_visible_to(user)
        .filter(pk=pk)
        .select_related("procedure_version", "procedure", "agency", "return_point")
        .first()
    )


def dossier_public_status(*, code: str) -> Dossier | None:
    """For the public lookup: no access rule, so callers must show no personal data."""
    return (
        Dossier.objects.filter(code=code)
        .exclude(status=Status.DRAFT)
        .select_related("procedure_version", "agency")
        .prefetch_related(Prefetch("events", queryset=DossierEvent.objects.order_by("at", "id")))
        .first()
    )


@dataclass(frozen=True)
class PublicStatus:
    """What the public status lookup shows of a dossier, read in one query (`dossier_public_status_row`)."""

    code: str
    status: str
    applicant_name: str
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    current_step: int
    procedure_version_id: int
    agency_id: int
    procedure: str
    agency: str
    # (at, action, to_status, step_order, step_name), oldest first
    events: tuple[tuple, ...]


@functools.cache
def _public_status_sql(vendor: str) -> str:
    """The lookup's one query, written once (per database engine) from the models' names."""
    from cchc.procedures.models import ProcedureVersion

    def column(model, name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    d = [
        f"d.{column(Dossier, name)}"
        for name in (
            "code",
            "status",
            "applicant_name",
            "received_at",
            "due_at",
            "finished_at",
            "current_step",
            "procedure_version",
            "agency",
        )
    ]
    e = [f"e.{column(DossierEvent, name)}" for name in ("at", "action", "to_status", "step_order", "step_name")]
    version_id, agency_id = column(Dossier, "procedure_version"), column(Dossier, "agency")
    # Only the models' own names are formatted in; the code is a parameter.
    names = f"{', '.join(d)}, v.{column(ProcedureVersion, 'name')}, a.{column(Agency, 'name')}, {', '.join(e)}"
    return (
        f"SELECT {names} "  # noqa: S608
        f"FROM {table(Dossier)} d "
        f"JOIN {table(ProcedureVersion)} v ON v.{column(ProcedureVersion, 'id')} = d.{version_id} "
        f"JOIN {table(Agency)} a ON a.{column(Agency, 'id')} = d.{agency_id} "
        f"LEFT JOIN {table(DossierEvent)} e ON e.{column(DossierEvent, 'dossier')} = d.{column(Dossier, 'id')} "
        f"WHERE d.{column(Dossier, 'code')} = %s AND d.{column(Dossier, 'status')} <> %s "
        f"ORDER BY e.{column(DossierEvent, 'at')}, e.{column(DossierEvent, 'id')}"
    )


_DATETIME_COLUMNS = (3, 4, 5, 11)  # received_at, due_at, finished_at, the event's at


def dossier_public_status_row(*, code: str) -> PublicStatus | None:
    """The public lookup's read, lean: one query written in SQL (the dossier, its procedure's and
    agency's names and its events, one row per event), no queryset to compile, no model instances:
    the ORM's compilation cost twice the query itself. No access rule, so callers must show no
    personal data."""
    with connection.cursor() as cursor:
        cursor.execute(_public_status_sql(connection.vendor), [code, Status.DRAFT.value])
        rows = cursor.fetchall()
    if not rows:
        return None
    # SQLite hands timestamps back as text; PostgreSQL as aware datetimes already.
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is not None:
        rows = [
            tuple(convert(value, None, connection) if i in _DATETIME_COLUMNS else value for i, value in enumerate(row))
            for row in rows
        ]
    first = rows[0]
    return PublicStatus(*first[:11], events=tuple(row[11:] for row in rows if row[11] is not None))


def reception_queue(*, user) -> QuerySet[Dossier]:
    """Online dossiers waiting for the counter, oldest first."""
    return (
        dossier_visible_to(user)
        .filter(status=Status.SUBMITTED)
        .select_related("procedure_version")
        .order_by("submitted_at", "id")
    )


def work_queue(*, user) -> QuerySet[Dossier]:
    """Open dossiers whose current step `user` holds (or could take, for their unit)."""
    # On an inter-agency dossier only the people of the agency whose step is open hold it.
    open_run = DossierStep.objects.filter(dossier=OuterRef("pk"), finished_at__isnull=True).filter(
        Q(agency__isnull=True) | Q(agency_id=user.agency_id)
    )
    here = None
    if user.role in LEADS_AGENCY:
        mine = open_run.filter(role__in=LEADS_AGENCY)
    elif user.role in RECEIVES_AT_COUNTER:
        mine = open_run.filter(role__in=RECEIVES_AT_COUNTER)
        # A counter works on its agency's own dossiers (and steps); a one-stop point where the applicant
        # asked to collect the result, only once the result is ready for it to hand over.
        here = (
            Q(agency_id=user.agency_id)
            | Exists(open_run.filter(agency_id=user.agency_id))
            | Q(status=Status.RESULT_READY, return_point_id=user.agency_id)
        )
    else:
        mine = open_run.filter(Q(assignee=user) | Q(assignee__isnull=True, unit_id=user.unit_id, role=user.role))
        if user.role in HEADS_UNIT:
            mine = open_run.filter(unit_id=user.unit_id)
    holds = Exists(mine) if here is None else Exists(mine) & here
    # New and nearly-due work first: the step is due within a working day (or late), then steps
    # that arrived in the last day, then the rest; by the step's due moment within each group.
    now = timezone.now()
    horizon = _one_working_day_from(now)
    step_due = Subquery(mine.order_by("-started_at").values("due_at")[:1])
    step_started = Subquery(mine.order_by("-started_at").values("started_at")[:1])
    return (
        dossier_visible_to(user)
        .filter(status__in=OPEN)
        .filter(holds)
        .annotate(step_due_at=step_due, step_started_at=step_started)
        .annotate(
            urgency=Case(
                When(step_due_at__lte=horizon, then=Value(0)),
                When(step_started_at__gte=now - timedelta(days=1), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("procedure_version")
        .order_by("urgency", "step_due_at", "id")
    )


def _one_working_day_from(now: datetime) -> datetime:
    # Agencies of one installation share the province's calendar; default office hours
    # are close enough for a one-day warning horizon.
    return working_calendar().add_working_hours(now, 8)


def dossiers_due_soon(*, now: datetime | None = None, user=None) -> QuerySet[Dossier]:
    """Open, not paused, due within the next working day."""
    now = now or timezone.now()
    horizon = _one_working_day_from(now)
    qs = dossier_visible_to(user) if user is not None else Dossier.objects.all()
    return (
        qs.filter(status__in=OPEN - {Status.RESULT_READY, Status.WAITING_SUPPLEMENT})
        .filter(due_at__gte=now, due_at__lte=horizon)
        .order_by("due_at")
    )


def dossiers_late(*, now: datetime | None = None, user=None) -> QuerySet[Dossier]:
    """Open and late now, by the one rule of `timeliness` (against the deadline, which an apology
    does not move), oldest deadline first."""
    now = now or timezone.now()
    qs = dossier_visible_to(user) if user is not None else Dossier.objects.all()
    rule = timeliness.open_late(now)
    if user is not None and user.agency_id and _takes_part_elsewhere_once(user):
        # An agency taking part in another's inter-agency dossier is late on its own passage too.
        late_here = DossierSegment.objects.filter(dossier=OuterRef("pk"), agency_id=user.agency_id).filter(
            timeliness.segment_open_late(now), left_at__isnull=True
        )
        rule |= ~Q(agency_id=user.agency_id) & Q(status__in=timeliness.UNFINISHED) & Exists(late_here)
    return qs.filter(rule).order_by("deadline_at")


def late_on_own_passage(*, user, dossier_ids: list[int], now: datetime) -> set[int]:
    """Of `dossier_ids`, the other agencies' inter-agency dossiers whose open passage through `user`'s agency
    is late at `now`: the desk flags them late for that agency as it flags its own late dossiers. No query
    for an agency that never takes part in another's dossier."""
    if not dossier_ids or not user.agency_id or not _takes_part_elsewhere_once(user):
        return set()
    late = (
        DossierSegment.objects.filter(dossier_id__in=dossier_ids, agency_id=user.agency_id, left_at__isnull=True)
        .exclude(dossier__agency_id=user.agency_id)
        .filter(timeliness.segment_open_late(now), dossier__status__in=timeliness.UNFINISHED)
    )
    return set(late.values_list("dossier_id", flat=True))


def store_documents_for(*, user) -> QuerySet:
    """An applicant's own data store: their earlier digitised uploads and their results, and papers kept
    under their ID number without an account (historical results imported before they had one), once
    VNeID vouches for that number."""
    from .models import StoredDocument

    if user is None or not user.is_authenticated or user.role not in APPLICANT_ROLES:
        return StoredDocument.objects.none()
    mine = Q(owner=user)
    if user.identity_verified and user.id_number:
        mine |= Q(owner__isnull=True, owner_identifier=user.id_number)
    return StoredDocument.objects.filter(mine, deleted_at__isnull=True).order_by("-created_at")


@dataclass(frozen=True)
class StoreLookup:
    """Why a counter officer may open an applicant's data store right now, and what it shows.

    `purpose` is "receive" (the applicant's online dossier waiting for reception at the
    officer's one-stop point: `dossier`) or "counter_intake" (the officer is taking a dossier of
    `procedure_code` at the counter); `component_keys` are the kinds of paper that procedure
    asks for, the only ones shown; `agency_id` is the agency at whose counter the look-up is made."""

    purpose: str
    identifier: str
    agency_id: int
    procedure_code: str
    component_keys: frozenset[str]
    dossier: Dossier | None = None

    def audit_data(self) -> dict:
        return {
            "purpose": self.purpose,
            "dossier": self.dossier.code if self.dossier else "",
            "procedure": self.procedure_code,
        }


def _component_keys(version) -> frozenset[str]:
    from cchc.core.text import fold

    return frozenset(fold(component.name) for component in version.components.all())


def store_lookup_scope(
    *, officer, dossier_code: str = "", procedure_code: str = "", identifier: str = "", intake_procedure: str = ""
) -> StoreLookup | None:
    """The one rule for an officer's look-up in an applicant's data store (None: a 404).

    - `dossier_code`: a dossier of the officer's agency waiting for reception; the applicant is
      the dossier's (an identifier typed beside it is ignored);
    - `procedure_code` with `identifier`: a counter intake of that procedure, for an agency the
      officer may receive for (their own; any of the province at a centre or a commune), which the
      officer has opened (`intake_procedure`, kept in their session by the counter page) and not
      yet finished. The applicant's stored papers are shown whichever agency received them."""
    from cchc.procedures.models import Procedure
    from cchc.procedures.selectors import offering_agencies

    from .policies import may_consult_applicant_store, may_receive_for

    if officer is None or not may_consult_applicant_store(officer, officer.agency_id):
        return None
    if dossier_code:
        dossier = (
            dossier_visible_to(officer)
            .filter(code=dossier_code, status=Status.SUBMITTED)
            .select_related("procedure_version", "procedure")
            .first()
        )
        if dossier is None or not dossier.applicant_identifier:
            return None
        if not may_consult_applicant_store(officer, dossier.agency_id):
            return None
        return StoreLookup(
            purpose="receive",
            identifier=dossier.applicant_identifier,
            agency_id=dossier.agency_id,
            procedure_code=dossier.procedure.code,
            component_keys=_component_keys(dossier.procedure_version),
            dossier=dossier,
        )
    identifier = "".join((identifier or "").split())
    if not procedure_code or procedure_code != intake_procedure or not identifier.isdigit() or len(identifier) > 14:
        return None
    procedure = (
        Procedure.objects.filter(code=procedure_code, current_version__isnull=False)
        .select_related("current_version", "agency")
        .first()
    )
    # The officer takes it for an agency they may receive for (a centre's or a commune's counter:
    # any agency of the province offering it); the papers shown are the applicant's, whichever
    # agency received them before.
    if procedure is None or not any(may_receive_for(officer, agency) for agency in offering_agencies(procedure)):
        return None
    return StoreLookup(
        purpose="counter_intake",
        identifier=identifier,
        agency_id=officer.agency_id,
        procedure_code=procedure.code,
        component_keys=_component_keys(procedure.current_version),
    )


def store_documents_for_lookup(*, lookup: StoreLookup) -> QuerySet:
    """The applicant's stored documents of the kinds the procedure asks for; nothing else."""
    from .models import StoredDocument

    return StoredDocument.objects.filter(
        owner_identifier=lookup.identifier,
        component_key__in=lookup.component_keys,
        deleted_at__isnull=True,
    ).order_by("-created_at")


def dossier_list_rows(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """What a list row shows (current step, who holds it), in a fixed number of queries
    however long the page is."""
    from django.db.models import Subquery

    from cchc.procedures.models import ProcessStep

    step_name = ProcessStep.objects.filter(
        version_id=OuterRef("procedure_version_id"), order=OuterRef("current_step")
    ).values("name")[:1]
    open_run = DossierStep.objects.filter(dossier_id=OuterRef("pk"), finished_at__isnull=True)
    return queryset.select_related("procedure_version", "procedure").annotate(
        current_step_name=Subquery(step_name),
        holder_name=Subquery(open_run.values("assignee__full_name")[:1]),
        holder_username=Subquery(open_run.values("assignee__username")[:1]),
    )


def agencies_with_dossiers() -> QuerySet[Agency]:
    """The agencies that have received at least one dossier (the periodic jobs' work list)."""
    return Agency.objects.filter(Exists(Dossier.objects.filter(agency=OuterRef("pk")))).order_by("code")


def staged_uploads_for(*, user, token: str) -> QuerySet:
    """The files `user` attached to one form (its token) that are waiting for its next send."""
    from .models import StagedUpload

    if user is None or not user.is_authenticated or not token:
        return StagedUpload.objects.none()
    return StagedUpload.objects.filter(owner=user, token=token).select_related("component")


def applicant_profile(*, user) -> dict:
    """What the dossier form is prefilled with: the applicant data of the user's last dossier (the
    profile stays up to date by itself: whatever was corrected there is offered next time), else the
    account's name, phone and e-mail. Empty values never hide the account's."""
    profile = {"name": user.full_name, "phone": user.phone, "email": user.email}
    profile |= {key: value for key, value in (("id_number", user.id_number), ("address", user.address)) if value}
    last = (
        Dossier.objects.filter(applicant_user=user)
        .order_by("-created_at", "-id")
        .values(
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "applicant_tax_code",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
        )
        .first()
    )
    for key, value in (last or {}).items():
        if value:
            profile[key.removeprefix("applicant_")] = value
    if user.identity_verified:  # what VNeID vouches for wins over what was typed before
        verified = {"kind": "citizen", "name": user.full_name, "id_number": user.id_number, "address": user.address}
        profile |= {key: value for key, value in verified.items() if value}
    return profile


def applicant_last_known(*, user, identifier: str) -> dict:
    """At the counter: a returning applicant's data from their last dossier the officer may see,
    found by ID number or tax code, as the intake form's initial values ({} when none)."""
    identifier = "".join((identifier or "").split())
    if not identifier.isdigit() or not 9 <= len(identifier) <= 14:
        return {}
    fields = (
        "applicant_kind",
        "applicant_name",
        "applicant_id_number",
        "applicant_tax_code",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
    )
    last = (
        dossier_visible_to(user)
        .filter(Q(applicant_id_number=identifier) | Q(applicant_tax_code=identifier))
        .order_by("-created_at", "-id")
        .values(*fields, "return_method")
        .first()
    )
    return dict(last) if last else {}
