"""Reads for the service index (Decision 766/QĐ-TTg): the figures behind each indicator, the lists
behind each figure, the public monthly quality table, and who may see which scope.

The indicator definitions are in `indicators` (module docstring); here they become SQL. Each
base set of rows is read once, with every figure that shares it counted in the same aggregate
query (`Count(..., filter=Q(...))`): dossiers finished in the period, dossiers still open and
late at its end, dossiers received, fees paid, the catalogue, complaints. The only Python loop
is the average processing time, which needs the working calendar: one `values_list` over the
period's finished dossiers. About ten queries in all, whatever the volume.

Scope: `agency` (the agency that resolves the dossiers; none: the whole province); `centre` is the
one-stop point that received them (`Dossier.reception_point`, the API's `received_by`): a centre or
a commune; `unit` is the procedure's lead unit (`procedure_version.unit` for dossiers,
the version in force for the catalogue, the unit a complaint was routed to) — the unit that
answers for the result; `field` and `procedure` likewise; `officer` is the officer who received
the dossier (catalogue indicators do not apply to an officer).
"""

import calendar as month_calendar
from collections import defaultdict
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import add, or_
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractHour,
    ExtractMinute,
    Greatest,
    Least,
    Length,
    Trim,
    TruncDate,
    TruncMonth,
)
from django.db.models.lookups import Exact, GreaterThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.policies import oversees_province
from cchc.accounts.roles import (
    HEADS_UNIT,
    READS_AGENCY_REPORTS,
    READS_SERVICE_INDEX,
    RECEIVES_AT_COUNTER,
    is_staff_role,
)
from cchc.complaints.models import Complaint
from cchc.complaints.selectors import complaint_visible_to
from cchc.core import clock
from cchc.core.calendar import VN_TZ
from cchc.core.errors import ApplicationError, NotFound, PermissionDenied
from cchc.digitisation.models import Digitisation
from cchc.dossiers import timeliness
from cchc.dossiers.models import Channel, Dossier, DossierDocument, SupplementRequest
from cchc.dossiers.selectors import dossier_visible_to
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Component, FeeItem, Field, Offering, Procedure, ProcedureVersion, ProcessStep
from cchc.procedures.rules import CALENDAR_DAYS, HOURS_PER_WORKING_DAY, WORKING_DAYS
from cchc.procedures.selectors import agency_calendar, offered_by
from cchc.results.models import SignedResult
from cchc.surveys.models import Rating, score_field
from cchc.surveys.scores import FACTORS, LOW_UP_TO, SATISFIED_FROM, index_from_counts, overall_index

from . import indicators, segments
from .config import (
    NATIONAL_CODES,
    NATIONAL_ZERO,
    PORTAL_SYNC,
    index_groups,
    indicator_spec,
    national_mode,
    portal_sync_computed,
)
from .indicators import Figure
from .models import NationalFigure

# Never counted by the progress indicators: not received, refused, withdrawn or stopped.
NEVER_COUNTED = (Status.DRAFT, Status.SUBMITTED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)
# Received and still being handled: the result is not ready yet.
UNFINISHED = tuple(timeliness.UNFINISHED)
ONLINE_LEVEL = ProcedureVersion.OnlineLevel.PARTIAL  # level 3 and above is "offered online"
MAX_PERIOD_DAYS = 366
PARTS = ("numerator", "denominator")

# Who sees the index of the whole agency; a unit head sees their unit's, a one-stop officer their own.


# ---------------------------------------------------------------- the scope


@dataclass(frozen=True)
class Scope:
    """A period (Vietnam dates, both included) and what to look at. `None` means "all"."""

    date_from: date
    date_to: date
    agency: Agency | None = None
    unit: Unit | None = None
    field: Field | None = None
    procedure: Procedure | None = None
    officer: User | None = None
    now: datetime = dc_field(default_factory=clock.now)
    centre: Agency | None = None  # the one-stop point that received the dossiers

    @property
    def is_province(self) -> bool:
        """The whole province: every agency, nothing narrower."""
        return all(
            getattr(self, name) is None for name in ("agency", "centre", "unit", "field", "procedure", "officer")
        )

    @property
    def label(self) -> str:
        """Whose figures, for a page's heading: the agency, what a one-stop point received, or the province."""
        if self.is_province:
            return str(_("Toàn tỉnh (tổng các cơ quan)"))
        parts = [self.agency.name] if self.agency is not None else []
        if self.centre is not None:
            parts.append(_("hồ sơ tiếp nhận tại %(name)s") % {"name": self.centre.name})
        return " – ".join(str(part) for part in parts)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=VN_TZ)

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=VN_TZ)

    @property
    def cutoff(self) -> datetime:
        """When open dossiers are judged: the end of the period, or now if the period is not over."""
        return min(self.end, self.now)

    def dossiers(self) -> QuerySet[Dossier]:
        qs = Dossier.objects.all()
        if self.agency is not None:
            qs = qs.filter(agency=self.agency)
        if self.unit is not None:
            qs = qs.filter(procedure_version__unit=self.unit)
        if self.field is not None:
            qs = qs.filter(procedure_version__field=self.field)
        if self.procedure is not None:
            qs = qs.filter(procedure=self.procedure)
        if self.officer is not None:
            qs = qs.filter(received_by=self.officer)
        if self.centre is not None:
            qs = qs.filter(reception_point=self.centre)
        return qs

    def procedures(self) -> QuerySet[Procedure]:
        """Published procedures in scope (their version in force)."""
        qs = Procedure.objects.filter(current_version__status=ProcedureVersion.Status.PUBLISHED)
        if self.agency is not None:
            qs = qs.filter(offered_by(agency_code=self.agency.code))
        if self.unit is not None:
            qs = qs.filter(current_version__unit=self.unit)
        if self.field is not None:
            qs = qs.filter(current_version__field=self.field)
        if self.procedure is not None:
            qs = qs.filter(pk=self.procedure.pk)
        return qs

    def complaints(self) -> QuerySet[Complaint]:
        qs = Complaint.objects.all()
        if self.agency is not None:
            qs = qs.filter(agency=self.agency)
        if self.unit is not None:
            qs = qs.filter(unit=self.unit)
        if self.field is not None:
            qs = qs.filter(
                Q(dossier__procedure_version__field=self.field)
                | Q(dossier__isnull=True, procedure__current_version__field=self.field)
            )
        if self.procedure is not None:
            qs = qs.filter(Q(dossier__procedure=self.procedure) | Q(dossier__isnull=True, procedure=self.procedure))
        if self.officer is not None:
            qs = qs.filter(dossier__received_by=self.officer)
        if self.centre is not None:
            qs = qs.filter(dossier__reception_point=self.centre)
        return qs

    def params(self) -> dict[str, str]:
        """The scope as query parameters (the API's and the pages' names)."""
        params = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        if self.agency is not None:
            params["agency"] = self.agency.code
        if self.unit is not None:
            params["unit"] = self.unit.code
        if self.field is not None:
            params["field"] = self.field.code
        if self.procedure is not None:
            params["procedure"] = self.procedure.code
        if self.officer is not None:
            params["officer"] = self.officer.username
        if self.centre is not None:
            params["centre"] = self.centre.code
        if self.is_province:
            params["province"] = "1"
        return params


def scope_key(scope: Scope) -> str:
    """The scope without its period, as sorted query parameters: "agency=000.00.12.H99&unit=QLVT"."""
    return urlencode(sorted((k, v) for k, v in scope.params().items() if k not in ("from", "to")))


def make_scope(*, date_from: date, date_to: date, now: datetime | None = None, **where) -> Scope:
    """A scope; a unit, procedure or officer implies its agency when none is given."""
    if where.get("agency") is None:
        for key in ("unit", "procedure", "officer"):
            if where.get(key) is not None and getattr(where[key], "agency_id", None):
                where["agency"] = where[key].agency
                break
    return Scope(date_from=date_from, date_to=date_to, now=now or clock.now(), **where)


# ---------------------------------------------------------------- the rules in SQL
#
# Each rule is a Q over expressions (no aliases), so that the same object filters a list and
# counts inside an aggregate (`Count("pk", filter=rule)`), where Django refuses aliases.


def _complained() -> Exists:
    return Exists(Complaint.objects.filter(dossier_id=OuterRef("pk")))


def _disliked() -> Exists:
    low = reduce(or_, (Q(**{f"{score_field(f)}__lte": LOW_UP_TO}) for f in FACTORS))
    return Exists(Rating.objects.filter(dossier_id=OuterRef("pk")).filter(low))


def _finished(scope: Scope) -> Q:
    return Q(finished_at__gte=scope.start, finished_at__lt=scope.end) & ~Q(status__in=NEVER_COUNTED)


def _open_late(scope: Scope) -> Q:
    """Still open at the cutoff and late then (`timeliness.clock_ran_out`)."""
    # Written as two index-friendly halves: open now (agency, status) or finished after the period
    # (agency, finished_at).
    open_now = Q(status__in=UNFINISHED, finished_at__isnull=True)
    finished_later = Q(finished_at__gte=scope.end) & ~Q(status__in=NEVER_COUNTED)
    return (open_now | finished_later) & Q(received_at__lt=scope.cutoff) & timeliness.clock_ran_out(scope.cutoff)


def _on_time() -> Q:
    return timeliness.finished_on_time()


def _early() -> Q:
    """Finished before the deadline's day (the one-stop statistics' "early")."""
    return timeliness.finished_early()


def _satisfied() -> Q:
    return _on_time() & ~Q(_complained()) & ~Q(_disliked())


def _signed() -> Q:
    return Q(Exists(SignedResult.objects.filter(dossier_id=OuterRef("pk"))))


def _received(scope: Scope) -> Q:
    return Q(received_at__gte=scope.start, received_at__lt=scope.end)


def _documents():
    return DossierDocument.objects.filter(dossier_id=OuterRef("pk"))


def _confirmed():
    return Digitisation.objects.filter(state=Digitisation.State.CONFIRMED)


def _result_digitised() -> Q:
    """The result exists as data: an electronic, signed result, or a paper result whose scan the counter
    digitised (read and its key fields confirmed into the applicant's data store)."""
    paper = _confirmed().filter(dossier_id=OuterRef("pk"), source=Digitisation.Source.RESULT)
    return _signed() | Q(Exists(paper))


def _digitised() -> Q:
    """At least one component, every component digitised, and the result digitised once it is ready.

    A component is digitised when it was reused from the data store, when the applicant handed it in online
    as an electronic file, or, for paper handed in at the counter or by post, when its scan was digitised
    (`digitisation`: read and confirmed); a scan alone is not."""
    scanned = Exists(_confirmed().filter(document_id=OuterRef("pk")))
    missing = _documents().filter(reused=False).exclude(scanned)
    components = (ONLINE & ~Q(Exists(missing.filter(digitised=False)))) | (~ONLINE & ~Q(Exists(missing)))
    result_digitised = Q(finished_at__isnull=True) | _result_digitised()
    return Q(Exists(_documents())) & components & result_digitised


def _reused() -> Q:
    return Q(Exists(_documents().filter(reused=True)))


ONLINE = Q(channel=Channel.ONLINE)


def _paid(scope: Scope) -> Q:
    return Q(fee_amount__gt=0, paid_at__gte=scope.start, paid_at__lt=scope.end)


PAID_ONLINE = Q(paid_online=True)


def _complete() -> Q:
    """The version in force has components, a legal basis, a result name, and an internal process
    whose step hours add up to the time limit (`procedures.rules.budget_errors`: for a limit in
    calendar days, at most a working day of steps per calendar day)."""
    step_hours = (
        ProcessStep.objects.filter(version_id=OuterRef("current_version_id"))
        .order_by()  # the model's ordering would join (and group by) the version and its procedure
        .values("version_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    limit_hours = Case(
        When(
            current_version__time_limit_unit__in=(WORKING_DAYS, CALENDAR_DAYS),
            then=F("current_version__time_limit_value") * HOURS_PER_WORKING_DAY,
        ),
        default=F("current_version__time_limit_value"),
        output_field=IntegerField(),
    )
    budgets = Subquery(step_hours, output_field=IntegerField())
    calendar_days = Q(current_version__time_limit_unit=CALENDAR_DAYS)
    budgets_fit = (~calendar_days & Q(Exact(budgets, limit_hours))) | (
        calendar_days & Q(LessThanOrEqual(budgets, limit_hours))
    )
    return (
        Q(Exists(Component.objects.filter(version_id=OuterRef("current_version_id"))))
        & budgets_fit
        & Q(GreaterThan(Length(Trim("current_version__legal_basis")), 0))
        & Q(GreaterThan(Length(Trim("current_version__result_name")), 0))
    )


def _offered_online() -> Q:
    return Q(current_version__online_level__gte=ONLINE_LEVEL)


def _fee_bearing() -> Q:
    fees = FeeItem.objects.filter(version_id=OuterRef("current_version_id")).filter(
        Q(amount__gt=0) | Q(online_amount__gt=0)
    )
    return Q(Exists(fees))


def _paid_online_in(scope: Scope) -> Q:
    """At least one online payment transaction in the period: a dossier of the procedure paid online
    then."""
    paid = Dossier.objects.filter(
        procedure_id=OuterRef("pk"), fee_amount__gt=0, paid_online=True, paid_at__gte=scope.start, paid_at__lt=scope.end
    )
    if scope.agency is not None:  # a national procedure offered by many agencies: this agency's dossiers
        paid = paid.filter(agency=scope.agency)
    return Q(Exists(paid))


def _used_online(scope: Scope) -> Q:
    """Offered online, and at least one online dossier received in the period."""
    online_dossiers = Dossier.objects.filter(
        procedure_id=OuterRef("pk"), channel=Channel.ONLINE, received_at__gte=scope.start, received_at__lt=scope.end
    )
    if scope.agency is not None:  # a national procedure offered by many agencies: this agency's dossiers
        online_dossiers = online_dossiers.filter(agency=scope.agency)
    return _offered_online() & Q(Exists(online_dossiers))


def _complaints_counted(scope: Scope) -> QuerySet[Complaint]:
    """Deadline in the period, and answered or already overdue (complaints_handled_on_time's rule)."""
    return (
        scope.complaints()
        .filter(due_at__gte=scope.start, due_at__lt=scope.end)
        .filter(Q(status=Complaint.Status.ANSWERED) | Q(due_at__lt=scope.now))
    )


COMPLAINT_ON_TIME = Q(
    status=Complaint.Status.ANSWERED, outcome__in=[Complaint.Outcome.EARLY, Complaint.Outcome.ON_TIME]
)


def _complaint_satisfied() -> Q:
    """Answered on time, the sender did not say they were dissatisfied, and nobody raised it again."""
    raised_again = Complaint.objects.filter(raised_again_from_id=OuterRef("pk"))
    return COMPLAINT_ON_TIME & ~Q(feedback=Complaint.Feedback.DISSATISFIED) & ~Q(Exists(raised_again))


# ---------------------------------------------------------------- counting


def _minute_of_day(field_name: str):
    return ExtractHour(field_name, tzinfo=VN_TZ) * 60 + ExtractMinute(field_name, tzinfo=VN_TZ)


def _elapsed(field_name: str, intervals) -> Sum:
    """Σ of `indicators.elapsed_minutes` of the moments in `field_name`, in SQL."""
    minute = _minute_of_day(field_name)
    terms = [Least(Greatest(minute - start, Value(0)), Value(end - start)) for start, end in intervals]
    return Sum(reduce(add, terms), output_field=IntegerField())


def _day_groups(finished: QuerySet[Dossier], field_name: str, intervals) -> list[indicators.DayGroup]:
    rows = (
        finished.annotate(day=TruncDate(field_name, tzinfo=VN_TZ))
        .order_by()
        .values("procedure_id", "day")
        .annotate(count=Count("pk"), elapsed=_elapsed(field_name, intervals))
        .values_list("procedure_id", "day", "count", "elapsed")
    )
    return [indicators.DayGroup(pid, day, count, elapsed or 0) for pid, day, count, elapsed in rows]


def _procedure_totals(finished: QuerySet[Dossier]) -> list[indicators.ProcedureTotals]:
    paused = dict(
        SupplementRequest.objects.filter(
            dossier_id__in=finished.values("pk"), stage=SupplementRequest.Stage.PROCESSING, paused_minutes__gt=0
        )
        .order_by()
        .values("dossier__procedure_id")
        .annotate(minutes=Sum("paused_minutes"))
        .values_list("dossier__procedure_id", "minutes")
    )
    rows = finished.order_by().values("procedure_id").annotate(count=Count("pk")).values_list("procedure_id", "count")
    return [indicators.ProcedureTotals(pid, count, paused.get(pid, 0)) for pid, count in rows]


def procedure_averages(scope: Scope) -> list[indicators.ProcedureAverage]:
    """Average processing time of each procedure with dossiers finished in the period, from sums per
    (procedure, day) rather than dossier by dossier (see `indicators`): five grouped queries per
    agency, whatever the number of dossiers."""
    if scope.agency is not None:
        agencies = [scope.agency]
    else:
        finishing = scope.dossiers().filter(_finished(scope)).order_by().values("agency_id").distinct()
        agencies = list(Agency.objects.filter(pk__in=finishing).order_by("pk"))
    averages = []
    for agency in agencies:
        finished = scope.dossiers().filter(
            _finished(scope), counted_from__isnull=False, deadline_at__isnull=False, agency=agency
        )
        intervals = indicators.office_intervals(agency.office_hours)
        averages += indicators.averages_from_groups(
            starts=_day_groups(finished, "counted_from", intervals),
            ends=_day_groups(finished, "finished_at", intervals),
            deadlines=_day_groups(finished, "deadline_at", intervals),
            totals=_procedure_totals(finished),
            calendar=agency_calendar(agency),
        )
    return averages


def _averages_extra(averages: list[indicators.ProcedureAverage]) -> list[dict]:
    names = {
        pk: (code, name)
        for pk, code, name in Procedure.objects.filter(pk__in=[a.procedure_id for a in averages]).values_list(
            "pk", "code", "current_version__name"
        )
    }
    return sorted(
        (
            {
                "code": names.get(a.procedure_id, ("", ""))[0],
                "name": names.get(a.procedure_id, ("", ""))[1] or "",
                "dossiers": a.dossiers,
                "average_days": round(a.average_days, 2),
                "limit_days": round(a.limit_days, 2),
                "within_limit": a.within_limit,
            }
            for a in averages
        ),
        key=lambda item: item["code"],
    )


@contextmanager
def _short_queries():
    """On PostgreSQL, run the reads without JIT compilation. The correlated EXISTS of the rules make
    the planner's cost estimates large enough to trigger JIT, whose compilation then takes longer
    than the queries themselves (a month of a busy agency: ~1 s of compiling for ~0.1 s of work).
    `SET LOCAL` ends with the transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def index_figures(scope: Scope) -> dict[str, Figure]:
    """Numerator and denominator of every indicator for `scope`."""
    with _short_queries():
        return _index_figures(scope)


def national_figure_list(*, agency: Agency) -> QuerySet[NationalFigure]:
    """The agency's entered figures, newest month first."""
    return NationalFigure.objects.filter(agency=agency).select_related("entered_by").order_by("-month", "indicator")


def national_figures(scope: Scope) -> dict[str, Figure]:
    """The indicators the national portal measures: what the reform officer entered for the
    agencies in scope and the months the period touches (summed), or nothing, by setting
    (`config`). The portal measures agencies, not units or officers: a narrower scope reads its
    agency's figure, and says so."""
    if national_mode() == NATIONAL_ZERO:
        reason = str(_("Đo tại Cổng DVCQG; cấu hình tính 0 điểm cho chỉ số này."))
        return {code: Figure(reason=reason) for code in NATIONAL_CODES}
    first_month = scope.date_from.replace(day=1)
    entered = NationalFigure.objects.filter(month__gte=first_month, month__lte=scope.date_to)
    if scope.agency is not None:
        entered = entered.filter(agency=scope.agency)
    sums = {
        row["indicator"]: row
        for row in entered.order_by()
        .values("indicator")
        .annotate(numerator=Sum("numerator"), denominator=Sum("denominator"), months=Count("month", distinct=True))
    }
    narrower = any(getattr(scope, name) is not None for name in ("unit", "field", "procedure", "officer"))
    figures = {}
    for code in NATIONAL_CODES:
        row = sums.get(code)
        if row is None:
            figures[code] = Figure(reason=str(_("Đo tại Cổng DVCQG: chưa nhập số liệu của kỳ này, tính 0 điểm.")))
            continue
        note = _("Số liệu đo tại Cổng DVCQG, do cán bộ nhập (%(months)s tháng).") % {"months": row["months"]}
        if narrower:
            note += " " + _("Số liệu của cả cơ quan.")
        figures[code] = Figure(row["numerator"], row["denominator"], note=str(note))
    return figures


def _portal_sync(scope: Scope) -> dict[str, Figure]:
    """Indicator 1.4 from the DVCQG outbox once CCHC synchronises with the portal: changes of the scope's
    dossiers made in the period and told within CCHC_DVCQG_SYNC_HOURS ÷ all of them."""
    if not portal_sync_computed():
        return {}
    from cchc.dvcqg.selectors import sync_in_time

    figure = sync_in_time(dossiers=scope.dossiers(), start=scope.start, end=min(scope.end, scope.now))
    return {PORTAL_SYNC: Figure(figure.in_time, figure.total, note=str(_("Tính từ hàng đợi đồng bộ Cổng DVCQG.")))}


def _index_figures(scope: Scope) -> dict[str, Figure]:
    on_time = _on_time()
    finished = (
        scope.dossiers()
        .filter(_finished(scope))
        .aggregate(
            finished=Count("pk"),
            on_time=Count("pk", filter=on_time),
            early=Count("pk", filter=on_time & _early()),
            satisfied=Count("pk", filter=_satisfied()),
            signed=Count("pk", filter=_signed()),
            apologised=Count("pk", filter=timeliness.APOLOGISED),
        )
    )
    late = (
        scope.dossiers()
        .filter(_open_late(scope))
        .aggregate(n=Count("pk"), apologised=Count("pk", filter=timeliness.APOLOGISED))
    )
    open_late = late["n"]
    received = (
        scope.dossiers()
        .filter(_received(scope))
        .aggregate(
            received=Count("pk"),
            online=Count("pk", filter=ONLINE),
            digitised=Count("pk", filter=_digitised()),
            reused=Count("pk", filter=_reused()),
        )
    )
    paid = scope.dossiers().filter(_paid(scope)).aggregate(paid=Count("pk"), online=Count("pk", filter=PAID_ONLINE))
    complaints = _complaints_counted(scope).aggregate(
        counted=Count("pk"),
        on_time=Count("pk", filter=COMPLAINT_ON_TIME),
        satisfied=Count("pk", filter=_complaint_satisfied()),
    )
    averages = procedure_averages(scope)
    # The agency's passages through other agencies' inter-agency dossiers, judged per passage.
    passages = segments.progress(scope)
    passages_counted = passages["finished"] + passages["late_open"]

    counted = finished["finished"] + open_late
    figures = {
        **national_figures(scope),
        **_portal_sync(scope),
        "progress.on_time": Figure(
            finished["on_time"] + passages["on_time"],
            counted + passages["finished"] + passages["late_open"],
            extra={
                "breakdown": {
                    "early": finished["early"] + passages["early"],
                    "on_time": finished["on_time"] - finished["early"] + passages["on_time"] - passages["early"],
                    "late_finished": finished["finished"]
                    - finished["on_time"]
                    + passages["finished"]
                    - passages["on_time"],
                    "late_open": open_late + passages["late_open"],
                    # of all these, the dossiers with an apology (form 04): counted apart, never on time
                    # for it
                    "apologised": finished["apologised"] + late["apologised"],
                    # of all these, passages through dossiers other agencies resolve (liên thông), if any
                    **({"inter_agency": passages_counted} if passages_counted else {}),
                }
            },
        ),
        "progress.average_time": Figure(
            sum(1 for a in averages if a.within_limit), len(averages), extra={"procedures": _averages_extra(averages)}
        ),
        "online.dossiers": Figure(received["online"], received["received"]),
        "payment.dossiers": Figure(paid["online"], paid["paid"]),
        "digitisation.electronic_result": Figure(finished["signed"], finished["finished"]),
        "digitisation.digitised": Figure(received["digitised"], received["received"]),
        "digitisation.reused": Figure(received["reused"], received["received"]),
        "satisfaction.complaints": Figure(complaints["on_time"], complaints["counted"]),
        "satisfaction.complaint_handling": Figure(complaints["satisfied"], complaints["counted"]),
        "satisfaction.satisfaction": Figure(finished["satisfied"], counted),
    }
    catalogue_codes = ("transparency.published", "online.procedures", "online.used", "payment.procedures")
    if scope.officer is not None or scope.centre is not None:
        reason = (
            _("Không áp dụng khi xem theo cán bộ tiếp nhận: chỉ số tính trên danh mục thủ tục.")
            if scope.officer is not None
            else _(
                "Không áp dụng khi xem theo nơi tiếp nhận: chỉ số tính trên danh mục thủ tục của cơ quan giải quyết."
            )
        )
        figures.update({code: Figure(reason=reason) for code in catalogue_codes})
    else:
        catalogue = scope.procedures().aggregate(
            published=Count("pk"),
            complete=Count("pk", filter=_complete()),
            online=Count("pk", filter=_offered_online()),
            used=Count("pk", filter=_used_online(scope)),
            fee_bearing=Count("pk", filter=_fee_bearing()),
            fee_paid_online=Count("pk", filter=_fee_bearing() & _paid_online_in(scope)),
        )
        figures.update(
            {
                "transparency.published": Figure(catalogue["complete"], catalogue["published"]),
                "online.procedures": Figure(catalogue["online"], catalogue["published"]),
                "online.used": Figure(catalogue["used"], catalogue["online"]),
                "payment.procedures": Figure(catalogue["fee_paid_online"], catalogue["fee_bearing"]),
            }
        )
    return figures


def drilldown_url(code: str, part: str, scope: Scope) -> str:
    slug = PART_SLUGS[part]
    return reverse("reports:drilldown", kwargs={"code": code, "part": slug}) + "?" + urlencode(scope.params())


def service_index_for(scope: Scope) -> dict:
    """The index as the API answers it: total, max, groups with their indicators. The whole
    province's is the sum of its agencies' figures (`province.province_figures`)."""
    if scope.is_province:
        from .province import province_figures

        figures = province_figures(scope)
    else:
        figures = index_figures(scope)
    return scored_index(figures, scope)


def scored_index(figures: dict[str, Figure], scope: Scope) -> dict:
    """The figures scored, with the lists behind them, the period and the scope."""
    result = indicators.score_index(index_groups(), figures)
    for group in result["groups"]:
        for indicator in group["indicators"]:
            has_list = indicator["code"] in LISTS and indicator["denominator"] is not None
            indicator["drilldown"] = (
                {part: drilldown_url(indicator["code"], part, scope) for part in PARTS} if has_list else None
            )
    result["period"] = {"from": scope.date_from.isoformat(), "to": scope.date_to.isoformat()}
    result["scope"] = scope.params()
    return result


def service_index(
    *,
    date_from: date,
    date_to: date,
    agency: Agency | None = None,
    unit: Unit | None = None,
    field: Field | None = None,
    procedure: Procedure | None = None,
    officer: User | None = None,
    now: datetime | None = None,
) -> dict:
    """`{"total", "max", "percent", "groups": [{"code", "name", "points", "max", "indicators": [{"code", "name",
    "value", "numerator", "denominator", "points", "max", "threshold", "counted", "reason", "drilldown"}]}]}`.

    `value` is a percentage; an indicator with nothing to measure has `counted: false`, no points,
    and its maximum is not part of the group's or the total's `max` (see `indicators`)."""
    scope = make_scope(
        date_from=date_from,
        date_to=date_to,
        agency=agency,
        unit=unit,
        field=field,
        procedure=procedure,
        officer=officer,
        now=now,
    )
    return service_index_for(scope)


# ---------------------------------------------------------------- the lists behind the figures


@dataclass(frozen=True)
class Drilldown:
    kind: str  # "dossiers", "procedures" or "complaints"
    denominator: QuerySet
    numerator: Q | None = None  # None: numerator pks given instead
    numerator_pks: frozenset = frozenset()

    def rows(self, part: str) -> QuerySet:
        if part == "denominator":
            return self.denominator
        if self.numerator is not None:
            return self.denominator.filter(self.numerator)
        return self.denominator.filter(pk__in=self.numerator_pks)


def _progress_list(scope: Scope) -> Drilldown:
    base = scope.dossiers().filter(_finished(scope) | _open_late(scope))
    on_time = _finished(scope) & _on_time()
    if segments.applies(scope):
        # With the agency's passages through other agencies' dossiers (`segments`), judged per passage.
        counted, passed_on_time = segments.progress_rows(scope)
        base = Dossier.objects.filter(
            (Q(agency=scope.agency) & (_finished(scope) | _open_late(scope))) | (~Q(agency=scope.agency) & counted)
        )
        on_time = (Q(agency=scope.agency) & on_time) | (~Q(agency=scope.agency) & passed_on_time)
    return Drilldown("dossiers", base, on_time)


def _average_time_list(scope: Scope) -> Drilldown:
    averages = procedure_averages(scope)
    denominator = Procedure.objects.filter(pk__in=[a.procedure_id for a in averages])
    return Drilldown("procedures", denominator, None, frozenset(a.procedure_id for a in averages if a.within_limit))


def _satisfaction_list(scope: Scope) -> Drilldown:
    base = scope.dossiers().filter(_finished(scope) | _open_late(scope))
    return Drilldown("dossiers", base, _finished(scope) & _satisfied())


def _catalogue_list(numerator, denominator=None):
    """A list of procedures; `numerator`/`denominator` build a Q from the scope."""

    def build(scope: Scope) -> Drilldown:
        if scope.officer is not None or scope.centre is not None:
            raise NotFound(_("Chỉ số này không áp dụng khi xem theo cán bộ hoặc nơi tiếp nhận."), code="not_applicable")
        rows = scope.procedures()
        if denominator is not None:
            rows = rows.filter(denominator(scope))
        return Drilldown("procedures", rows, numerator(scope))

    return build


def _dossier_list(base, numerator):
    def build(scope: Scope) -> Drilldown:
        return Drilldown("dossiers", scope.dossiers().filter(base(scope)), numerator())

    return build


LISTS = {
    "transparency.published": _catalogue_list(lambda s: _complete()),
    "progress.on_time": _progress_list,
    "progress.average_time": _average_time_list,
    "online.procedures": _catalogue_list(lambda s: _offered_online()),
    "online.used": _catalogue_list(_used_online, lambda s: _offered_online()),
    "online.dossiers": _dossier_list(_received, lambda: ONLINE),
    "payment.procedures": _catalogue_list(_paid_online_in, lambda s: _fee_bearing()),
    "payment.dossiers": _dossier_list(_paid, lambda: PAID_ONLINE),
    "digitisation.electronic_result": _dossier_list(_finished, _signed),
    "digitisation.digitised": _dossier_list(_received, _digitised),
    "digitisation.reused": _dossier_list(_received, _reused),
    "satisfaction.complaints": lambda s: Drilldown("complaints", _complaints_counted(s), COMPLAINT_ON_TIME),
    "satisfaction.complaint_handling": lambda s: Drilldown(
        "complaints", _complaints_counted(s), _complaint_satisfied()
    ),
    "satisfaction.satisfaction": _satisfaction_list,
}
PART_SLUGS = {"numerator": "tu-so", "denominator": "mau-so"}
SLUG_PARTS = {slug: part for part, slug in PART_SLUGS.items()}


def indicator_items(*, code: str, part: str, scope: Scope) -> tuple[str, QuerySet]:
    """The rows behind one figure: ("dossiers" | "procedures" | "complaints", queryset)."""
    if code not in LISTS or indicator_spec(code) is None:
        raise NotFound(_("Không có chỉ số “%(code)s”.") % {"code": code}, code="unknown_indicator")
    if part not in PARTS:
        raise NotFound(_("Chỉ có danh sách tử số hoặc mẫu số."), code="unknown_part")
    drilldown = LISTS[code](scope)
    return drilldown.kind, drilldown.rows(part)


def indicator_dossiers(
    *,
    code: str,
    part: str,
    date_from: date,
    date_to: date,
    agency: Agency | None = None,
    unit: Unit | None = None,
    field: Field | None = None,
    procedure: Procedure | None = None,
    officer: User | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """The dossiers behind a figure (`part`: "numerator" or "denominator"). Indicators counted on
    the catalogue or on complaints have no dossier list: use `indicator_items`."""
    scope = make_scope(
        date_from=date_from,
        date_to=date_to,
        agency=agency,
        unit=unit,
        field=field,
        procedure=procedure,
        officer=officer,
        now=now,
    )
    kind, rows = indicator_items(code=code, part=part, scope=scope)
    if kind != "dossiers":
        raise ValueError(f"{code} counts {kind}, not dossiers")
    return rows


def visible_items(*, user, kind: str, rows: QuerySet) -> QuerySet:
    """The rows of a list that `user` may open: dossiers and complaints through their access rule;
    the catalogue is public."""
    if kind == "dossiers":
        return rows.filter(pk__in=dossier_visible_to(user).values("pk"))
    if kind == "complaints":
        return rows.filter(pk__in=complaint_visible_to(user).values("pk"))
    return rows


# ---------------------------------------------------------------- who may see what


def _parse_day(value: str, *, name: str) -> date:
    text = (value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ApplicationError(
        _("Tham số %(name)s “%(value)s” không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd).")
        % {"name": name, "value": value},
        code="invalid_date",
    )


def parse_period(date_from: str | None, date_to: str | None, *, today: date | None = None) -> tuple[date, date]:
    """The period from the query: dd/mm/yyyy or yyyy-mm-dd; by default the current month, and a
    missing end is the end of the start's month."""
    today = today or clock.localdate()
    start = _parse_day(date_from, name="from") if (date_from or "").strip() else None
    end = _parse_day(date_to, name="to") if (date_to or "").strip() else None
    if start is None:
        start = (end or today).replace(day=1)
    if end is None:
        end = start.replace(day=month_calendar.monthrange(start.year, start.month)[1])
    if not (2000 <= start.year <= 2099 and 2000 <= end.year <= 2099):
        raise ApplicationError(_("Kỳ báo cáo phải nằm trong khoảng năm 2000–2099."), code="date_out_of_range")
    if start > end:
        raise ApplicationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="invalid_period")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ApplicationError(
            _("Kỳ báo cáo dài tối đa %(days)s ngày.") % {"days": MAX_PERIOD_DAYS}, code="period_too_long"
        )
    return start, end


def _forbidden(message: str) -> PermissionDenied:
    return PermissionDenied(message, code="report_forbidden")


def report_scope(*, user, params: Mapping[str, str], now: datetime | None = None) -> Scope:
    """The scope `user` asked for with `params` (from, to, agency, centre, province, unit, field,
    procedure, officer), checked against what they may see:

    - a provincial leader or the provincial reform office (`oversees_province`): any agency, any
      centre, or the whole province (`province=1`, their default: they read, and act on nothing);
    - leaders, the reform officer and the administrator: any scope in their agency, and what their
      agency received as a one-stop point (`centre` = their agency: a centre or a commune);
    - a unit head: their unit only (another unit: 403);
    - a one-stop officer: the dossiers they received (another officer: 403);
    - specialists, applicants: 403. Unknown codes: 404. Bad dates: 400.
    """
    if user is None or not user.is_authenticated or not user.is_active or not is_staff_role(user.role):
        raise _forbidden(_("Chỉ cán bộ của cơ quan được xem chỉ số chất lượng phục vụ."))
    if user.role not in READS_SERVICE_INDEX:
        raise _forbidden(_("Vai trò của bạn không được xem chỉ số chất lượng phục vụ."))
    now = now or clock.now()
    date_from, date_to = parse_period(params.get("from"), params.get("to"), today=timezone.localdate(now))

    def text(name: str) -> str:
        return (params.get(name) or "").strip()

    province_wide = oversees_province(user)

    def named_agency(name: str) -> Agency:
        found = Agency.objects.filter(code=text(name)).first()
        if found is None:
            raise NotFound(_("Không tìm thấy cơ quan “%(code)s”.") % {"code": text(name)}, code="unknown_agency")
        if user.agency_id is not None and found.pk != user.agency_id and not province_wide:
            raise _forbidden(_("Bạn chỉ được xem chỉ số của cơ quan mình."))
        return found

    centre = named_agency("centre") if text("centre") else None
    if centre is not None and user.role not in READS_AGENCY_REPORTS:
        raise _forbidden(_("Chỉ lãnh đạo và cán bộ cải cách hành chính được xem chỉ số theo nơi tiếp nhận."))
    if text("province") not in ("", "0") or (province_wide and centre is None and not text("agency")):
        if not province_wide:
            raise _forbidden(_("Chỉ lãnh đạo tỉnh và cơ quan cải cách hành chính tỉnh được xem số liệu toàn tỉnh."))
        if not any(text(name) for name in ("agency", "centre", "unit", "field", "procedure", "officer")):
            return Scope(date_from=date_from, date_to=date_to, now=now)
    agency = user.agency if centre is None else None
    if text("agency"):
        agency = named_agency("agency")
    if agency is None and centre is not None:
        return _centre_scope(params=params, date_from=date_from, date_to=date_to, centre=centre, now=now)
    if agency is None:
        raise ApplicationError(_("Cần chọn cơ quan (tham số agency)."), code="agency_required")

    unit = None
    if text("unit"):
        unit = unit_by_code(agency=agency, code=text("unit"), on=date_to)
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": text("unit")}, code="unknown_unit")
    if user.role in HEADS_UNIT:
        if unit is not None and unit.pk != user.unit_id:
            raise _forbidden(_("Trưởng đơn vị chỉ được xem chỉ số của đơn vị mình."))
        unit = user.unit
        if unit is None:
            raise _forbidden(_("Tài khoản của bạn chưa gắn với đơn vị nào."))

    field_ = None
    if text("field"):
        field_ = Field.objects.filter(code=text("field")).first()
        if field_ is None:
            raise NotFound(_("Không tìm thấy lĩnh vực “%(code)s”.") % {"code": text("field")}, code="unknown_field")

    procedure = None
    if text("procedure"):
        procedure = Procedure.objects.filter(offered_by(agency_code=agency.code), code=text("procedure")).first()
        if procedure is None:
            raise NotFound(
                _("Không tìm thấy thủ tục “%(code)s”.") % {"code": text("procedure")}, code="unknown_procedure"
            )

    officer = None
    if text("officer"):
        officer = User.objects.filter(username=text("officer"), agency=agency).first()
        if officer is None or not is_staff_role(officer.role):
            raise NotFound(_("Không tìm thấy cán bộ “%(name)s”.") % {"name": text("officer")}, code="unknown_officer")
    if user.role in RECEIVES_AT_COUNTER:
        if officer is not None and officer.pk != user.pk:
            raise _forbidden(_("Cán bộ Một cửa chỉ được xem chỉ số của hồ sơ mình tiếp nhận."))
        officer = user

    return Scope(
        date_from=date_from,
        date_to=date_to,
        agency=agency,
        unit=unit,
        field=field_,
        procedure=procedure,
        officer=officer,
        now=now,
        centre=centre,
    )


def _centre_scope(*, params: Mapping[str, str], date_from: date, date_to: date, centre: Agency, now) -> Scope:
    """What one one-stop point received, for every agency it received for: no unit, procedure or
    officer of one agency applies (choose the agency as well)."""
    if any((params.get(name) or "").strip() for name in ("unit", "procedure", "officer")):
        raise ApplicationError(
            _("Xem theo đơn vị, thủ tục hoặc cán bộ thì chọn thêm cơ quan giải quyết (tham số agency)."),
            code="agency_required",
        )
    field_ = None
    if (params.get("field") or "").strip():
        field_ = Field.objects.filter(code=params["field"].strip()).first()
        if field_ is None:
            raise NotFound(_("Không tìm thấy lĩnh vực “%(code)s”.") % {"code": params["field"]}, code="unknown_field")
    return Scope(date_from=date_from, date_to=date_to, centre=centre, field=field_, now=now)


def unit_by_code(*, agency: Agency, code: str, on: date) -> Unit | None:
    """The unit with this code on that day (units are re-created rather than renamed), else the latest."""
    units = list(Unit.objects.filter(agency=agency, code=code).order_by("-valid_from"))
    for unit in units:
        if unit.is_active_on(on):
            return unit
    return units[0] if units else None


def scope_choices(*, user, agency: Agency) -> dict:
    """What the index page's filter offers `user`: units, fields, procedures and officers."""
    lead_units = ProcedureVersion.objects.filter(procedure__agency=agency).values("unit_id")
    units = Unit.objects.filter(agency=agency, pk__in=lead_units).order_by("name")
    if user.role in HEADS_UNIT:
        units = Unit.objects.filter(pk=user.unit_id)
    officers = User.objects.filter(agency=agency, role__in=RECEIVES_AT_COUNTER, is_active=True).order_by("username")
    if user.role in RECEIVES_AT_COUNTER:
        officers = officers.filter(pk=user.pk)
    procedures = (
        Procedure.objects.filter(agency=agency, current_version__isnull=False)
        .select_related("current_version")
        .order_by("code")
    )
    if user.role in HEADS_UNIT:
        procedures = procedures.filter(current_version__unit_id=user.unit_id)
    fields = Field.objects.filter(pk__in=ProcedureVersion.objects.filter(procedure__agency=agency).values("field_id"))
    return {"units": units, "fields": fields, "procedures": procedures, "officers": officers}


# ---------------------------------------------------------------- the public quality table


@dataclass
class Cell:
    on_time: int = 0
    counted: int = 0
    online: int = 0
    received: int = 0
    ratings: int = 0
    satisfied: dict = dc_field(default_factory=lambda: dict.fromkeys(FACTORS, 0))
    answered: dict = dc_field(default_factory=lambda: dict.fromkeys(FACTORS, 0))  # "không áp dụng" is none

    def add(self, other: "Cell") -> None:
        self.on_time += other.on_time
        self.counted += other.counted
        self.online += other.online
        self.received += other.received
        self.ratings += other.ratings
        for factor in FACTORS:
            self.satisfied[factor] += other.satisfied[factor]
            self.answered[factor] += other.answered[factor]

    def figures(self) -> dict:
        factors = [index_from_counts(self.satisfied[f], self.answered[f]) for f in FACTORS]
        return {
            "on_time": _percent(self.on_time, self.counted),
            "online": _percent(self.online, self.received),
            "satisfaction": None if overall_index(factors) is None else round(overall_index(factors), 1),
            "counted": self.counted,
            "received": self.received,
            "ratings": self.ratings,
        }


def _percent(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def months_ending(year: int, month: int, count: int = 6) -> list[tuple[int, int]]:
    """`count` months ending with (year, month), oldest first."""
    index = year * 12 + month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def _month_key(moment) -> tuple[int, int]:
    if isinstance(moment, datetime):
        moment = moment.astimezone(VN_TZ)
    return moment.year, moment.month


def quality_by_month(
    *,
    agency: Agency | None,
    year: int,
    month: int,
    months: int = 6,
    now: datetime | None = None,
    centre: Agency | None = None,
) -> dict:
    """The public table: per unit and per procedure, for each of `months` months ending with
    (year, month): on-time share (as `progress.on_time`), online share (as `online.dossiers`) and
    satisfaction (the SIPAS index of the ratings given that month). Plain data, no personal data:
    unit and procedure names and percentages only. Six queries for the whole table.

    `agency` None: the whole province, or with `centre` what that one-stop point received; the
    rows of "units" are then the resolving agencies."""
    with _short_queries():
        return _quality_by_month(agency=agency, centre=centre, year=year, month=month, months=months, now=now)


def _quality_by_month(
    *, agency: Agency | None, centre: Agency | None, year: int, month: int, months: int, now: datetime | None
) -> dict:
    now = now or clock.now()
    keys = months_ending(year, month, months)
    first = date(keys[0][0], keys[0][1], 1)
    last = date(keys[-1][0], keys[-1][1], month_calendar.monthrange(keys[-1][0], keys[-1][1])[1])
    whole = make_scope(date_from=first, date_to=last, agency=agency, centre=centre, now=now)
    cells: dict[tuple, Cell] = defaultdict(Cell)  # (month, unit_id or agency_id, procedure_id) → Cell
    by_agency = agency is None
    group = ("agency_id" if by_agency else "procedure_version__unit_id", "procedure_id")

    finished_rows = (
        whole.dossiers()
        .filter(_finished(whole))
        .annotate(month=TruncMonth("finished_at", tzinfo=VN_TZ))
        .values("month", *group)
        .annotate(finished=Count("pk"), on_time=Count("pk", filter=_on_time()))
        .order_by()
    )
    for row in finished_rows:
        cell = cells[(_month_key(row["month"]), row[group[0]], row[group[1]])]
        cell.on_time += row["on_time"]
        cell.counted += row["finished"]

    month_scopes = []
    for y, m in keys:
        start = date(y, m, 1)
        month_scopes.append(
            make_scope(date_from=start, date_to=start.replace(day=month_calendar.monthrange(y, m)[1]), now=now)
        )
    open_counts = {f"late_{i}": Count("pk", filter=_open_late(s)) for i, s in enumerate(month_scopes)}
    open_rows = (
        whole.dossiers()
        .filter(reduce(or_, (_open_late(s) for s in month_scopes)))
        .values(*group)
        .annotate(**open_counts)
        .order_by()
    )
    for row in open_rows:
        for i, key in enumerate(keys):
            if row[f"late_{i}"]:
                cells[(key, row[group[0]], row[group[1]])].counted += row[f"late_{i}"]

    received_rows = (
        whole.dossiers()
        .filter(_received(whole))
        .annotate(month=TruncMonth("received_at", tzinfo=VN_TZ))
        .values("month", *group)
        .annotate(received=Count("pk"), online=Count("pk", filter=ONLINE))
        .order_by()
    )
    for row in received_rows:
        cell = cells[(_month_key(row["month"]), row[group[0]], row[group[1]])]
        cell.received += row["received"]
        cell.online += row["online"]

    rating_group = tuple(f"dossier__{name}" for name in group)
    rated = Q()
    if agency is not None:
        rated &= Q(dossier__agency=agency)
    if centre is not None:
        rated &= Q(dossier__reception_point=centre)
    satisfied_counts = {f"ok_{f}": Count("pk", filter=Q(**{f"{score_field(f)}__gte": SATISFIED_FROM})) for f in FACTORS}
    satisfied_counts |= {f"n_{f}": Count(score_field(f)) for f in FACTORS}
    rating_rows = (
        Rating.objects.filter(rated, rated_at__gte=whole.start, rated_at__lt=whole.end)
        .annotate(month=TruncMonth("rated_at", tzinfo=VN_TZ))
        .values("month", *rating_group)
        .annotate(n=Count("pk"), **satisfied_counts)
        .order_by()
    )
    for row in rating_rows:
        cell = cells[(_month_key(row["month"]), row[rating_group[0]], row[rating_group[1]])]
        cell.ratings += row["n"]
        for f in FACTORS:
            cell.satisfied[f] += row[f"ok_{f}"]
            cell.answered[f] += row[f"n_{f}"]

    unit_ids = {unit_id for _m, unit_id, _p in cells}
    procedure_ids = {procedure_id for _m, _u, procedure_id in cells}
    unit_names = dict((Agency if by_agency else Unit).objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    procedures = {
        pk: (code, name)
        for pk, code, name in Procedure.objects.filter(pk__in=procedure_ids).values_list(
            "pk", "code", "current_version__name"
        )
    }
    by_unit: dict[int, dict] = defaultdict(lambda: defaultdict(Cell))
    by_procedure: dict[int, dict] = defaultdict(lambda: defaultdict(Cell))
    total: dict = defaultdict(Cell)
    for (key, unit_id, procedure_id), cell in cells.items():
        by_unit[unit_id][key].add(cell)
        by_procedure[procedure_id][key].add(cell)
        total[key].add(cell)

    def series(cells_by_month) -> list[dict]:
        return [cells_by_month[key].figures() if key in cells_by_month else Cell().figures() for key in keys]

    return {
        "months": [{"year": y, "month": m, "label": f"{m:02d}/{y}"} for y, m in keys],
        "total": series(total),
        "units": sorted(
            ({"name": unit_names.get(uid, ""), "months": series(months_)} for uid, months_ in by_unit.items()),
            key=lambda row: row["name"],
        ),
        "procedures": sorted(
            (
                {
                    "code": procedures.get(pid, ("", ""))[0],
                    "name": procedures.get(pid, ("", ""))[1] or "",
                    "months": series(months_),
                }
                for pid, months_ in by_procedure.items()
            ),
            key=lambda row: row["code"],
        ),
    }


def public_agencies() -> QuerySet[Agency]:
    """Agencies that offer a published procedure (their own, or a national one through an
    offering: the communes), the busiest catalogue first."""
    published = Procedure.objects.filter(current_version__status=ProcedureVersion.Status.PUBLISHED)
    own = (
        published.filter(agency=OuterRef("pk"), offerings__isnull=True)
        .order_by()
        .values("agency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    offered = (
        Offering.objects.filter(agency=OuterRef("pk"), procedure__in=published)
        .order_by()
        .values("agency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    zero = Value(0)
    return (
        Agency.objects.annotate(
            n=Coalesce(Subquery(own, output_field=IntegerField()), zero)
            + Coalesce(Subquery(offered, output_field=IntegerField()), zero)
        )
        .filter(n__gt=0)
        .order_by("-n", "name")
    )


def public_centres() -> QuerySet[Agency]:
    """The one-stop points that received dossiers for other agencies: the centres and communes."""
    return Agency.objects.filter(level__in=(Agency.Level.CENTRE, Agency.Level.COMMUNE)).order_by("level", "name")
