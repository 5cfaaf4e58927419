"""Reads of the DVCQG synchronisation: a dossier's messages, the operator's overview, the 766 figure."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from cchc.accounts.models import User
from cchc.accounts.policies import administers_system
from cchc.accounts.roles import INTEGRATION_OPERATORS

from .models import NationalDossier, OutboxMessage

State, Kind = OutboxMessage.State, OutboxMessage.Kind
DOSSIER_KINDS = (Kind.DOSSIER, Kind.PROGRESS)


def may_operate(user: User) -> bool:
    return user.is_authenticated and user.role in INTEGRATION_OPERATORS


def outbox_visible_to(user: User):
    """An operator sees their agency's messages (the administrator every agency's)."""
    if not may_operate(user):
        return OutboxMessage.objects.none()
    messages = OutboxMessage.objects.select_related("dossier", "procedure", "agency")
    return messages if administers_system(user) else messages.filter(agency_id=user.agency_id)


def outbox_of_dossier(*, dossier) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(dossier=dossier).order_by("id"))


@dataclass(frozen=True)
class DossierSync:
    """Where a dossier stands with the portal, for its page."""

    state: str  # "none", "sent", "pending", "failed"
    messages: int
    sent_at: datetime | None = None
    last_error: str = ""
    next_attempt_at: datetime | None = None


def dossier_sync(*, dossier) -> DossierSync:
    messages = outbox_of_dossier(dossier=dossier)
    if not messages:
        return DossierSync(state="none", messages=0)
    unsent = [m for m in messages if m.state != State.SENT]
    if not unsent:
        return DossierSync(state="sent", messages=len(messages), sent_at=messages[-1].sent_at)
    first = unsent[0]
    return DossierSync(
        state="failed" if first.state == State.FAILED else "pending",
        messages=len(messages),
        last_error=first.last_error,
        next_attempt_at=first.next_attempt_at,
    )


def outbox_summary(*, user: User) -> dict[str, int]:
    counts = dict(outbox_visible_to(user).values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in State.values}


def national_dossiers_for(*, user: User):
    dossiers = NationalDossier.objects.select_related("dossier")
    if not may_operate(user):
        return dossiers.none()
    return dossiers if administers_system(user) else dossiers.filter(dossier__agency_id=user.agency_id)


@dataclass(frozen=True)
class SyncFigure:
    in_time: int
    total: int


def sync_in_time(*, start: datetime, end: datetime, agency_ids: list[int] | None = None, dossiers=None) -> SyncFigure:
    """The 766 indicator 1.4 from the outbox: dossier changes made in [start, end) that reached the portal
    within CCHC_DVCQG_SYNC_HOURS ÷ every dossier change made then (unsent ones count as not in time)."""
    allowed = timedelta(hours=settings.CCHC_DVCQG_SYNC_HOURS)
    changes = OutboxMessage.objects.filter(kind__in=DOSSIER_KINDS, changed_at__gte=start, changed_at__lt=end)
    if agency_ids is not None:
        changes = changes.filter(agency_id__in=agency_ids)
    if dossiers is not None:
        changes = changes.filter(dossier__in=dossiers)
    lag = ExpressionWrapper(F("sent_at") - F("changed_at"), output_field=DurationField())
    figures = changes.annotate(lag=lag).aggregate(
        total=Count("id"), in_time=Count("id", filter=Q(state=State.SENT, lag__lte=allowed))
    )
    return SyncFigure(in_time=figures["in_time"], total=figures["total"])
