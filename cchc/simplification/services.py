"""Writes for procedure review and simplification: rounds, reviews, proposed changes.

Each write is one transaction with its audit event. A closed round refuses every change to
itself, its reviews and their proposals (`Conflict`), and the refused call changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import User
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from cchc.procedures.models import Component, Procedure, ProcedureVersion

from . import costs
from .models import (
    ProcedureReview,
    ProposedChange,
    ReviewRound,
    expense_field,
    fees_field,
    hours_field,
)
from .policies import may_edit_review, may_manage_rounds
from .selectors import procedure_volume

MAX_HOURS = Decimal(2000)
MAX_AMOUNT = 10**12
MAX_VOLUME = 10**8  # dossiers a year; the column holds at most 2,147,483,647
NAME_MAX = 255
CONCLUSION_MIN = 10
REASON_MIN = 5
TEXT_MAX = 4000


@dataclass(frozen=True)
class CostValues:
    """The inputs of one state of a review: hours per activity and out-of-pocket costs (VND);
    `fees` only for the state after (the fees before are the reviewed version's fee items)."""

    hours: dict = field(default_factory=dict)
    expenses: dict = field(default_factory=dict)
    fees: int | None = None


# ---------------------------------------------------------------- validation


def _hours(value, label: str, errors: list) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else 0).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.append((label, _("Số giờ phải là một số.")))
        return Decimal(0)
    if not number.is_finite():
        errors.append((label, _("Số giờ phải là một số.")))
        return Decimal(0)
    if number < 0:
        errors.append((label, _("Số giờ không được âm.")))
    elif number > MAX_HOURS:
        errors.append((label, _("Số giờ không được quá %(n)s.") % {"n": MAX_HOURS}))
    elif number != number.quantize(Decimal("0.01")):
        errors.append((label, _("Số giờ chỉ lấy tối đa hai chữ số thập phân.")))
    return number


def _amount(value, label: str, errors: list) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, (Decimal, float)) and value == int(value):
            value = int(value)
        else:
            errors.append((label, _("Số tiền phải là số nguyên (đồng).")))
            return 0
    if value < 0:
        errors.append((label, _("Số tiền không được âm.")))
    elif value > MAX_AMOUNT:
        errors.append((label, _("Số tiền quá lớn.")))
    return value


def _raise(errors: list, code: str) -> None:
    if errors:
        raise ApplicationError(" ".join(message for _field, message in errors), code=code, details=errors)


def _cost_fields(state: str, values: CostValues | None, errors: list) -> dict:
    """Model field name -> cleaned value, for the inputs given."""
    if values is None:
        return {}
    cleaned = {}
    for activity in costs.ACTIVITIES:
        if activity in values.hours:
            name = hours_field(state, activity)
            cleaned[name] = _hours(values.hours[activity], name, errors)
    for expense in costs.EXPENSES:
        if expense in values.expenses:
            name = expense_field(state, expense)
            cleaned[name] = _amount(values.expenses[expense], name, errors)
    if state == "after" and values.fees is not None:
        cleaned[fees_field(state)] = _amount(values.fees, fees_field(state), errors)
    return cleaned


def _volume(override, reason: str, errors: list) -> tuple[int | None, str]:
    reason = " ".join((reason or "").split())
    if override in (None, ""):
        return None, ""
    override = _amount(override, "volume_override", errors)
    if isinstance(override, int) and override > MAX_VOLUME:
        errors.append(("volume_override", _("Số hồ sơ mỗi năm quá lớn (tối đa 100.000.000).")))
        override = 0
    if len(reason) < REASON_MIN:
        errors.append(("volume_override_reason", _("Cần ghi lý do điều chỉnh số hồ sơ mỗi năm.")))
    return override, reason[:500]


def version_fees(version: ProcedureVersion) -> int:
    """The fees and charges of one case at the counter, from the version's fee items."""
    return sum(item.amount for item in version.fees.all())


# ---------------------------------------------------------------- guards


def _require_manager(actor: User, agency_id: int) -> None:
    if not may_manage_rounds(actor) or actor.agency_id != agency_id:
        raise PermissionDenied(_("Chỉ cán bộ phụ trách cải cách hành chính quản lý đợt rà soát."), code="not_allowed")


def _require_open(round: ReviewRound) -> None:
    if not round.is_open:
        raise Conflict(_("Đợt rà soát đã kết thúc, không thể chỉnh sửa."), code="round_closed")


def _lock_round(round: ReviewRound) -> ReviewRound:
    return ReviewRound.objects.select_for_update(of=("self",)).select_related("agency").get(pk=round.pk)


def _lock_review(review: ProcedureReview) -> ProcedureReview:
    """The review locked after its round (rounds first, always: one lock order)."""
    round = _lock_round(review.round)
    locked = (
        ProcedureReview.objects.select_for_update(of=("self",))
        .select_related("procedure", "version__unit")
        .get(pk=review.pk)
    )
    locked.round = round
    return locked


def _editable(actor: User, review: ProcedureReview) -> None:
    if not may_edit_review(actor, review):
        raise PermissionDenied(_("Bạn không được chỉnh sửa phần rà soát thủ tục này."), code="not_allowed")
    _require_open(review.round)


# ---------------------------------------------------------------- rounds


@transaction.atomic
def round_create(
    *,
    actor: User,
    year: int,
    name: str,
    period_start: date,
    period_end: date,
    monthly_income: int,
    note: str = "",
) -> ReviewRound:
    """Open a review round for the actor's agency."""
    _require_manager(actor, actor.agency_id)
    name = " ".join((name or "").split())
    errors: list = []
    if not name:
        errors.append(("name", _("Cần ghi tên đợt rà soát.")))
    elif len(name) > NAME_MAX:
        errors.append(("name", _("Tên đợt rà soát dài quá %(n)s ký tự.") % {"n": NAME_MAX}))
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.append(("year", _("Năm phải từ 2000 đến 2100.")))
    if not isinstance(period_start, date) or not isinstance(period_end, date):
        errors.append(("period_start", _("Cần ghi kỳ số liệu (từ ngày, đến ngày).")))
    elif period_start > period_end:
        errors.append(("period_end", _("Ngày kết thúc kỳ số liệu phải sau ngày bắt đầu.")))
    income = _amount(monthly_income, "monthly_income", errors)
    if not errors and income <= 0:
        errors.append(("monthly_income", _("Thu nhập bình quân tháng phải lớn hơn 0.")))
    _raise(errors, "invalid_round")
    if ReviewRound.objects.filter(agency_id=actor.agency_id, year=year, name=name).exists():
        raise Conflict(_("Đã có đợt rà soát cùng tên trong năm %(year)s.") % {"year": year}, code="round_exists")
    try:
        with transaction.atomic():
            round = ReviewRound.objects.create(
                agency_id=actor.agency_id,
                year=year,
                name=name,
                period_start=period_start,
                period_end=period_end,
                monthly_income=income,
                note=(note or "").strip()[:TEXT_MAX],
                created_by=actor,
            )
    except IntegrityError as exc:  # a concurrent twin
        raise Conflict(
            _("Đã có đợt rà soát cùng tên trong năm %(year)s.") % {"year": year}, code="round_exists"
        ) from exc
    audit_record(
        action="simplification.round_create",
        actor=actor,
        object_type="review_round",
        object_id=round.pk,
        to_status=round.status,
        data={"year": year, "name": name, "period": [period_start, period_end], "monthly_income": income},
    )
    return round


@transaction.atomic
def round_close(*, actor: User, round: ReviewRound) -> ReviewRound:
    """Close the round: from then on it and its reviews are read-only. Closing again changes nothing."""
    _require_manager(actor, round.agency_id)
    round = _lock_round(round)
    if not round.is_open:
        return round
    round.status = ReviewRound.Status.CLOSED
    round.closed_at = clock.now()
    round.closed_by = actor
    round.save(update_fields=["status", "closed_at", "closed_by"])
    audit_record(
        action="simplification.round_close",
        actor=actor,
        object_type="review_round",
        object_id=round.pk,
        from_status=ReviewRound.Status.OPEN,
        to_status=round.status,
    )
    return round


# ---------------------------------------------------------------- reviews


@transaction.atomic
def review_add(
    *,
    actor: User,
    round: ReviewRound,
    procedure: Procedure,
    before: CostValues | None = None,
    after: CostValues | None = None,
    volume_override: int | None = None,
    volume_override_reason: str = "",
) -> ProcedureReview:
    """Add a published procedure of the round's agency to the round, reviewing its version in
    force: the fees before come from its fee items, the yearly volume from the dossiers received
    in the 12 months up to the end of the round's period. Inputs left out are zero (the fees
    after: the fees before)."""
    _require_manager(actor, round.agency_id)
    round = _lock_round(round)
    _require_open(round)
    if procedure.agency_id != round.agency_id or procedure.current_version_id is None:
        raise NotFound(_("Không tìm thấy thủ tục."), code="procedure_not_found")
    errors: list = []
    values = _cost_fields("before", before, errors) | _cost_fields("after", after, errors)
    override, reason = _volume(volume_override, volume_override_reason, errors)
    _raise(errors, "invalid_review")
    if round.reviews.filter(procedure=procedure).exists():
        raise Conflict(_("Thủ tục này đã có trong đợt rà soát."), code="review_exists")
    version = procedure.current_version
    fees = version_fees(version)
    values.setdefault(fees_field("after"), fees)
    review = ProcedureReview.objects.create(
        round=round,
        procedure=procedure,
        version=version,
        volume_computed=procedure_volume(procedure=procedure, end=round.period_end),
        volume_override=override,
        volume_override_reason=reason,
        fees_before=fees,
        created_by=actor,
        **values,
    )
    audit_record(
        action="simplification.review_add",
        actor=actor,
        object_type="procedure_review",
        object_id=review.pk,
        data={"round": round.pk, "procedure": procedure.code, "version": version.number, "volume": review.volume},
    )
    return review


_UNSET = object()


@transaction.atomic
def review_update(
    *,
    actor: User,
    review: ProcedureReview,
    before: CostValues | None = None,
    after: CostValues | None = None,
    volume_override=_UNSET,
    volume_override_reason: str = "",
) -> ProcedureReview:
    """Change a review's cost inputs and its yearly volume override (None: back to the counted
    volume). Nothing changes when the values are the ones already stored."""
    review = _lock_review(review)
    _editable(actor, review)
    if review.status != ProcedureReview.Status.IN_PROGRESS:
        raise Conflict(_("Thủ tục đã có kết luận; mở lại để chỉnh sửa."), code="review_concluded")
    errors: list = []
    values = _cost_fields("before", before, errors) | _cost_fields("after", after, errors)
    if volume_override is not _UNSET:
        override, reason = _volume(volume_override, volume_override_reason, errors)
        values |= {"volume_override": override, "volume_override_reason": reason}
    _raise(errors, "invalid_review")
    changed = {name: value for name, value in values.items() if getattr(review, name) != value}
    if not changed:
        return review
    old = {name: getattr(review, name) for name in changed}
    for name, value in changed.items():
        setattr(review, name, value)
    review.save(update_fields=[*changed, "updated_at"])
    audit_record(
        action="simplification.review_update",
        actor=actor,
        object_type="procedure_review",
        object_id=review.pk,
        data={"procedure": review.procedure.code, "from": old, "to": changed},
    )
    return review


@transaction.atomic
def review_conclude(*, actor: User, review: ProcedureReview, conclusion: str) -> ProcedureReview:
    """Record the review's conclusion. The same conclusion again changes nothing."""
    conclusion = (conclusion or "").strip()
    if len(conclusion) < CONCLUSION_MIN:
        raise ApplicationError(
            _("Kết luận cần ít nhất %(n)s ký tự.") % {"n": CONCLUSION_MIN},
            code="conclusion_required",
            details=[("conclusion", _("Kết luận cần ít nhất %(n)s ký tự.") % {"n": CONCLUSION_MIN})],
        )
    review = _lock_review(review)
    _editable(actor, review)
    if review.status == ProcedureReview.Status.CONCLUDED and review.conclusion == conclusion[:TEXT_MAX]:
        return review
    from_status = review.status
    review.status = ProcedureReview.Status.CONCLUDED
    review.conclusion = conclusion[:TEXT_MAX]
    review.concluded_at = clock.now()
    review.concluded_by = actor
    review.save(update_fields=["status", "conclusion", "concluded_at", "concluded_by", "updated_at"])
    audit_record(
        action="simplification.review_conclude",
        actor=actor,
        object_type="procedure_review",
        object_id=review.pk,
        from_status=from_status,
        to_status=review.status,
        reason=review.conclusion,
        data={"procedure": review.procedure.code},
    )
    return review


@transaction.atomic
def review_reopen(*, actor: User, review: ProcedureReview) -> ProcedureReview:
    """Back to "in progress" so the figures and proposals can change again (the round must be open)."""
    review = _lock_review(review)
    _editable(actor, review)
    if review.status == ProcedureReview.Status.IN_PROGRESS:
        return review
    review.status = ProcedureReview.Status.IN_PROGRESS
    review.save(update_fields=["status", "updated_at"])
    audit_record(
        action="simplification.review_reopen",
        actor=actor,
        object_type="procedure_review",
        object_id=review.pk,
        from_status=ProcedureReview.Status.CONCLUDED,
        to_status=review.status,
        data={"procedure": review.procedure.code},
    )
    return review


# ---------------------------------------------------------------- proposed changes


def _change_errors(
    review: ProcedureReview, kind: str, component: Component | None, new_limit, description: str
) -> list:
    version = review.version
    errors: list = []
    if kind not in ProposedChange.Kind.values:
        errors.append(("kind", _("Loại phương án không hợp lệ.")))
        return errors
    if len(description) < 5:
        errors.append(("description", _("Cần mô tả nội dung phương án.")))
    if kind == ProposedChange.Kind.DROP_COMPONENT:
        if component is None or component.version_id != version.pk:
            errors.append(("component", _("Cần chọn thành phần hồ sơ của thủ tục được rà soát.")))
    elif component is not None and component.version_id != version.pk:
        errors.append(("component", _("Thành phần hồ sơ không thuộc thủ tục được rà soát.")))
    if kind == ProposedChange.Kind.SHORTEN_TIME_LIMIT:
        unit = version.get_time_limit_unit_display()
        if isinstance(new_limit, bool) or not isinstance(new_limit, int) or new_limit < 1:
            errors.append(
                ("new_time_limit_value", _("Cần ghi thời hạn mới (số nguyên dương, %(unit)s).") % {"unit": unit})
            )
        elif new_limit >= version.time_limit_value:
            errors.append(
                (
                    "new_time_limit_value",
                    _("Thời hạn mới phải ngắn hơn thời hạn hiện hành (%(n)s %(unit)s).")
                    % {"n": version.time_limit_value, "unit": unit},
                )
            )
    if kind == ProposedChange.Kind.OFFER_ONLINE and version.online_level >= ProcedureVersion.OnlineLevel.PARTIAL:
        errors.append(("kind", _("Thủ tục đã được cung cấp trực tuyến.")))
    if kind == ProposedChange.Kind.FULL_ONLINE and version.online_level >= ProcedureVersion.OnlineLevel.FULL:
        errors.append(("kind", _("Thủ tục đã được cung cấp trực tuyến toàn trình.")))
    return errors


@transaction.atomic
def change_add(
    *,
    actor: User,
    review: ProcedureReview,
    kind: str,
    description: str,
    rationale: str = "",
    component: Component | None = None,
    new_time_limit_value: int | None = None,
) -> ProposedChange:
    """Propose a change: drop a component, shorten the time limit (in the version's unit), offer
    the procedure online (partly or fully), or something else described."""
    review = _lock_review(review)
    _editable(actor, review)
    if review.status != ProcedureReview.Status.IN_PROGRESS:
        raise Conflict(_("Thủ tục đã có kết luận; mở lại để chỉnh sửa."), code="review_concluded")
    description = (description or "").strip()[:TEXT_MAX]
    rationale = (rationale or "").strip()[:TEXT_MAX]
    if kind != ProposedChange.Kind.SHORTEN_TIME_LIMIT:
        new_time_limit_value = None
    _raise(_change_errors(review, kind, component, new_time_limit_value, description), "invalid_change")
    if kind == ProposedChange.Kind.DROP_COMPONENT and review.changes.filter(kind=kind, component=component).exists():
        raise Conflict(_("Đã có phương án bãi bỏ thành phần này."), code="change_exists")
    change = ProposedChange.objects.create(
        review=review,
        kind=kind,
        component=component,
        new_time_limit_value=new_time_limit_value,
        description=description,
        rationale=rationale,
        created_by=actor,
    )
    audit_record(
        action="simplification.change_add",
        actor=actor,
        object_type="proposed_change",
        object_id=change.pk,
        data={
            "review": review.pk,
            "procedure": review.procedure.code,
            "kind": kind,
            "component": component.name if component else "",
            "new_time_limit_value": new_time_limit_value,
        },
    )
    return change


@transaction.atomic
def change_remove(*, actor: User, change: ProposedChange) -> None:
    """Withdraw a proposed change."""
    review = _lock_review(change.review)
    _editable(actor, review)
    if review.status != ProcedureReview.Status.IN_PROGRESS:
        raise Conflict(_("Thủ tục đã có kết luận; mở lại để chỉnh sửa."), code="review_concluded")
    change = ProposedChange.objects.filter(pk=change.pk, review=review).first()
    if change is None:
        return
    audit_record(
        action="simplification.change_remove",
        actor=actor,
        object_type="proposed_change",
        object_id=change.pk,
        data={"review": review.pk, "procedure": review.procedure.code, "kind": change.kind},
    )
    change.delete()
