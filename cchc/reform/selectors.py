"""Reads for the PAR Index, each carrying its access rule: staff of the agency see its years;
everyone else (applicants, anonymous visitors, another agency's staff) sees nothing.

`par_index` scores a year: live values for computed criteria come from the service index over
the year so far (from the index snapshot the hourly task keeps, `reports.snapshots`), the arithmetic from `scoring`.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet

from cchc.accounts.models import Agency
from cchc.core import clock

from . import config, policies, scoring
from .models import Criterion, Evidence, ParYear

EARLIER_YEARS = 3
BAND_CSS = ("band-excellent", "band-good", "band-fair")


def par_years_visible_to(user) -> QuerySet[ParYear]:
    if not policies.may_view(user):
        return ParYear.objects.none()
    return ParYear.objects.filter(agency_id=user.agency_id).select_related("agency")


def par_year_for(*, user, year: int | None = None) -> ParYear | None:
    """The year asked for, or the latest one; None when there is none the user may see."""
    qs = par_years_visible_to(user).order_by("-year")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.first()


def criterion_for(*, user, year: int, code: str) -> Criterion | None:
    return (
        Criterion.objects.filter(par_year__in=par_years_visible_to(user), par_year__year=year, code=code)
        .select_related("par_year__agency", "responsible_unit", "parent")
        .first()
    )


def evidence_for(*, user, pk: int) -> Evidence | None:
    return (
        Evidence.objects.filter(criterion__par_year__in=par_years_visible_to(user), pk=pk)
        .select_related("criterion__par_year__agency", "added_by")
        .first()
    )


def criterion_evidence(criterion: Criterion) -> QuerySet[Evidence]:
    return criterion.evidence.select_related("added_by").order_by("added_at", "id")


def criterion_children(criterion: Criterion) -> QuerySet[Criterion]:
    return criterion.children.select_related("responsible_unit").order_by("order")


# ---------------------------------------------------------------- live indicators


def indicator_period(year: int, *, today: date | None = None) -> tuple[date, date] | None:
    """From 1 January to 31 December, or to today for the current year; None for a future year."""
    from cchc.reports.snapshots import year_so_far

    return year_so_far(year, today=today or clock.localdate())


def live_indicator_values(*, agency: Agency, year: int, today: date | None = None) -> dict[str, float | None]:
    """`{indicator code: value (0–100) or None when nothing to measure}` for the agency's year so far."""
    period = indicator_period(year, today=today)
    if period is None:
        return {}
    from cchc.reports.snapshots import stored_index

    return stored_index(agency=agency, date_from=period[0], date_to=period[1]).values()


# ---------------------------------------------------------------- the scored year


@dataclass
class ParRow:
    criterion: Criterion
    scored: scoring.ScoredCriterion
    indicator_value: float | None = None
    evidence_count: int = 0

    @property
    def may_edit_score(self) -> bool:
        return self.scored.is_leaf and self.criterion.method != Criterion.Method.INDICATOR


@dataclass
class ParIndex:
    par_year: ParYear
    rows: list[ParRow]
    max_points: Decimal
    projected_total: Decimal
    index: Decimal
    band: str
    target: Decimal
    gap: Decimal
    appraised_total: Decimal | None
    appraised_index: Decimal | None
    appraised_band: str | None
    lost: list[ParRow] = field(default_factory=list)
    period: tuple[date, date] | None = None
    band_rank: int = 0
    appraised_band_rank: int | None = None

    @property
    def reached(self) -> bool:
        return self.gap == 0

    @property
    def band_css(self) -> str:
        return _band_css(self.band_rank)

    @property
    def appraised_band_css(self) -> str:
        return _band_css(self.appraised_band_rank) if self.appraised_band_rank is not None else ""

    @property
    def lost_points(self) -> Decimal:
        return sum((row.scored.recoverable for row in self.lost), Decimal(0))


def _band_css(rank: int) -> str:
    """The dashboards' band colours: the three highest bands, then the weak colour."""
    return BAND_CSS[rank] if rank < len(BAND_CSS) else "band-weak"


def par_index(*, par_year: ParYear, indicator_values: dict[str, float | None] | None = None) -> ParIndex:
    """Score the year: every criterion in tree order, the totals, the band, the gap to the target
    and the leaves where points can still be recovered (most first)."""
    criteria = list(
        Criterion.objects.filter(par_year=par_year)
        .select_related("responsible_unit")
        .annotate(evidence_count=Count("evidence"))
        .order_by("order", "id")
    )
    if indicator_values is None:
        needs_live = any(c.method == Criterion.Method.INDICATOR for c in criteria)
        indicator_values = live_indicator_values(agency=par_year.agency, year=par_year.year) if needs_live else {}
    scored = scoring.score_tree(
        scoring.CriterionInput(
            code=c.code,
            max_points=c.max_points,
            method=c.method,
            self_score=c.self_score,
            indicator_value=indicator_values.get(c.indicator) if c.method == Criterion.Method.INDICATOR else None,
            appraised_score=c.appraised_score,
        )
        for c in criteria
    )
    by_code = {c.code: c for c in criteria}
    rows = [
        ParRow(
            criterion=by_code[node.code],
            scored=node,
            indicator_value=indicator_values.get(by_code[node.code].indicator)
            if by_code[node.code].method == Criterion.Method.INDICATOR
            else None,
            evidence_count=by_code[node.code].evidence_count,
        )
        for node in scored
    ]
    row_by_code = {row.scored.code: row for row in rows}
    bands = config.par_bands()
    maximum = scoring.total_max(scored)
    projected = scoring.projected_total(scored)
    index = scoring.index_of(projected, maximum)
    appraised = scoring.appraised_total(scored) if par_year.appraised_on else None
    appraised_index = scoring.index_of(appraised, maximum) if appraised is not None else None
    target = Decimal(par_year.target)
    return ParIndex(
        par_year=par_year,
        rows=rows,
        max_points=maximum,
        projected_total=projected,
        index=index,
        band=scoring.band_for(index, bands),
        target=target,
        gap=scoring.gap_to_target(index, target),
        appraised_total=appraised,
        appraised_index=appraised_index,
        appraised_band=scoring.band_for(appraised_index, bands) if appraised_index is not None else None,
        lost=[row_by_code[node.code] for node in scoring.recoverable_leaves(scored)],
        period=indicator_period(par_year.year),
        band_rank=scoring.band_rank(index, bands),
        appraised_band_rank=scoring.band_rank(appraised_index, bands) if appraised_index is not None else None,
    )


def criterion_scored(*, criterion: Criterion) -> ParRow | None:
    """The criterion's row of its year's scored tree."""
    result = par_index(par_year=criterion.par_year)
    return next((row for row in result.rows if row.criterion.pk == criterion.pk), None)


# ---------------------------------------------------------------- the appraisal and earlier years


def appraisal_leaves(*, par_year: ParYear) -> list[Criterion]:
    parents = set(Criterion.objects.filter(par_year=par_year, parent__isnull=False).values_list("parent_id", flat=True))
    return [
        c
        for c in Criterion.objects.filter(par_year=par_year).select_related("responsible_unit").order_by("order")
        if c.pk not in parents
    ]


@dataclass
class EarlierYear:
    year: int
    appraised_on: date | None
    max_points: Decimal
    projected_total: Decimal
    appraised_total: Decimal | None
    by_code: dict[str, scoring.ScoredCriterion]


def earlier_years(*, par_year: ParYear, count: int = EARLIER_YEARS) -> list[EarlierYear]:
    """The agency's previous years (most recent first), scored from what was entered: self-scores,
    survey scores and the appraisal (computed criteria there count by their appraised score only)."""
    years = ParYear.objects.filter(agency_id=par_year.agency_id, year__lt=par_year.year).order_by("-year")[:count]
    result = []
    for earlier in years:
        scored = scoring.score_tree(
            scoring.CriterionInput(
                code=c.code,
                max_points=c.max_points,
                method=c.method,
                self_score=c.self_score,
                appraised_score=c.appraised_score,
            )
            for c in Criterion.objects.filter(par_year=earlier).order_by("order")
        )
        result.append(
            EarlierYear(
                year=earlier.year,
                appraised_on=earlier.appraised_on,
                max_points=scoring.total_max(scored),
                projected_total=scoring.projected_total(scored),
                appraised_total=scoring.appraised_total(scored) if earlier.appraised_on else None,
                by_code={node.code: node for node in scored},
            )
        )
    return result


def criteria_lost_at_appraisal(*, par_year: ParYear) -> list[tuple[Criterion, Decimal]]:
    """The leaves where the appraisal gave less than the maximum, with the points lost, most first
    (the shortcomings to fix the next year). Empty until the year is appraised."""
    if par_year.appraised_on is None:
        return []
    lost = [
        (criterion, criterion.max_points - criterion.appraised_score)
        for criterion in appraisal_leaves(par_year=par_year)
        if criterion.appraised_score is not None and criterion.appraised_score < criterion.max_points
    ]
    return sorted(lost, key=lambda item: (-item[1], scoring.code_key(item[0].code)))
