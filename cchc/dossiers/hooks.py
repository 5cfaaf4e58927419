"""Extension points for the apps above dossiers (payments, results, surveys…).

Dossiers never import those apps. Instead they register here, from their AppConfig.ready():
- a guard says why an action must wait (e.g. "the fee is not paid yet"), or None;
- an action handler performs an action the workflow declares but another app owns
  (signing the result), and its preparer does the slow part before any lock is taken;
- `dossier_changed` is sent inside the transaction of every change, so a receiver can
  enqueue its own task atomically with it (refund on refusal, survey invitation on return);
- a payment-state reader tells the API where a dossier's fee stands (an attempt pending, a refund)
  beyond what the dossier itself records (amount, paid at, paid online).
"""

from collections.abc import Callable

from django.dispatch import Signal

Guard = Callable[..., str | None]

_guards: list[Guard] = []
_action_handlers: dict[str, Callable] = {}
_action_preparers: dict[str, Callable] = {}
_payment_state: list[Callable] = []
_counter_fee: list[Callable] = []
# Pages an applicant passes through before submitting online (e.g. accepting the privacy notice):
# each callable(user, next_url) answers the page's URL, or None when nothing is needed.
_submission_prerequisites: list[Callable[..., str | None]] = []
# The channels a person has chosen to be told on: callable(user, channels) → the channels kept.
_channel_choices: list[Callable] = []

# Sent with `dossier` and `event` (the DossierEvent just written).
dossier_changed = Signal()


def register_guard(guard: Guard) -> None:
    if guard not in _guards:
        _guards.append(guard)


def guard_refusal(dossier, action: str) -> str | None:
    """The first guard's reason why `action` cannot be taken now, or None."""
    for guard in _guards:
        reason = guard(dossier, action)
        if reason:
            return str(reason)
    return None


def register_action_handler(action: str, handler: Callable) -> None:
    _action_handlers[action] = handler


def action_handler(action: str) -> Callable | None:
    return _action_handlers.get(action)


def register_action_preparer(action: str, preparer: Callable) -> None:
    """`preparer(dossier, *, actor, data)` does the slow work of an action (rendering and signing a
    PDF, storing it) before `dossier_act` takes its locks; what it returns reaches the handler as
    `data.prepared_action`. The handler re-checks it under the lock (the dossier may have changed)."""
    _action_preparers[action] = preparer


def action_preparer(action: str) -> Callable | None:
    return _action_preparers.get(action)


def register_payment_state(reader: Callable) -> None:
    """`reader(dossier) -> {"amount", "status", "paid_at", "method"}` replaces `payment_state`'s own
    answer (the payments app knows pending attempts and refunds)."""
    _payment_state[:] = [reader]


def payment_state(dossier) -> dict:
    """Where the dossier's fee stands: `{"amount": VND, "status", "paid_at": datetime | None,
    "method": "online" | "counter" | None}`; status "not_required" (no fee), "unpaid" or "paid" from
    the dossier alone, more from the registered reader ("pending", "refund_pending", "refunded")."""
    if _payment_state:
        return _payment_state[0](dossier)
    return dossier_payment_state(dossier)


def dossier_payment_state(dossier) -> dict:
    """What the dossier row itself says about its fee."""
    if dossier.paid_at is not None:
        status = "paid"
    elif dossier.fee_amount > 0:
        status = "unpaid"
    else:
        status = "not_required"
    return {
        "amount": dossier.fee_amount,
        "status": status,
        "paid_at": dossier.paid_at,
        "method": ("online" if dossier.paid_online else "counter") if dossier.paid_at else None,
    }


def register_counter_fee(taker: Callable) -> None:
    """`taker(*, dossier, officer, ip)` records the fee the counter officer took in cash (payments)."""
    _counter_fee[:] = [taker]


def take_counter_fee(*, dossier, officer, ip: str | None = None) -> None:
    """The officer took the dossier's fee at the counter, in the intake's own transaction."""
    if not _counter_fee:
        from django.utils.translation import gettext as _

        from cchc.core.errors import ApplicationError

        raise ApplicationError(_("Chưa thu được phí tại quầy trên hệ thống này."), code="counter_fee_unavailable")
    _counter_fee[0](dossier=dossier, officer=officer, ip=ip)


def register_submission_prerequisite(step: Callable[..., str | None]) -> None:
    if step not in _submission_prerequisites:
        _submission_prerequisites.append(step)


def submission_prerequisite_url(user, next_url: str) -> str | None:
    """The first page `user` must pass through before submitting online, or None."""
    for step in _submission_prerequisites:
        url = step(user, next_url)
        if url:
            return url
    return None


def register_channel_choice(choose: Callable) -> None:
    """`choose(user, channels)` keeps the channels `user` chose (messaging: per-user choice and opt-out)."""
    if choose not in _channel_choices:
        _channel_choices.append(choose)


def chosen_channels(user, channels: list[str]) -> list[str]:
    """The channels of `channels` that `user` (None: an applicant without an account) still wants."""
    for choose in _channel_choices:
        channels = [channel for channel in channels if channel in set(choose(user, channels))]
    return channels
