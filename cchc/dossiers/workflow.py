"""The dossier lifecycle as data. No database, no web: just statuses, actions and rules.

A dossier moves along the published internal process of its procedure version:

    draft → submitted (online, waiting for reception)
          → received (at step 1, the one-stop counter)
          → in progress (steps 2 … n-1, each with its own budget)
          ⇄ waiting for supplementation (clock paused)
          → approved | not approved (the decision at step n-1)
          → result ready (step n, the counter) → returned

and may end early: refused at reception, withdrawn by the applicant before a decision, or
stopped (the 2025 regime only). Every action names where it may start and where it leads;
`services.dossier_act` is the one path that applies them.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .regimes import regime_by_code


class Status(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã nộp trực tuyến, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Chờ bổ sung hồ sơ")
    APPROVED = "approved", _("Đã phê duyệt")
    NOT_APPROVED = "not_approved", _("Không phê duyệt")
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


S = Status

# Statuses in which the dossier is being handled and its clock runs (or is paused).
OPEN = frozenset({S.RECEIVED, S.IN_PROGRESS, S.WAITING_SUPPLEMENT, S.APPROVED, S.NOT_APPROVED, S.RESULT_READY})
FINAL = frozenset({S.RETURNED, S.REFUSED, S.WITHDRAWN, S.STOPPED})
# Before the decision the applicant may still withdraw.
BEFORE_DECISION = frozenset({S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.WAITING_SUPPLEMENT})


class Action(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE = "receive", _("Tiếp nhận hồ sơ")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    ASSIGN = "assign", _("Phân công xử lý")
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    APPROVE = "approve", _("Phê duyệt")
    NOT_APPROVE = "not_approve", _("Không phê duyệt")
    RESULT_READY = "result_ready", _("Chuyển kết quả về Một cửa")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    APOLOGIZE = "apologize", _("Xin lỗi, hẹn lại ngày trả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    STOP = "stop", _("Dừng xử lý hồ sơ")
    SIGN_RESULT = "sign_result", _("Ký số kết quả điện tử")
    # Not a transition anyone takes: the agency resolving the dossier changed (a merger).
    TRANSFER = "transfer", _("Chuyển cơ quan giải quyết")
    # Not a transition either: an inter-agency dossier passed from one agency's step to another's.
    HAND_OVER = "hand_over", _("Chuyển liên thông sang cơ quan khác")


A = Action

# Who acts: the applicant, the officer at the one-stop counter, or whoever holds the
# current process step (its role in its unit, or the person assigned to it).
APPLICANT = "applicant"
COUNTER = "counter"
STEP_HOLDER = "step_holder"
UNIT_HEAD = "unit_head"
MANAGER = "manager"  # unit head of the current step's unit, or a department leader
SIGNER = "signer"  # a department leader signs the electronic result


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None: the status does not change (assign, apologize)
    actor: str
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(A.SUBMIT, frozenset({S.DRAFT}), S.SUBMITTED, APPLICANT),
        Transition(A.RECEIVE, frozenset({S.SUBMITTED}), S.RECEIVED, COUNTER),
        Transition(
            A.REQUEST_SUPPLEMENT,
            frozenset({S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS}),
            S.WAITING_SUPPLEMENT,
            STEP_HOLDER,
            needs_reason=True,
        ),
        # The target depends on where the dossier was paused: see `supplement_target`.
        Transition(A.SUPPLEMENT, frozenset({S.WAITING_SUPPLEMENT}), None, APPLICANT),
        Transition(A.REFUSE, frozenset({S.SUBMITTED}), S.REFUSED, COUNTER, needs_reason=True),
        Transition(A.ASSIGN, frozenset({S.RECEIVED, S.IN_PROGRESS}), None, UNIT_HEAD),
        Transition(A.FORWARD, frozenset({S.RECEIVED, S.IN_PROGRESS}), S.IN_PROGRESS, STEP_HOLDER),
        Transition(A.SEND_BACK, frozenset({S.IN_PROGRESS}), None, STEP_HOLDER, needs_reason=True),
        Transition(A.APPROVE, frozenset({S.IN_PROGRESS}), S.APPROVED, STEP_HOLDER),
        Transition(A.NOT_APPROVE, frozenset({S.IN_PROGRESS}), S.NOT_APPROVED, STEP_HOLDER, needs_reason=True),
        Transition(A.RESULT_READY, frozenset({S.APPROVED, S.NOT_APPROVED}), S.RESULT_READY, STEP_HOLDER),
        Transition(A.RETURN_RESULT, frozenset({S.RESULT_READY}), S.RETURNED, COUNTER),
        Transition(
            A.APOLOGIZE,
            frozenset({S.RECEIVED, S.IN_PROGRESS, S.WAITING_SUPPLEMENT, S.APPROVED, S.NOT_APPROVED}),
            None,
            MANAGER,
            needs_reason=True,
        ),
        Transition(A.WITHDRAW, BEFORE_DECISION, S.WITHDRAWN, APPLICANT, needs_reason=False),
        Transition(
            A.STOP, frozenset({S.RECEIVED, S.IN_PROGRESS, S.WAITING_SUPPLEMENT}), S.STOPPED, MANAGER, needs_reason=True
        ),
        # Signing does not move the dossier: the signed file is the result the counter returns.
        Transition(A.SIGN_RESULT, frozenset({S.APPROVED}), None, SIGNER),
    )
}


class TransitionNotAllowed(Exception):
    """The action cannot be taken from the dossier's current status or position."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


@dataclass(frozen=True)
class Position:
    """Where a dossier stands, as far as the rules need to know."""

    status: str
    step: int  # 1-based order of the current process step; 0 before reception
    step_count: int  # the process's steps; 0 outside `STEPPING` (where no rule reads it)
    received: bool
    processing_supplements: int  # supplementation requests made after reception
    apologized: bool
    regime: str
    electronic_result: bool = False  # the procedure's result is an electronic document
    result_signed: bool = False


# The statuses whose actions depend on the number of steps (forward, send back, approve).
STEPPING = frozenset({Status.RECEIVED, Status.IN_PROGRESS})


def decision_step(step_count: int) -> int:
    """The step at which the decision is taken: the one before returning the result."""
    return max(1, step_count - 1)


def can(action: str, position: Position) -> tuple[bool, str]:
    """Whether `action` may be taken at `position`; the reason (Vietnamese) when not."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False, str(_("Thao tác không tồn tại."))
    if position.status not in transition.sources:
        return False, str(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": Action(action).label, "status": Status(position.status).label}
        )
    last = position.step_count
    decision = decision_step(last)
    if action == A.FORWARD and position.step >= decision:
        return False, str(_("Đây là bước quyết định: cần phê duyệt hoặc không phê duyệt thay vì chuyển tiếp."))
    if action in (A.APPROVE, A.NOT_APPROVE) and position.step != decision:
        return False, str(_("Chỉ phê duyệt ở bước phê duyệt của quy trình."))
    if action == A.SEND_BACK and position.step <= 1:
        return False, str(_("Hồ sơ đang ở bước đầu tiên, không có bước trước để trả lại."))
    if action == A.REQUEST_SUPPLEMENT and position.received and position.processing_supplements >= 1:
        return False, str(_("Chỉ được yêu cầu bổ sung hồ sơ một lần trong quá trình giải quyết."))
    if action == A.APOLOGIZE and position.apologized:
        return False, str(_("Hồ sơ đã được xin lỗi và hẹn lại một lần; không được hẹn lại lần nữa."))
    if action == A.SIGN_RESULT and not position.electronic_result:
        return False, str(_("Thủ tục này trả kết quả bản giấy, không ký số."))
    if action == A.SIGN_RESULT and position.result_signed:
        return False, str(_("Kết quả đã được ký số."))
    if action == A.STOP and not regime_by_code(position.regime).allows_stop:
        return False, str(
            _("Dừng giải quyết hồ sơ chỉ áp dụng với hồ sơ tiếp nhận từ ngày 01/7/2025 (Nghị định 118/2025/NĐ-CP).")
        )
    return True, ""


def check(action: str, position: Position) -> None:
    allowed, reason = can(action, position)
    if not allowed:
        raise TransitionNotAllowed(reason)


def target_of(action: str, position: Position, *, paused_from: str | None = None) -> str:
    """The status after `action` (for the actions whose target depends on the position)."""
    transition = TRANSITIONS[action]
    if transition.target is not None:
        return transition.target
    if action == A.SUPPLEMENT:
        return supplement_target(position, paused_from)
    if action == A.SEND_BACK:
        return S.RECEIVED if position.step - 1 <= 1 else S.IN_PROGRESS
    return position.status  # assign, apologize


def supplement_target(position: Position, paused_from: str | None) -> str:
    """A dossier paused before reception goes back to the reception queue; otherwise it resumes."""
    if not position.received:
        return S.SUBMITTED
    return paused_from or S.IN_PROGRESS


def is_open(status: str) -> bool:
    return status in OPEN
