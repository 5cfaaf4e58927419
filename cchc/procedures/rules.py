"""Rules of a published procedure, as plain data and pure functions (no database).

A `ProcedureSpec` is what the catalogue says about one procedure, whatever it came
from: the demo data file, a spreadsheet import or the back office. `spec_errors`
lists every rule the spec breaks, in Vietnamese, so that an import can report them
all at once.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
# A limit a procedure states in days without "working" ("15 ngày"): counted on the calendar, with the
# Civil Code's rule for a last day that is not a working day (`WorkingCalendar.add_calendar_days`).
CALENDAR_DAYS = "calendar_days"
TIME_UNITS = (WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS)
HOURS_PER_WORKING_DAY = 8
ONLINE_LEVELS = (2, 3, 4)
RESULT_TYPES = ("paper", "electronic")
PAYMENT_STAGES = ("before_reception", "before_result")
FEE_KINDS = ("fee", "charge")
PROCESS_ROLE_CODES = ("one_stop_officer", "specialist", "unit_head", "leader")
PROCEDURE_CODE_RE = re.compile(r"^\d\.\d{6}$")


# Words (folded) naming identity or health documents: sensitive personal data (Decree 13/2023,
# Law 91/2025). The flag can be corrected per component in the back office.
SENSITIVE_COMPONENT_WORDS = ("can cuoc", "chung minh nhan dan", "ho chieu", "suc khoe", "dinh danh", "y te")


def is_sensitive_component(name: str) -> bool:
    from cchc.core.text import fold

    folded = fold(name)
    return any(word in folded for word in SENSITIVE_COMPONENT_WORDS)


def time_limit_hours(value: int, unit: str) -> int | None:
    """A published time limit in working hours (1 working day = 8 working hours); None for a limit
    in calendar days, whose working time depends on the days it spans."""
    if unit == WORKING_DAYS:
        return value * HOURS_PER_WORKING_DAY
    if unit == WORKING_HOURS:
        return value
    if unit == CALENDAR_DAYS:
        return None
    raise ValueError(f"unknown time unit {unit!r}")


def budget_ceiling_hours(value: int, unit: str) -> int:
    """The most working hours the internal process may plan for a time limit: the limit itself in
    working time; for calendar days a working day per calendar day (no calendar day holds more, and
    the exact working time depends on the weekends and holidays the dossier meets)."""
    if unit == CALENDAR_DAYS:
        return value * HOURS_PER_WORKING_DAY
    return time_limit_hours(value, unit)


def due_moment(calendar, counted_from: datetime, *, value: int, unit: str) -> datetime:
    """The appointment of a dossier whose clock starts at `counted_from`, on `calendar` (a
    `cchc.core.calendar.WorkingCalendar`): working time added for limits in working days or hours,
    calendar days with the Civil Code's end-of-limit rule otherwise."""
    if unit == CALENDAR_DAYS:
        return calendar.add_calendar_days(counted_from, value)
    return calendar.add_working_hours(counted_from, time_limit_hours(value, unit))


@dataclass(frozen=True)
class FeeSpec:
    kind: str
    name: str
    amount: int
    online_amount: int | None = None


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    required: bool = True
    originals: int = 0
    certified_copies: int = 0
    copies: int = 0
    template_name: str = ""
    note: str = ""
    # Held by the national population database: not asked of an applicant whose identity VNeID verified.
    from_population_db: bool = False


@dataclass(frozen=True)
class StepSpec:
    name: str
    unit_code: str
    role: str
    hours: int
    # The code of another agency the step runs in (an inter-agency, liên thông, process); its
    # `unit_code` is then one of that agency's units. Empty: the agency resolving the dossier.
    agency_code: str = ""


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field_code: str
    unit_code: str
    applicants: str
    time_limit_value: int
    time_limit_unit: str
    online_level: int
    result_type: str
    result_name: str
    legal_basis: tuple[str, ...]
    requirements: str = ""
    payment_stage: str = "before_reception"
    annual_volume: int = 0
    fees: tuple[FeeSpec, ...] = field(default_factory=tuple)
    components: tuple[ComponentSpec, ...] = field(default_factory=tuple)
    steps: tuple[StepSpec, ...] = field(default_factory=tuple)

    @property
    def time_limit_hours(self) -> int:
        return time_limit_hours(self.time_limit_value, self.time_limit_unit)

    def content(self) -> tuple:
        """Everything a version stores; two specs with equal content need no new version."""
        return (
            self.name,
            self.field_code,
            self.unit_code,
            self.applicants,
            self.time_limit_value,
            self.time_limit_unit,
            self.online_level,
            self.result_type,
            self.result_name,
            tuple(self.legal_basis),
            self.requirements,
            self.payment_stage,
            tuple(self.fees),
            tuple(self.components),
            tuple(self.steps),
        )


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def spec_errors(spec: ProcedureSpec) -> list[str]:
    """Every rule of the catalogue that `spec` breaks, as Vietnamese sentences."""
    errors: list[str] = []
    if not PROCEDURE_CODE_RE.fullmatch(spec.code or ""):
        errors.append(_("Mã thủ tục “%(code)s” phải có dạng 1.000010.") % {"code": spec.code})
    if not (spec.name or "").strip():
        errors.append(_("Thiếu tên thủ tục."))
    if not (spec.applicants or "").strip():
        errors.append(_("Thiếu đối tượng thực hiện."))
    if not (spec.result_name or "").strip():
        errors.append(_("Thiếu tên kết quả thực hiện."))
    if not any(line.strip() for line in spec.legal_basis):
        errors.append(_("Thiếu căn cứ pháp lý."))
    if spec.time_limit_unit not in TIME_UNITS:
        errors.append(_("Đơn vị thời hạn phải là ngày làm việc, giờ làm việc hoặc ngày (theo lịch)."))
    if not _is_int(spec.time_limit_value) or spec.time_limit_value < 1:
        errors.append(_("Thời hạn giải quyết phải là số nguyên dương."))
    if spec.online_level not in ONLINE_LEVELS:
        errors.append(_("Mức độ dịch vụ công phải là 2, 3 hoặc 4."))
    if spec.result_type not in RESULT_TYPES:
        errors.append(_("Hình thức kết quả phải là bản giấy hoặc bản điện tử."))
    if spec.payment_stage not in PAYMENT_STAGES:
        errors.append(_("Thời điểm nộp phí không hợp lệ."))
    if not _is_int(spec.annual_volume) or spec.annual_volume < 0:
        errors.append(_("Số hồ sơ mỗi năm phải là số nguyên không âm."))
    for fee in spec.fees:
        if fee.kind not in FEE_KINDS:
            errors.append(_("Khoản thu “%(name)s”: loại phải là phí hoặc lệ phí.") % {"name": fee.name})
        if not _is_int(fee.amount) or fee.amount < 0:
            errors.append(_("Khoản thu “%(name)s”: mức thu phải là số đồng nguyên, không âm.") % {"name": fee.name})
        if fee.online_amount is not None and (not _is_int(fee.online_amount) or fee.online_amount < 0):
            errors.append(
                _("Khoản thu “%(name)s”: mức thu trực tuyến phải là số đồng nguyên, không âm.") % {"name": fee.name}
            )
    if not spec.components:
        errors.append(_("Thủ tục phải có ít nhất một thành phần hồ sơ."))
    for component in spec.components:
        if not component.name.strip():
            errors.append(_("Có thành phần hồ sơ thiếu tên."))
        counts = (component.originals, component.certified_copies, component.copies)
        if any(not _is_int(c) or c < 0 for c in counts):
            errors.append(_("Thành phần “%(name)s”: số bản phải là số nguyên không âm.") % {"name": component.name})
    if not spec.steps:
        errors.append(_("Thủ tục phải có quy trình nội bộ với ít nhất một bước."))
    for step in spec.steps:
        if step.role not in PROCESS_ROLE_CODES:
            errors.append(_("Bước “%(name)s”: vai trò thực hiện không hợp lệ.") % {"name": step.name})
        if not _is_int(step.hours) or step.hours < 1:
            errors.append(_("Bước “%(name)s”: thời gian phải là số giờ nguyên dương.") % {"name": step.name})
    errors.extend(budget_errors(spec))
    return errors


def budget_errors(spec: ProcedureSpec) -> list[str]:
    """The step budgets must add up to the published time limit (`budget_problem`)."""
    if spec.time_limit_unit not in TIME_UNITS or not _is_int(spec.time_limit_value) or not spec.steps:
        return []
    if not all(_is_int(step.hours) for step in spec.steps):
        return []
    problem = budget_problem(sum(step.hours for step in spec.steps), spec.time_limit_value, spec.time_limit_unit)
    return [problem] if problem else []


def budget_problem(total: int, value: int, unit: str) -> str | None:
    """Why step budgets of `total` hours do not fit a time limit, or None: they must add up to a
    limit in working days or hours, and not exceed a working day per calendar day of a limit in
    calendar days (`budget_ceiling_hours`)."""
    if unit == CALENDAR_DAYS:
        ceiling = budget_ceiling_hours(value, unit)
        if total > ceiling:
            return _(
                "Tổng thời gian các bước của quy trình nội bộ (%(total)s giờ) vượt quá %(ceiling)s giờ làm việc:"
                " thời hạn %(days)s ngày theo lịch không có quá một ngày làm việc mỗi ngày."
            ) % {"total": total, "ceiling": ceiling, "days": value}
        return None
    limit = time_limit_hours(value, unit)
    if total != limit:
        return _(
            "Tổng thời gian các bước của quy trình nội bộ (%(total)s giờ) phải bằng thời hạn giải quyết"
            " (%(limit)s giờ làm việc)."
        ) % {"total": total, "limit": limit}
    return None
