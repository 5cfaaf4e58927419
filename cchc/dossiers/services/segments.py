"""Inter-agency (liên thông) dossiers: the passage from one agency's steps to another's.

A process whose steps name more than one agency (`ProcessStep.agency`; empty is the resolving
agency) gives its dossiers a `DossierSegment` per passage through an agency. These helpers run
inside `dossier_act`'s transaction, under the dossier's lock (the lock order's "rows that belong
to it"); they never open a transaction of their own.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, User
from cchc.audit.services import audit_record, chain_of
from cchc.procedures.selectors import agency_calendar, process_steps

from ..models import Dossier, DossierEvent, DossierSegment
from ..rules import judge
from ..workflow import Action


def step_agency_ids(dossier: Dossier) -> dict[int, int]:
    """{step order: id of the agency the step runs in} for the dossier's process."""
    rows = process_steps(dossier.procedure_version, dossier.agency_id).values_list("order", "agency_id")
    return {order: agency_id or dossier.agency_id for order, agency_id in rows}


def is_inter_agency(agencies: dict[int, int]) -> bool:
    return len(set(agencies.values())) > 1


def block_budget(dossier: Dossier, *, order: int) -> int:
    """The working hours of the agency's consecutive steps from `order` on: its time for this passage."""
    steps = list(process_steps(dossier.procedure_version, dossier.agency_id).values_list("order", "agency_id", "hours"))
    here = next(agency_id or dossier.agency_id for o, agency_id, _h in steps if o == order)
    total = 0
    for step_order, agency_id, hours in steps:
        if step_order < order:
            continue
        if (agency_id or dossier.agency_id) != here:
            break
        total += hours
    return total


def open_segment(dossier: Dossier) -> DossierSegment | None:
    return dossier.segments.filter(left_at__isnull=True).select_related("agency").first()


def segment_close(dossier: Dossier, *, at: datetime) -> DossierSegment | None:
    """The dossier leaves the agency holding it (hand-over, return, withdrawal, stop): judged then."""
    segment = open_segment(dossier)
    if segment is None:
        return None
    segment.left_at = at
    segment.outcome = judge(at, segment.due_at)
    segment.save(update_fields=["left_at", "outcome"])
    return segment


def segment_enter(dossier: Dossier, *, agency_id: int, order: int, at: datetime) -> Agency | None:
    """The dossier's step `order`, run in `agency_id`, opens: a new segment when another agency
    held it. Returns the agency it came from when it changed hands (None otherwise, and at the
    first segment)."""
    current = open_segment(dossier)
    if current is not None and current.agency_id == agency_id:
        return None
    previous = current.agency if current is not None else None
    if current is not None:
        segment_close(dossier, at=at)
    agency = Agency.objects.get(pk=agency_id)
    calendar = agency_calendar(agency)
    budget = block_budget(dossier, order=order)
    DossierSegment.objects.create(
        dossier=dossier,
        agency=agency,
        sequence=dossier.segments.count() + 1,
        first_step=order,
        entered_at=at,
        budget_hours=budget,
        due_at=calendar.add_working_hours(calendar.counting_start(at), budget),
    )
    return previous


def segment_resume(dossier: Dossier, *, calendar, waited_minutes: int) -> None:
    """Supplementation answered: the open segment's due moment moves by the time spent waiting."""
    segment = open_segment(dossier)
    if segment is not None and waited_minutes:
        segment.due_at = calendar.add_working_minutes(segment.due_at, waited_minutes)
        segment.save(update_fields=["due_at"])


def record_hand_over(dossier: Dossier, *, source: Agency, target_id: int, at: datetime, actor: User | None) -> None:
    """The history row and audit event of a hand-over between agencies (after the action's own)."""
    target = Agency.objects.get(pk=target_id)
    reason = _("Chuyển liên thông từ %(source)s sang %(target)s.") % {"source": source.name, "target": target.name}
    step = process_steps(dossier.procedure_version, dossier.agency_id).filter(order=dossier.current_step).first()
    DossierEvent.objects.create(
        dossier=dossier,
        action=Action.HAND_OVER,
        from_status=dossier.status,
        to_status=dossier.status,
        step_order=dossier.current_step,
        step_name=step.name if step else "",
        actor=actor,
        actor_role=actor.role if actor else "",
        reason=reason,
        at=at,
    )
    audit_record(
        action=f"dossier.{Action.HAND_OVER}",
        chain=chain_of(dossier.code) if dossier.code else dossier.agency.code,
        actor=actor,
        object_type="dossier",
        object_id=dossier.pk,
        dossier_code=dossier.code or "",
        reason=reason,
        data={"from_agency": source.code, "to_agency": target.code},
    )
