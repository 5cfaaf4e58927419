"""Who may take which action on which dossier. Reads only; no changes."""

from cchc.accounts.policies import is_centre_officer, is_counter_officer, is_staff
from cchc.accounts.roles import (
    ASSIGNABLE_STEP_ROLES,
    DESK_READ_ONLY,
    HEADS_UNIT,
    KEEPS_TRACKING_BOOK,
    LEADS_AGENCY,
    RECEIVES_AT_COUNTER,
    SIGNS_DECISIONS,
    UNIT_STEP_ROLES,
)

from . import workflow
from .models import Dossier, DossierStep

A = workflow.Action


def may_consult_applicant_store(user, agency_id: int | None) -> bool:
    """Whether `user` takes dossiers at the one-stop point of `agency_id` (its counter officers).

    The data store is opened only in that capacity; `selectors.store_lookup_scope` adds the
    dossier or counter intake it is for. A province's service centre extends this rule."""
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role in RECEIVES_AT_COUNTER
        and agency_id is not None
        and user.agency_id == agency_id
    )


def may_receive_for(user, agency) -> bool:
    """Whether `user` takes dossiers at a counter for `agency` to resolve: one-stop officers of
    that agency, and those of a centre or a commune for any agency of the province."""
    if user is None or not user.is_authenticated or not user.is_active or user.role not in RECEIVES_AT_COUNTER:
        return False
    return user.agency_id == agency.pk or is_centre_officer(user)


def may_serve_at_counter(user, dossier) -> bool:
    """A counter officer of the resolving agency, of the point that received the dossier or of the
    point where the result is collected: takes the fee in cash, hands papers over."""
    if user is None or not user.is_authenticated or not user.is_active or user.role not in RECEIVES_AT_COUNTER:
        return False
    points = {dossier.agency_id, dossier.reception_point_id, dossier.return_point_id} - {None}
    return user.agency_id is not None and user.agency_id in points


def open_step(dossier: Dossier) -> DossierStep | None:
    if "steps" in getattr(dossier, "_prefetched_objects_cache", {}):
        # Read already (the detail selectors prefetch the runs with their people and units).
        return next((run for run in dossier.steps.all() if run.finished_at is None), None)
    return dossier.steps.select_related("assignee", "unit").filter(finished_at__isnull=True).first()


def _same_agency(user, dossier) -> bool:
    return user.agency_id is not None and user.agency_id == dossier.agency_id


def step_agency_id(dossier, run: DossierStep | None) -> int:
    """The agency the open step runs in: its own on an inter-agency dossier, else the resolving one."""
    return run.agency_id if run is not None and run.agency_id is not None else dossier.agency_id


def _in_step_agency(user, dossier, run: DossierStep | None) -> bool:
    return user.agency_id is not None and user.agency_id == step_agency_id(dossier, run)


def _at_return_point(user, dossier) -> bool:
    """A counter officer of the centre where the applicant asked to collect the result."""
    return (
        user.role in RECEIVES_AT_COUNTER
        and dossier.return_point_id is not None
        and user.agency_id == dossier.return_point_id
    )


def _holds_step(user, run: DossierStep | None) -> bool:
    """The person assigned to the step, or (while unassigned) anyone with its role in its
    unit; the head of the step's unit may always act for the unit."""
    if run is None:
        return False
    if run.assignee_id is not None and run.assignee_id == user.pk:
        return True
    in_unit = run.unit_id is None or run.unit_id == user.unit_id
    if user.role in HEADS_UNIT and in_unit and run.role in UNIT_STEP_ROLES:
        return True
    if run.assignee_id is None and user.role == run.role and in_unit:
        return True
    # A step owned by the leadership may be taken by any leader of the agency.
    return run.role in LEADS_AGENCY and user.role in LEADS_AGENCY


def may_act(user, dossier: Dossier, action: str, run: DossierStep | None = None) -> bool:
    """Whether `user` may take `action` on `dossier` (the workflow decides *when*)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    actor = workflow.TRANSITIONS[action].actor
    if actor == workflow.APPLICANT:
        if dossier.applicant_user_id is not None and dossier.applicant_user_id == user.pk:
            return True
        # At the counter the officer hands in the supplement for a walk-in applicant (at the
        # resolving agency's counter or the one-stop point that received the dossier).
        at_counter = _same_agency(user, dossier) or (
            dossier.reception_point_id is not None and user.agency_id == dossier.reception_point_id
        )
        return action == A.SUPPLEMENT and user.role in RECEIVES_AT_COUNTER and at_counter
    if action == A.RETURN_RESULT and _at_return_point(user, dossier):
        return True
    run = run if run is not None else open_step(dossier)
    if actor in (workflow.COUNTER, workflow.SIGNER) or dossier.received_at is None:
        # Reception, return and signing belong to the resolving agency.
        if not _same_agency(user, dossier):
            return False
    elif not _in_step_agency(user, dossier, run):
        # An inter-agency dossier is handled by the people of the agency whose step is open.
        return False
    if actor == workflow.COUNTER:
        return user.role in RECEIVES_AT_COUNTER
    if actor == workflow.STEP_HOLDER:
        if dossier.received_at is None:  # before reception the counter holds the dossier
            return user.role in RECEIVES_AT_COUNTER
        return _holds_step(user, run)
    if actor == workflow.UNIT_HEAD:
        # Assigning makes sense where a head hands work to a person: specialist and counter steps.
        if run is None or run.role not in ASSIGNABLE_STEP_ROLES:
            return False
        if user.role in LEADS_AGENCY:
            return True
        if user.role in HEADS_UNIT and run.unit_id == user.unit_id:
            return True
        # The one-stop counter has no head in small agencies: its officers share the work.
        return user.role in RECEIVES_AT_COUNTER and run.role in RECEIVES_AT_COUNTER
    if actor == workflow.SIGNER:
        return user.role in SIGNS_DECISIONS
    if actor == workflow.MANAGER:
        if user.role in LEADS_AGENCY:
            return True
        return user.role in HEADS_UNIT and run is not None and run.unit_id == user.unit_id
    return False


def available_actions(user, dossier: Dossier, position: workflow.Position) -> list[str]:
    """The actions `user` may take now, in workflow order."""
    from .hooks import guard_refusal

    run = open_step(dossier)
    return [
        action
        for action in workflow.TRANSITIONS
        if workflow.can(action, position)[0]
        and may_act(user, dossier, action, run)
        and guard_refusal(dossier, action) is None
    ]


def may_use_desk(user) -> bool:
    """Staff of an agency (or the administrator) open the officers' desk."""
    return is_staff(user)


def desk_is_read_only(user) -> bool:
    """Those who see the desk without acting on dossiers (the reform office, the administrator)."""
    return user.role in DESK_READ_ONLY


def works_at_counter(user) -> bool:
    """A counter officer: takes dossiers in, opens the applicant's data store, serves the queue."""
    return is_counter_officer(user)


def may_keep_tracking_book(user) -> bool:
    return user.is_authenticated and user.role in KEEPS_TRACKING_BOOK and user.agency_id is not None


def may_receive_at(user, dossier: Dossier) -> bool:
    """The counter of the resolving agency takes in a dossier lodged online (the receive panel)."""
    return is_counter_officer(user) and user.agency_id == dossier.agency_id


def may_digitise(user, dossier: Dossier) -> bool:
    """A counter officer of the resolving agency turns a scanned paper into data."""
    return is_counter_officer(user) and user.agency_id == dossier.agency_id


def assignable_roles(run: DossierStep) -> set[str]:
    """The roles of the people a step may be handed to: its own, and a unit's specialists and head."""
    return {run.role, *UNIT_STEP_ROLES}
