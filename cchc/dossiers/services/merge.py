"""Mergers: an agency ends and its successor takes over its procedures, units, staff and open
dossiers, in one transaction."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Agency, Unit, User
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict
from cchc.procedures.models import Offering, Procedure, ProcessStep

from ..models import Dossier, DossierEvent, DossierSegment, DossierStep
from ..workflow import FINAL, Action


@dataclass
class MergeReport:
    procedures: int = 0
    units_moved: int = 0
    units_closed: int = 0
    staff: int = 0
    dossiers: list[str] = field(default_factory=list)
    steps: int = 0  # process steps run in OLD for another agency's procedure (liên thông)
    passages: list[str] = field(default_factory=list)  # other agencies' dossiers whose open passage moved


def _check(old: Agency, new: Agency, on: date) -> None:
    if old.pk == new.pk:
        raise ApplicationError(_("Không thể sáp nhập một cơ quan vào chính nó."), code="merge_same_agency")
    ends = on - timedelta(days=1)
    if old.valid_to is not None and old.valid_to != ends:
        raise Conflict(
            _("%(old)s đã hết hoạt động từ %(day)s, khác ngày sáp nhập.")
            % {"old": old.name, "day": f"{old.valid_to:%d/%m/%Y}"},
            code="merge_other_date",
        )
    if old.successor_id is not None and old.successor_id != new.pk:
        raise Conflict(_("%(old)s đã có cơ quan kế thừa khác.") % {"old": old.name}, code="merge_other_successor")
    if new.valid_to is not None and new.valid_to < on:
        raise ApplicationError(
            _("%(new)s không còn hoạt động vào ngày sáp nhập.") % {"new": new.name}, code="merge_successor_ended"
        )


def _move_units(old: Agency, new: Agency, on: date) -> tuple[dict[int, Unit], int, int]:
    """Units of OLD that still exist move to NEW; one whose code NEW already has ends the day before
    and names NEW's unit its successor (two leaderships, two offices become one). Returns where
    each old unit's work goes now."""
    existing = {u.code: u for u in Unit.objects.filter(agency=new, valid_to__isnull=True)}
    target: dict[int, Unit] = {}
    moved = closed = 0
    ends = on - timedelta(days=1)
    for unit in Unit.objects.select_for_update().filter(agency=old, valid_to__isnull=True).order_by("pk"):
        twin = existing.get(unit.code)
        if twin is not None:
            unit.valid_to, unit.successor = max(ends, unit.valid_from), twin
            unit.save(update_fields=["valid_to", "successor"])
            target[unit.pk] = twin
            closed += 1
        else:
            target[unit.pk] = unit
            moved += 1
    movers = [u for pk, u in target.items() if u.pk == pk]
    for unit in movers:
        unit.agency = new
        # A parent that merged away hands over to its successor in NEW.
        if unit.parent_id is not None:
            unit.parent = target.get(unit.parent_id, unit.parent)
        unit.save(update_fields=["agency", "parent"])
    return target, moved, closed


def _move_open_work(dossier: Dossier, old: Agency, new: Agency, target: dict[int, Unit]) -> None:
    """The dossier's open step runs in OLD's units go to the units that continue them, a run recorded
    in OLD (inter-agency) to NEW, and its open passage through OLD to NEW."""
    for run in DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True):
        fields = []
        if run.unit_id in target:
            run.unit = target[run.unit_id]
            fields.append("unit")
        if run.agency_id == old.pk:
            run.agency = new
            fields.append("agency")
        if fields:
            run.save(update_fields=fields)
    DossierSegment.objects.filter(dossier=dossier, agency=old, left_at__isnull=True).update(agency=new)


@transaction.atomic(durable=True)
def agency_merge(*, old: Agency, new: Agency, on: date, actor: User | None = None) -> MergeReport:
    """OLD merges into NEW on `on`: OLD ends the day before with NEW as its successor; its
    procedures (and offerings NEW does not have yet), its units that continue, its staff and every
    dossier it has not finished move to NEW. A moved dossier keeps its code and gets a history row
    and an audit event. Finished dossiers stay with OLD, so reports for periods before `on` still
    show it. Running it again moves whatever is left (nothing, the second time)."""
    # Locks in a fixed order (agencies by id, then units, staff, dossiers) so two merges queue.
    first, second = sorted([old.pk, new.pk])
    locked = {a.pk: a for a in Agency.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    old, new = locked[old.pk], locked[new.pk]
    _check(old, new, on)
    report = MergeReport()
    old.valid_to, old.successor = on - timedelta(days=1), new
    old.save(update_fields=["valid_to", "successor"])

    report.procedures = Procedure.objects.filter(agency=old).update(agency=new)
    offered = Offering.objects.filter(agency=new).values("procedure_id")
    Offering.objects.filter(agency=old).exclude(procedure_id__in=offered).update(agency=new)

    target, report.units_moved, report.units_closed = _move_units(old, new, on)
    for person in User.objects.select_for_update().filter(agency=old).order_by("pk"):
        person.agency = new
        person.unit = target.get(person.unit_id, person.unit) if person.unit_id else None
        person.save(update_fields=["agency", "unit"])
        report.staff += 1

    # Inter-agency processes: the steps other agencies' procedures run in OLD now run in NEW, in the
    # unit that continues OLD's.
    report.steps = ProcessStep.objects.filter(agency=old).update(agency=new)
    for unit_pk, unit in target.items():
        if unit.pk != unit_pk:
            ProcessStep.objects.filter(unit_id=unit_pk).update(unit=unit)

    now = clock.now()
    reason = _("Sáp nhập %(old)s vào %(new)s từ ngày %(day)s.") % {
        "old": old.name,
        "new": new.name,
        "day": f"{on:%d/%m/%Y}",
    }
    dossiers = Dossier.objects.select_for_update(of=("self",)).filter(agency=old).exclude(status__in=FINAL)
    for dossier in dossiers.order_by("pk"):
        dossier.agency = new
        dossier.save(update_fields=["agency", "updated_at"])
        _move_open_work(dossier, old, new, target)
        _record_transfer(
            dossier, actor=actor, reason=reason, at=now, data={"from_agency": old.code, "to_agency": new.code}
        )
        report.dossiers.append(dossier.code or f"#{dossier.pk}")
    # Other agencies' inter-agency dossiers in OLD's hands now: the passage (its due moment and budget
    # unchanged) and the open step move to NEW, with a history row and an audit event each.
    passing = (
        Dossier.objects.select_for_update(of=("self",))
        .exclude(agency=old)
        .exclude(status__in=FINAL)
        .filter(segments__agency=old, segments__left_at__isnull=True)
    )
    for dossier in passing.order_by("pk"):
        _move_open_work(dossier, old, new, target)
        _record_transfer(
            dossier,
            actor=actor,
            reason=reason,
            at=now,
            data={"from_agency": old.code, "to_agency": new.code, "passage": True},
        )
        report.passages.append(dossier.code or f"#{dossier.pk}")
    audit_record(
        action="agency.merge",
        actor=actor,
        object_type="agency",
        object_id=old.pk,
        reason=f"{old.code} → {new.code} ({on.isoformat()})",
        data={
            "procedures": report.procedures,
            "staff": report.staff,
            "dossiers": len(report.dossiers),
            "steps": report.steps,
            "passages": len(report.passages),
        },
    )
    return report


def _record_transfer(dossier: Dossier, *, actor: User | None, reason: str, at, data: dict) -> None:
    """The moved dossier's history row and audit event (its status unchanged)."""
    DossierEvent.objects.create(
        dossier=dossier,
        action=Action.TRANSFER,
        from_status=dossier.status,
        to_status=dossier.status,
        step_order=dossier.current_step,
        actor=actor,
        actor_role=actor.role if actor else "",
        reason=reason,
        at=at,
    )
    audit_record(
        action=f"dossier.{Action.TRANSFER}",
        actor=actor,
        object_type="dossier",
        object_id=dossier.pk,
        dossier_code=dossier.code or "",
        from_status=dossier.status,
        to_status=dossier.status,
        reason=reason,
        data=data,
    )
