"""Writes on initiatives: registering, editing, moving along the lifecycle. Each is one
transaction with its audit event; a refused change leaves everything as it was."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Unit, User
from cchc.audit.services import audit_record
from cchc.core import clock
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.reports.config import INDICATOR_CODES

from .models import Initiative
from .policies import may_edit, may_edit_unit
from .workflow import STARTED, Status, can_move

TITLE_MIN, TITLE_MAX = 5, 255
DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 10000
DECISION_MAX = 100
EARLIEST_START = date(2000, 1, 1)


@dataclass(frozen=True)
class InitiativeInput:
    """What a user states about an initiative (the form's and the API's fields)."""

    unit: Unit | None
    title: str
    started_on: date | None
    description: str
    indicator_codes: tuple[str, ...] = ()
    recognised: bool = False
    recognition_level: str = ""
    recognition_decision: str = ""
    measured_agency_wide: bool = False

    def cleaned(self) -> "InitiativeInput":
        codes = tuple(dict.fromkeys(code.strip() for code in self.indicator_codes if code and code.strip()))
        recognised = bool(self.recognised)
        return InitiativeInput(
            unit=self.unit,
            title=" ".join((self.title or "").split()),
            started_on=self.started_on,
            description=(self.description or "").strip(),
            indicator_codes=codes,
            recognised=recognised,
            recognition_level=(self.recognition_level or "").strip() if recognised else "",
            recognition_decision=" ".join((self.recognition_decision or "").split()) if recognised else "",
            measured_agency_wide=bool(self.measured_agency_wide),
        )


def _errors(data: InitiativeInput, *, agency_id: int, status: str, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not TITLE_MIN <= len(data.title) <= TITLE_MAX:
        errors["title"] = _("Tên sáng kiến cần từ %(min)s đến %(max)s ký tự.") % {"min": TITLE_MIN, "max": TITLE_MAX}
    if not DESCRIPTION_MIN <= len(data.description) <= DESCRIPTION_MAX:
        errors["description"] = _("Mô tả cần từ %(min)s đến %(max)s ký tự.") % {
            "min": DESCRIPTION_MIN,
            "max": DESCRIPTION_MAX,
        }
    if data.started_on is None:
        errors["started_on"] = _("Cần ghi ngày bắt đầu áp dụng.")
    elif data.started_on < EARLIEST_START:
        errors["started_on"] = _("Ngày bắt đầu áp dụng không hợp lệ.")
    elif status in STARTED and data.started_on > today:
        errors["started_on"] = _("Sáng kiến đang áp dụng không thể có ngày bắt đầu trong tương lai.")
    if data.unit is None or data.unit.agency_id != agency_id:
        errors["unit"] = _("Cần chọn đơn vị của cơ quan.")
    unknown = [code for code in data.indicator_codes if code not in INDICATOR_CODES]
    if unknown:
        errors["indicator_codes"] = _("Chỉ số không có trong Bộ chỉ số: %(codes)s.") % {"codes": ", ".join(unknown)}
    if data.recognised and data.recognition_level not in Initiative.Level.values:
        errors["recognition_level"] = _("Cần chọn cấp công nhận sáng kiến.")
    if len(data.recognition_decision) > DECISION_MAX:
        errors["recognition_decision"] = _("Số quyết định dài quá %(n)s ký tự.") % {"n": DECISION_MAX}
    return errors


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ApplicationError(" ".join(errors.values()), code="invalid_initiative", details=list(errors.items()))


def _title_taken(*, agency_id: int, title: str, exclude_pk: int | None = None) -> bool:
    """Same title in the agency, ignoring case (in Python: SQLite folds ASCII letters only).
    An agency registers a few dozen initiatives, so reading their titles is cheap."""
    qs = Initiative.objects.filter(agency_id=agency_id)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    wanted = title.casefold()
    return any(existing.casefold() == wanted for existing in qs.values_list("title", flat=True))


def _duplicate() -> Conflict:
    message = _("Cơ quan đã có sáng kiến cùng tên.")
    return Conflict(message, code="duplicate_initiative", details=[("title", message)])


def _fields(data: InitiativeInput) -> dict:
    return {
        "unit": data.unit,
        "title": data.title,
        "started_on": data.started_on,
        "description": data.description,
        "indicator_codes": list(data.indicator_codes),
        "recognised": data.recognised,
        "recognition_level": data.recognition_level,
        "recognition_decision": data.recognition_decision,
        "measured_agency_wide": data.measured_agency_wide,
    }


def _snapshot(initiative: Initiative) -> dict:
    return {
        "unit": initiative.unit.code,
        "title": initiative.title,
        "started_on": initiative.started_on,
        "indicator_codes": initiative.indicator_codes,
        "recognised": initiative.recognised,
        "recognition_level": initiative.recognition_level,
        "recognition_decision": initiative.recognition_decision,
        "measured_agency_wide": initiative.measured_agency_wide,
    }


def initiative_create(
    *, user: User, data: InitiativeInput, status: str = Status.PROPOSED, ip: str | None = None
) -> Initiative:
    """Register an initiative of one of the units `user` may edit."""
    data = data.cleaned()
    if user is None or user.agency_id is None:
        raise PermissionDenied(_("Bạn không đăng ký sáng kiến được."), code="not_allowed")
    errors = _errors(data, agency_id=user.agency_id, status=status, today=clock.localdate())
    if status not in Status.values:
        errors["status"] = _("Trạng thái không hợp lệ.")
    _refuse(errors)
    if not may_edit_unit(user, data.unit):
        raise PermissionDenied(_("Bạn chỉ đăng ký được sáng kiến của đơn vị mình."), code="not_allowed")
    with transaction.atomic():
        if _title_taken(agency_id=user.agency_id, title=data.title):
            raise _duplicate()
        try:
            with transaction.atomic():
                initiative = Initiative.objects.create(
                    agency_id=user.agency_id, status=status, created_by=user, **_fields(data)
                )
        except IntegrityError as exc:  # a twin registered at the same moment (a double click)
            raise _duplicate() from exc
        audit_record(
            action="initiative.create",
            actor=user,
            object_type="initiative",
            object_id=initiative.pk,
            to_status=status,
            ip=ip,
            data=_snapshot(initiative),
        )
    return initiative


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update(of=("self",)).select_related("unit").get(pk=initiative.pk)


def initiative_update(
    *, initiative: Initiative, user: User, data: InitiativeInput, ip: str | None = None
) -> Initiative:
    """Change what is known about an initiative; nothing changes when nothing differs."""
    data = data.cleaned()
    with transaction.atomic():
        initiative = _lock(initiative)
        if not may_edit(user, initiative):
            raise PermissionDenied(_("Bạn không sửa được sáng kiến này."), code="not_allowed")
        _refuse(_errors(data, agency_id=initiative.agency_id, status=initiative.status, today=clock.localdate()))
        if not may_edit_unit(user, data.unit):
            raise PermissionDenied(_("Bạn chỉ chuyển được sáng kiến sang đơn vị mình phụ trách."), code="not_allowed")
        wanted = _fields(data)
        changed = [name for name, value in wanted.items() if getattr(initiative, name) != value]
        if not changed:
            return initiative
        if "title" in changed and _title_taken(
            agency_id=initiative.agency_id, title=data.title, exclude_pk=initiative.pk
        ):
            raise _duplicate()
        before = _snapshot(initiative)
        for name in changed:
            setattr(initiative, name, wanted[name])
        try:
            with transaction.atomic():
                initiative.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as exc:
            raise _duplicate() from exc
        after = _snapshot(initiative)
        audit_record(
            action="initiative.update",
            actor=user,
            object_type="initiative",
            object_id=initiative.pk,
            ip=ip,
            data={key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]},
        )
    return initiative


def initiative_set_status(
    *, initiative: Initiative, user: User, status: str, reason: str = "", ip: str | None = None
) -> Initiative:
    """Move an initiative along its lifecycle (proposed → applied → replicated; stopped and resumed)."""
    reason = (reason or "").strip()
    if status not in Status.values:
        raise ApplicationError(_("Trạng thái không hợp lệ."), code="invalid_status")
    with transaction.atomic():
        initiative = _lock(initiative)
        if not may_edit(user, initiative):
            raise PermissionDenied(_("Bạn không đổi được trạng thái sáng kiến này."), code="not_allowed")
        if initiative.status == status:
            return initiative
        if not can_move(initiative.status, status):
            raise Conflict(
                _("Không chuyển được từ “%(old)s” sang “%(new)s”.")
                % {"old": Status(initiative.status).label, "new": Status(status).label},
                code="transition_not_allowed",
            )
        if status == Status.STOPPED and not reason:
            raise ApplicationError(_("Cần ghi lý do dừng áp dụng."), code="reason_required")
        if status in STARTED and initiative.started_on > clock.localdate():
            raise ApplicationError(
                _("Ngày bắt đầu áp dụng còn ở tương lai: hãy sửa ngày trước khi chuyển sang “%(new)s”.")
                % {"new": Status(status).label},
                code="not_started",
            )
        from_status = initiative.status
        initiative.status = status
        initiative.save(update_fields=["status", "updated_at"])
        audit_record(
            action="initiative.status",
            actor=user,
            object_type="initiative",
            object_id=initiative.pk,
            from_status=from_status,
            to_status=status,
            reason=reason,
            ip=ip,
        )
    return initiative
