"""Reads for procedure review and simplification. Each carries the access rule of `policies`:
another agency's round is not found, a unit head finds only the reviews of their unit's procedures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import caches
from django.db.models import Count, Prefetch, Q, QuerySet

from cchc.core import clock
from cchc.procedures.models import Procedure, ProcedureVersion, ProcessStep

from . import costs, evidence
from .models import ProcedureReview, ProposedChange, ReviewRound
from .policies import may_view, sees_whole_agency

CANDIDATES_CACHE_SECONDS = 600
CANDIDATES_DEFAULT_SECONDS = 26 * 3600
# Shared by the web processes and the task worker (Redis, or a database table): see settings.
shared_cache = caches["shared"]


def rounds_for(*, user) -> QuerySet[ReviewRound]:
    if not may_view(user):
        return ReviewRound.objects.none()
    if sees_whole_agency(user):
        counted = Count("reviews")
    else:
        counted = Count("reviews", filter=Q(reviews__version__unit_id=user.unit_id))
    return (
        ReviewRound.objects.filter(agency_id=user.agency_id)
        .select_related("agency", "created_by", "closed_by")
        .annotate(review_count=counted)
    )


def round_get(*, user, pk: int) -> ReviewRound | None:
    return rounds_for(user=user).filter(pk=pk).first()


def reviews_for(*, user, round: ReviewRound) -> QuerySet[ProcedureReview]:
    """The round's reviews the user may see, with what their pages and totals need."""
    if not may_view(user) or round.agency_id != user.agency_id:
        return ProcedureReview.objects.none()
    rows = ProcedureReview.objects.filter(round=round).select_related(
        "round", "procedure", "version__unit", "concluded_by"
    )
    if not sees_whole_agency(user):
        rows = rows.filter(version__unit_id=user.unit_id)
    return rows.order_by("procedure__code")


def review_get(*, user, round_pk: int, pk: int) -> ProcedureReview | None:
    round = round_get(user=user, pk=round_pk)
    if round is None:
        return None
    return reviews_for(user=user, round=round).filter(pk=pk).first()


def changes_of(review: ProcedureReview) -> QuerySet[ProposedChange]:
    return review.changes.select_related("component", "created_by")


def addable_procedures(*, round: ReviewRound) -> QuerySet[Procedure]:
    """The agency's published procedures not yet in the round."""
    return (
        Procedure.objects.filter(agency_id=round.agency_id, current_version__isnull=False)
        .exclude(pk__in=round.reviews.values("procedure_id"))
        .select_related("current_version")
        .order_by("code")
    )


def procedure_volume(*, procedure: Procedure, end: date) -> int:
    """Dossiers received in the 12 months (365 days) up to `end`: the yearly volume from real counts."""
    start, stop = evidence.bounds(end - timedelta(days=evidence.VOLUME_DAYS - 1), end)
    return procedure.dossiers.filter(received_at__gte=start, received_at__lt=stop).count()


# ---------------------------------------------------------------- costs


@dataclass(frozen=True)
class ReviewFigures:
    review: ProcedureReview
    before: costs.CaseCost
    after: costs.CaseCost
    volume: int

    @property
    def saving(self) -> int:
        return self.before.total - self.after.total

    @property
    def saving_percent(self) -> Decimal | None:
        return costs.saving_percent(self.before.total, self.after.total)

    @property
    def annual_before(self) -> int:
        return costs.annual_cost(self.before.total, self.volume)

    @property
    def annual_after(self) -> int:
        return costs.annual_cost(self.after.total, self.volume)

    @property
    def annual_saving(self) -> int:
        return self.annual_before - self.annual_after


def review_figures(review: ProcedureReview) -> ReviewFigures:
    income = review.round.monthly_income
    return ReviewFigures(
        review=review,
        before=costs.case_cost(review.inputs("before"), monthly_income=income),
        after=costs.case_cost(review.inputs("after"), monthly_income=income),
        volume=review.volume,
    )


@dataclass(frozen=True)
class RoundTotals:
    procedures: int
    annual_before: int
    annual_after: int

    @property
    def annual_saving(self) -> int:
        return self.annual_before - self.annual_after

    @property
    def saving_percent(self) -> Decimal | None:
        return costs.saving_percent(self.annual_before, self.annual_after)


def round_figures(*, user, round: ReviewRound) -> tuple[list[ReviewFigures], RoundTotals]:
    rows = [review_figures(r) for r in reviews_for(user=user, round=round)]
    totals = RoundTotals(
        procedures=len(rows),
        annual_before=sum(r.annual_before for r in rows),
        annual_after=sum(r.annual_after for r in rows),
    )
    return rows, totals


# ---------------------------------------------------------------- evidence


def _versions(version_ids) -> dict[int, ProcedureVersion]:
    rows = (
        ProcedureVersion.objects.filter(pk__in=list(version_ids))
        .select_related("procedure")
        .prefetch_related("components", Prefetch("steps", queryset=ProcessStep.objects.select_related("unit")))
    )
    return {v.procedure_id: v for v in rows}


def review_evidence(review: ProcedureReview) -> evidence.ProcedureEvidence:
    round = review.round
    found = evidence.gather(
        agency=round.agency,
        versions=_versions([review.version_id]),
        date_from=round.period_start,
        date_to=round.period_end,
    )
    return found[review.procedure_id]


def round_evidence(*, user, round: ReviewRound) -> list[evidence.ProcedureEvidence]:
    reviews = list(reviews_for(user=user, round=round))
    found = evidence.gather(
        agency=round.agency,
        versions=_versions(r.version_id for r in reviews),
        date_from=round.period_start,
        date_to=round.period_end,
    )
    return [found[r.procedure_id] for r in reviews]


CANDIDATES_DAYS = 90


def default_period(today: date | None = None, *, days: int = evidence.VOLUME_DAYS) -> tuple[date, date]:
    """The `days` (default 12 months) up to yesterday: today's figures are not complete yet."""
    today = today or clock.localdate()
    end = today - timedelta(days=1)
    return end - timedelta(days=days - 1), end


def agency_candidates(
    *, agency, date_from: date, date_to: date, refresh: bool = False
) -> list[evidence.ProcedureEvidence]:
    """The agency's published procedures ranked by the evidence for simplifying them: most
    candidates flagged first, then the busiest. Timing every step of a quarter takes seconds at a
    million dossiers, so the result is kept in the shared cache: the default quarter is computed
    by the periodic task (`tasks.refresh_candidates`) for a day, another period for some minutes."""
    key = f"simplification:candidates:{agency.pk}:{date_from}:{date_to}"
    if not refresh:
        rows = shared_cache.get(key)
        if rows is not None:
            return rows
    procedures = Procedure.objects.filter(agency_id=agency.pk, current_version__isnull=False)
    found = evidence.gather(
        agency=agency,
        versions=_versions(procedures.values_list("current_version_id", flat=True)),
        date_from=date_from,
        date_to=date_to,
    )
    rows = sorted(found.values(), key=lambda e: (-len(e.flags), -e.volume, e.procedure.code))
    default = (date_from, date_to) == default_period(days=CANDIDATES_DAYS)
    shared_cache.set(key, rows, CANDIDATES_DEFAULT_SECONDS if default else CANDIDATES_CACHE_SECONDS)
    return rows


def simplification_candidates(*, user, date_from: date, date_to: date) -> list[evidence.ProcedureEvidence]:
    """The candidates `user` may see: the whole agency's, or a unit head's unit's."""
    if not may_view(user):
        return []
    rows = agency_candidates(agency=user.agency, date_from=date_from, date_to=date_to)
    if sees_whole_agency(user):
        return rows
    return [row for row in rows if row.version.unit_id == user.unit_id]
