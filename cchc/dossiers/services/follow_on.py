"""One decision, one click: the steps a process takes by itself after an officer's action.

- "Tiếp nhận" at the counter also hands the dossier to the next step when the process's first step
  is the counter's reception and the decision lies further on (the counter has nothing more to do).
- "Phê duyệt" by a leader, on a procedure whose result is electronic, also signs it.
- A signed electronic result to be returned online goes back to the applicant at once: nobody has
  to carry it to the counter ("Chuyển kết quả về Một cửa") and hand it over ("Trả kết quả").

Each follow-on goes through `dossier_act` (its own history row, audit event and notification) in a
transaction of its own, after the officer's action committed: the lock of one step is never held
while the next renders or signs (the result is signed before its transaction opens). One the rules
refuse (a guard: the fee not paid yet…) stops the chain and is reported, and what was done stays
done, each step a consistent state on its own.
"""

from dataclasses import dataclass, field

from cchc.accounts.models import User
from cchc.accounts.roles import RECEIVES_AT_COUNTER, SIGNS_DECISIONS
from cchc.core.errors import ApplicationError

from ..models import Dossier, ReturnMethod
from ..workflow import Action, Status, decision_step
from .actions import dossier_act
from .common import ActionInput, position_of

A = Action

# The follow-ons the system takes in the applicant's interest, with no officer's hand needed.
AUTOMATIC = frozenset({A.RESULT_READY, A.RETURN_RESULT})


@dataclass
class ActOutcome:
    dossier: Dossier
    done: list[str] = field(default_factory=list)  # every action taken, the officer's first
    stopped: str = ""  # why the chain stopped early (a refusal's message), if it did


def next_follow_on(dossier: Dossier, *, after: str, actor: User) -> str | None:
    """The action the process takes by itself after `after`, or None."""
    dossier = Dossier.objects.select_related("procedure_version").get(pk=dossier.pk)  # no stale relations
    position = position_of(dossier)
    if after == A.RECEIVE and dossier.status == Status.RECEIVED and position.step == 1:
        first = dossier.procedure_version.steps.filter(order=1).values_list("role", flat=True).first()
        if first in RECEIVES_AT_COUNTER and decision_step(position.step_count) > 1:
            return A.FORWARD
    if (
        after == A.APPROVE
        and position.electronic_result
        and not position.result_signed
        and actor.role in SIGNS_DECISIONS
    ):
        return A.SIGN_RESULT
    online = dossier.return_method == ReturnMethod.ONLINE
    if after in (A.APPROVE, A.SIGN_RESULT) and online and position.electronic_result and position.result_signed:
        return A.RESULT_READY
    if after == A.RESULT_READY and online and position.electronic_result and dossier.status == Status.RESULT_READY:
        return A.RETURN_RESULT
    return None


def dossier_act_with_follow_ons(
    *,
    dossier: Dossier,
    actor: User,
    action: str,
    data: ActionInput | None = None,
    ip: str | None = None,
    expected_status: str | None = None,
) -> ActOutcome:
    """`action` as `dossier_act` takes it, then the follow-ons of the process (module docstring)."""
    dossier = dossier_act(
        dossier=dossier, actor=actor, action=action, data=data, ip=ip, expected_status=expected_status
    )
    return dossier_follow_ons(dossier=dossier, actor=actor, after=action, ip=ip)


def dossier_follow_ons(*, dossier: Dossier, actor: User, after: str, ip: str | None = None) -> ActOutcome:
    """The follow-ons of the process after `actor` took `after` (e.g. a reception at the counter),
    each in its own durable transaction."""
    outcome = ActOutcome(dossier=dossier, done=[after])
    step = next_follow_on(dossier, after=after, actor=actor)
    while step is not None and len(outcome.done) < 5:
        try:
            dossier = dossier_act(
                dossier=dossier,
                actor=actor,
                action=step,
                data=ActionInput(return_method=ReturnMethod.ONLINE) if step == A.RETURN_RESULT else None,
                ip=ip,
                automatic=step in AUTOMATIC,
            )
        except ApplicationError as exc:
            outcome.stopped = exc.message
            break
        outcome.dossier = dossier
        outcome.done.append(step)
        step = next_follow_on(dossier, after=step, actor=actor)
    return outcome
