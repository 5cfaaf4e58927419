"""Reads for satisfaction surveys, each with its access rule, and the figures for the reports."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet

from cchc.accounts.roles import HEADS_UNIT, LEADS_AGENCY
from cchc.core.calendar import VN_TZ
from cchc.dossiers.models import Dossier
from cchc.dossiers.workflow import Status

from .models import FollowUp, Rating, SurveyInvitation, score_field
from .scores import FACTORS, SATISFIED_FROM, index_from_counts, overall_index

KIOSK_DIGITS = 4


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _digits(value: str) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


def applicant_digits_match(dossier: Dossier, last_digits: str) -> bool:
    """The kiosk's light check: the last four digits of the applicant's phone, ID number or tax code."""
    last_digits = (last_digits or "").strip()
    if len(last_digits) != KIOSK_DIGITS or not last_digits.isdigit():
        return False
    candidates = [
        _digits(value)
        for value in (dossier.applicant_phone, dossier.applicant_id_number, dossier.applicant_tax_code)
        if len(_digits(value)) >= KIOSK_DIGITS
    ]
    # Compare every candidate (no early exit) in constant time.
    matches = [hmac.compare_digest(candidate[-KIOSK_DIGITS:], last_digits) for candidate in candidates]
    return any(matches)


def _with_rating(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.exclude(status=Status.DRAFT).select_related("procedure_version", "agency", "satisfaction_rating")


def applicant_dossier(*, user, code: str) -> Dossier | None:
    """The dossier with this code if `user` is its applicant (staff never rate on someone's behalf)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return _with_rating(Dossier.objects.filter(code=code, applicant_user=user)).first()


def dossier_by_invitation(*, code: str, token: str) -> Dossier | None:
    """The dossier the emailed link was made for, when the token matches it."""
    if not token:
        return None
    invitation = SurveyInvitation.objects.filter(token_hash=token_hash(token), dossier__code=code).first()
    if invitation is None:
        return None
    return _with_rating(Dossier.objects.filter(pk=invitation.dossier_id)).first()


def dossier_for_kiosk(*, code: str, last_digits: str) -> Dossier | None:
    """The dossier with this code when the digits match its applicant; None otherwise (no hint which)."""
    dossier = _with_rating(Dossier.objects.filter(code=(code or "").strip())).first()
    if dossier is None or not applicant_digits_match(dossier, last_digits):
        return None
    return dossier


def rating_of(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()


# ---------------------------------------------------------------- follow-ups


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    """A unit head sees their unit's follow-ups; a leader the agency's; nobody else any."""
    qs = FollowUp.objects.all()
    if user is None or not user.is_authenticated or not user.is_active or user.agency_id is None:
        return qs.none()
    if user.role in HEADS_UNIT and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    if user.role in LEADS_AGENCY:
        return qs.filter(unit__agency_id=user.agency_id)
    return qs.none()


def follow_ups_open(*, user) -> QuerySet[FollowUp]:
    return (
        follow_ups_visible_to(user)
        .filter(status=FollowUp.Status.OPEN)
        .select_related("unit", "rating__dossier__procedure_version", "rating__dossier__received_by")
        .order_by("opened_at", "id")
    )


def follow_ups_closed(*, user, limit: int = 20) -> QuerySet[FollowUp]:
    return (
        follow_ups_visible_to(user)
        .filter(status=FollowUp.Status.CLOSED)
        .select_related("unit", "closed_by", "rating__dossier__procedure_version")
        .order_by("-closed_at", "-id")[:limit]
    )


def follow_up_get(*, user, pk: int) -> FollowUp | None:
    return follow_ups_visible_to(user).filter(pk=pk).select_related("rating__dossier").first()


# ---------------------------------------------------------------- figures for the reports


GROUPS = {
    # group: (key, code, name) as lookups from a Rating
    "unit": (
        "dossier__procedure_version__unit_id",
        "dossier__procedure_version__unit__code",
        "dossier__procedure_version__unit__name",
    ),
    "procedure": (
        "dossier__procedure_id",
        "dossier__procedure__code",
        "dossier__procedure__current_version__name",
    ),
    # The officer who received the dossier at the counter.
    "officer": (
        "dossier__received_by_id",
        "dossier__received_by__username",
        "dossier__received_by__full_name",
    ),
}


@dataclass(frozen=True)
class SatisfactionRow:
    key: int | None
    code: str
    name: str
    count: int
    satisfied: dict[str, int]  # per factor: answers of 4 or 5
    factors: dict[str, float | None]  # per factor: index in percent
    overall: float | None


def _period(date_from: date | None, date_to: date | None) -> Q:
    """Ratings given from the start of `date_from` to the end of `date_to` (Vietnam time), inclusive."""
    q = Q()
    if date_from is not None:
        q &= Q(rated_at__gte=datetime.combine(date_from, time.min, tzinfo=VN_TZ))
    if date_to is not None:
        q &= Q(rated_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN_TZ))
    return q


def _ratings(*, date_from, date_to, agency) -> QuerySet[Rating]:
    qs = Rating.objects.filter(_period(date_from, date_to))
    if agency is not None:
        qs = qs.filter(dossier__agency=agency)
    return qs


def _counts() -> dict:
    counts = {"n": Count("pk")}
    for factor in FACTORS:
        counts[f"ok_{factor}"] = Count("pk", filter=Q(**{f"{score_field(factor)}__gte": SATISFIED_FROM}))
        counts[f"n_{factor}"] = Count(score_field(factor))  # answers given ("không áp dụng" is none)
    return counts


def _row(values: dict, *, key=None, code: str = "", name: str = "") -> SatisfactionRow:
    total = values["n"]
    satisfied = {factor: values[f"ok_{factor}"] for factor in FACTORS}
    factors = {factor: index_from_counts(satisfied[factor], values[f"n_{factor}"]) for factor in FACTORS}
    return SatisfactionRow(
        key=key,
        code=code or "",
        name=name or "",
        count=total,
        satisfied=satisfied,
        factors=factors,
        overall=overall_index(factors.values()),
    )


def satisfaction_by(
    *, group: str, date_from: date | None = None, date_to: date | None = None, agency=None
) -> list[SatisfactionRow]:
    """Satisfaction per unit, procedure or receiving officer over the ratings given in the period.

    One aggregate query (counts of 4–5 answers per factor, filtered in SQL), whatever the
    number of ratings. `agency=None` counts every agency.
    """
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    key, code, name = GROUPS[group]
    rows = (
        _ratings(date_from=date_from, date_to=date_to, agency=agency)
        .values(key, code, name)
        .annotate(**_counts())
        .order_by(code, key)
    )
    return [_row(values, key=values[key], code=values[code], name=values[name]) for values in rows]


def satisfaction_total(*, date_from: date | None = None, date_to: date | None = None, agency=None) -> SatisfactionRow:
    """The same figures for every rating of the period together."""
    values = _ratings(date_from=date_from, date_to=date_to, agency=agency).aggregate(**_counts())
    return _row(values)
