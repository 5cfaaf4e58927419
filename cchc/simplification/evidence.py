"""Evidence from operations for simplifying procedures, and the candidates it points at.

For procedures over a period, from the dossiers filed in it (submitted online, received at the
counter, or turned back at the counter for missing papers; never drafts):

* per component of the reviewed version: how many supplementation requests named it, the share
  of the procedure's dossiers asked for it, and how often it was taken from the applicant's data
  store (`DossierDocument.reused`) instead of being handed in again;
* per process step: the average actual working time of the closed passes (the agency's working
  calendar, less the time the dossier waited for the applicant) against the budgeted hours, and
  the share of passes judged late;
* per procedure: the average processing time against the time limit, and the yearly volume
  (dossiers received in the 12 months up to the end of the period).

A supplementation request lists its items as text; form 02 and the counter write the component's
name, an officer may write more around it. An item names a component when, ignoring case and
diacritics, one contains the other (items shorter than `MIN_ITEM_LENGTH` match only exactly). A
request naming no component is counted apart, not guessed.

Everything is computed in a fixed number of queries per call, whatever the number of procedures:
counts in SQL, working time in Python on the agency's calendar (O(1) per pass).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, DateTimeField, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cchc.accounts.roles import APPLICANT_ROLES
from cchc.core.calendar import VN_TZ
from cchc.core.text import fold
from cchc.dossiers.models import Dossier, DossierDocument, DossierStep, SupplementRequest
from cchc.dossiers.workflow import Status
from cchc.procedures.models import Procedure, ProcedureVersion
from cchc.procedures.selectors import agency_calendar

DEFAULT_THRESHOLDS: dict[str, float] = {
    # A component is a candidate when supplementation was asked for it in at least this % of dossiers…
    "supplement_share": 10,
    # …or when at least this % of the times it was handed in it came from the data store.
    "reuse_share": 30,
    # Shares over fewer dossiers (or step passes) than this are shown but never flagged.
    "min_dossiers": 5,
    # A procedure with at least this many cases a year is a candidate to go (fully) online.
    "online_volume": 100,
    # A procedure handled on average within this % of its time limit is a candidate to shorten it.
    "short_processing_share": 50,
}
MIN_ITEM_LENGTH = 8
VOLUME_DAYS = 365


def thresholds() -> dict[str, float]:
    """`DEFAULT_THRESHOLDS`, overridden key by key by the setting `CCHC_SIMPLIFICATION_THRESHOLDS`."""
    return DEFAULT_THRESHOLDS | dict(settings.CCHC_SIMPLIFICATION_THRESHOLDS or {})


@dataclass(frozen=True)
class Flag:
    """A candidate for simplification ("ứng viên đơn giản hóa") and why."""

    kind: str  # component_supplement, component_reused, step_over_budget, not_online, not_full_online, short_processing
    subject: str
    reason: str


@dataclass
class ComponentEvidence:
    order: int
    name: str
    component_id: int
    required: bool
    supplement_requests: int = 0
    supplement_dossiers: int = 0
    supplement_share: float | None = None
    documents: int = 0
    reused: int = 0
    reused_share: float | None = None
    flags: list[Flag] = field(default_factory=list)


@dataclass
class StepEvidence:
    order: int
    name: str
    unit: str
    runs: int = 0
    budget_hours: float | None = None
    average_hours: float | None = None
    late: int = 0
    late_share: float | None = None
    flags: list[Flag] = field(default_factory=list)

    @property
    def over_budget(self) -> bool:
        return (
            self.average_hours is not None and self.budget_hours is not None and self.average_hours > self.budget_hours
        )


@dataclass
class ProcedureEvidence:
    procedure: Procedure
    version: ProcedureVersion
    date_from: date
    date_to: date
    dossiers: int = 0
    volume: int = 0
    finished: int = 0
    average_hours: float | None = None
    unmatched_requests: int = 0
    components: list[ComponentEvidence] = field(default_factory=list)
    steps: list[StepEvidence] = field(default_factory=list)
    procedure_flags: list[Flag] = field(default_factory=list)

    @property
    def limit_hours(self) -> int | None:
        """None for a limit in calendar days (no fixed working time to compare with)."""
        return self.version.time_limit_hours

    @property
    def flags(self) -> list[Flag]:
        """Every candidate found: the procedure's own, then its components', then its steps'."""
        return (
            self.procedure_flags
            + [f for c in self.components for f in c.flags]
            + [f for s in self.steps for f in s.flags]
        )


def share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 2) if whole else None


def vn_number(value: float) -> str:
    """12.5 -> "12,5"; 33.333 -> "33,33"; 20.0 -> "20" (Vietnamese decimal comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start of date_from, start of the day after date_to) in Vietnam time."""
    return (
        datetime.combine(date_from, time.min, tzinfo=VN_TZ),
        datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN_TZ),
    )


def item_names_component(item: str, component_key: str) -> bool:
    """Whether a supplementation item (folded) names a component (folded name)."""
    if not item or not component_key:
        return False
    if item == component_key:
        return True
    if len(item) < MIN_ITEM_LENGTH or len(component_key) < MIN_ITEM_LENGTH:
        return False
    return component_key in item or item in component_key


def filed_dossiers(procedure_ids, start: datetime, end: datetime):
    """Dossiers of the procedures filed in [start, end): submitted, received, or turned back at the counter."""
    return (
        Dossier.objects.filter(procedure_id__in=procedure_ids)
        .exclude(status=Status.DRAFT)
        # created_at is a ClockDateTimeField, the others plain: Django needs the output field named.
        .annotate(filed_at=Coalesce("submitted_at", "received_at", "created_at", output_field=DateTimeField()))
        .filter(filed_at__gte=start, filed_at__lt=end)
    )


def gather(
    *, agency, versions: dict[int, ProcedureVersion], date_from: date, date_to: date
) -> dict[int, ProcedureEvidence]:
    """Evidence for each procedure id of `versions` (its reviewed version) over [date_from, date_to]."""
    if not versions:
        return {}
    limits = thresholds()
    start, end = bounds(date_from, date_to)
    ids = list(versions)
    filed = filed_dossiers(ids, start, end)
    filed_ids = filed.values("pk")
    calendar = agency_calendar(agency)
    result: dict[int, ProcedureEvidence] = {}
    components_of: dict[int, list[ComponentEvidence]] = {}
    for pid, version in versions.items():
        evidence = ProcedureEvidence(procedure=version.procedure, version=version, date_from=date_from, date_to=date_to)
        evidence.components = [
            ComponentEvidence(order=c.order, name=c.name, component_id=c.pk, required=c.required)
            for c in version.components.all()
        ]
        evidence.steps = [
            StepEvidence(order=s.order, name=s.name, unit=s.unit.name if s.unit_id else "") for s in version.steps.all()
        ]
        components_of[pid] = evidence.components
        result[pid] = evidence

    for pid, count in filed.order_by().values("procedure_id").annotate(n=Count("pk")).values_list("procedure_id", "n"):
        result[pid].dossiers = count

    volume_start, volume_end = bounds(date_to - timedelta(days=VOLUME_DAYS - 1), date_to)
    volumes = (
        Dossier.objects.filter(procedure_id__in=ids, received_at__gte=volume_start, received_at__lt=volume_end)
        .order_by()
        .values("procedure_id")
        .annotate(n=Count("pk"))
        .values_list("procedure_id", "n")
    )
    for pid, count in volumes:
        result[pid].volume = count

    _supplementation(result, components_of, filed_ids)
    _reuse(result, components_of, filed_ids)
    pauses = _pauses(filed_ids)
    _steps(result, filed_ids, pauses, calendar)
    _processing(result, filed, pauses, calendar)
    for evidence in result.values():
        _flag(evidence, limits)
    return result


def _keyed(components: list[ComponentEvidence]) -> list[tuple[str, ComponentEvidence]]:
    return [(fold(c.name), c) for c in components]


def _supplementation(result, components_of, filed_ids) -> None:
    rows = (
        SupplementRequest.objects.filter(dossier_id__in=filed_ids)
        .order_by()
        .values_list("dossier_id", "dossier__procedure_id", "items")
    )
    asked: dict[tuple[int, int], set[int]] = defaultdict(set)  # (procedure, component) -> dossiers
    keyed = {pid: _keyed(components) for pid, components in components_of.items()}
    for dossier_id, pid, items in rows:
        named = set()
        for item in items or []:
            folded = fold(str(item))
            for key, component in keyed[pid]:
                if item_names_component(folded, key):
                    named.add(component.component_id)
        if not named:
            result[pid].unmatched_requests += 1
        for component in components_of[pid]:
            if component.component_id in named:
                component.supplement_requests += 1
                asked[(pid, component.component_id)].add(dossier_id)
    for pid, components in components_of.items():
        for component in components:
            component.supplement_dossiers = len(asked.get((pid, component.component_id), ()))
            component.supplement_share = share(component.supplement_dossiers, result[pid].dossiers)


def _reuse(result, components_of, filed_ids) -> None:
    # Grouped by name, so documents handed in under an earlier version of the procedure count too.
    rows = (
        DossierDocument.objects.filter(dossier_id__in=filed_ids)
        .order_by()
        .values("dossier__procedure_id", "component__name")
        .annotate(n=Count("pk"), reused=Count("pk", filter=Q(reused=True)))
        .values_list("dossier__procedure_id", "component__name", "n", "reused")
    )
    by_name: dict[tuple[int, str], tuple[int, int]] = defaultdict(lambda: (0, 0))
    for pid, name, n, reused in rows:
        key = (pid, fold(name))
        total, done = by_name[key]
        by_name[key] = (total + n, done + reused)
    for pid, components in components_of.items():
        for component in components:
            component.documents, component.reused = by_name.get((pid, fold(component.name)), (0, 0))
            component.reused_share = share(component.reused, component.documents)


def _pauses(filed_ids) -> dict[int, list[tuple[datetime, int]]]:
    """Working minutes each dossier waited for the applicant during processing, by request moment."""
    pauses: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    rows = SupplementRequest.objects.filter(
        dossier_id__in=filed_ids, stage=SupplementRequest.Stage.PROCESSING, paused_minutes__gt=0
    ).values_list("dossier_id", "requested_at", "paused_minutes")
    for dossier_id, requested_at, minutes in rows:
        pauses[dossier_id].append((requested_at, minutes))
    return pauses


def _worked(calendar, start: datetime, finish: datetime, pauses: list[tuple[datetime, int]]) -> int:
    waited = sum(minutes for at, minutes in pauses if start <= at <= finish)
    return max(calendar.working_minutes_between(start, finish) - waited, 0)


def _steps(result, filed_ids, pauses, calendar) -> None:
    # A pass the applicant closed (withdrawing) is nobody's work: left out.
    rows = (
        DossierStep.objects.filter(dossier_id__in=filed_ids, finished_at__isnull=False)
        .filter(Q(finished_by__isnull=True) | ~Q(finished_by__role__in=APPLICANT_ROLES))
        .order_by()
        .values_list(
            "dossier_id", "dossier__procedure_id", "order", "started_at", "finished_at", "budget_hours", "outcome"
        )
    )
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # runs, minutes, budget h, late
    for dossier_id, pid, order, started, finished, budget, outcome in rows:
        bucket = totals[(pid, order)]
        bucket[0] += 1
        bucket[1] += _worked(calendar, started, finished, pauses.get(dossier_id, ()))
        bucket[2] += budget
        bucket[3] += outcome == DossierStep.Outcome.LATE
    for pid, evidence in result.items():
        for step in evidence.steps:
            runs, minutes, budget, late = totals.get((pid, step.order), (0, 0, 0, 0))
            step.runs, step.late = runs, late
            if runs:
                step.average_hours = round(minutes / runs / 60, 2)
                step.budget_hours = round(budget / runs, 2)
                step.late_share = share(late, runs)


def _processing(result, filed, pauses, calendar) -> None:
    rows = filed.filter(finished_at__isnull=False, counted_from__isnull=False).values_list(
        "pk", "procedure_id", "counted_from", "finished_at"
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for dossier_id, pid, counted_from, finished_at in rows:
        totals[pid][0] += 1
        totals[pid][1] += _worked(calendar, counted_from, finished_at, pauses.get(dossier_id, ()))
    for pid, (count, minutes) in totals.items():
        result[pid].finished = count
        result[pid].average_hours = round(minutes / count / 60, 2) if count else None


def _flag(evidence: ProcedureEvidence, limits: dict[str, float]) -> None:
    """The candidates the evidence points at, each with its reason in Vietnamese."""
    enough = evidence.dossiers >= limits["min_dossiers"]
    for c in evidence.components:
        if enough and c.supplement_share is not None and c.supplement_share >= limits["supplement_share"]:
            c.flags.append(
                Flag(
                    "component_supplement",
                    c.name,
                    _(
                        "Thành phần “%(name)s” phải bổ sung ở %(share)s%% hồ sơ (%(n)s/%(total)s; ngưỡng %(limit)s%%): "
                        "xem xét bãi bỏ hoặc làm rõ yêu cầu."
                    )
                    % {
                        "name": c.name,
                        "share": vn_number(c.supplement_share),
                        "n": c.supplement_dossiers,
                        "total": evidence.dossiers,
                        "limit": vn_number(limits["supplement_share"]),
                    },
                )
            )
        if (
            c.documents >= limits["min_dossiers"]
            and c.reused_share is not None
            and c.reused_share >= limits["reuse_share"]
        ):
            c.flags.append(
                Flag(
                    "component_reused",
                    c.name,
                    _(
                        "Thành phần “%(name)s” được lấy từ kho dữ liệu ở %(share)s%% lần nộp (%(n)s/%(total)s; ngưỡng "
                        "%(limit)s%%): có thể khai thác dữ liệu sẵn có thay vì yêu cầu nộp."
                    )
                    % {
                        "name": c.name,
                        "share": vn_number(c.reused_share),
                        "n": c.reused,
                        "total": c.documents,
                        "limit": vn_number(limits["reuse_share"]),
                    },
                )
            )
    for s in evidence.steps:
        if s.runs >= limits["min_dossiers"] and s.over_budget:
            s.flags.append(
                Flag(
                    "step_over_budget",
                    s.name,
                    _(
                        "Bước “%(name)s” thực tế trung bình %(actual)s giờ làm việc, vượt định mức %(budget)s giờ "
                        "(%(late)s%% lượt quá hạn): xem xét tổ chức lại quy trình."
                    )
                    % {
                        "name": s.name,
                        "actual": vn_number(s.average_hours),
                        "budget": vn_number(s.budget_hours),
                        "late": vn_number(s.late_share or 0),
                    },
                )
            )
    version = evidence.version
    name = version.name
    if evidence.volume >= limits["online_volume"]:
        if version.online_level < ProcedureVersion.OnlineLevel.PARTIAL:
            evidence.procedure_flags.append(
                Flag(
                    "not_online",
                    name,
                    _("Chưa cung cấp dịch vụ công trực tuyến dù có %(n)s hồ sơ trong 12 tháng (ngưỡng %(limit)s).")
                    % {"n": evidence.volume, "limit": int(limits["online_volume"])},
                )
            )
        elif version.online_level < ProcedureVersion.OnlineLevel.FULL:
            evidence.procedure_flags.append(
                Flag(
                    "not_full_online",
                    name,
                    _(
                        "Mới trực tuyến một phần dù có %(n)s hồ sơ trong 12 tháng (ngưỡng %(limit)s): "
                        "xem xét toàn trình."
                    )
                    % {"n": evidence.volume, "limit": int(limits["online_volume"])},
                )
            )
    limit_hours = evidence.limit_hours
    if (
        evidence.finished >= limits["min_dossiers"]
        and evidence.average_hours is not None
        and limit_hours
        and evidence.average_hours * 100 <= limit_hours * limits["short_processing_share"]
    ):
        evidence.procedure_flags.append(
            Flag(
                "short_processing",
                name,
                _(
                    "Thời gian giải quyết thực tế trung bình %(actual)s giờ làm việc, không quá %(limit)s%% thời hạn "
                    "%(hours)s giờ: xem xét rút ngắn thời hạn."
                )
                % {
                    "actual": vn_number(evidence.average_hours),
                    "limit": vn_number(limits["short_processing_share"]),
                    "hours": limit_hours,
                },
            )
        )
