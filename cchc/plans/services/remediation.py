"""Shortcomings of the last appraisal turned into remediation tasks of the plan."""

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Unit, User
from cchc.audit.services import audit_record
from cchc.core.errors import ApplicationError, NotFound, PermissionDenied
from cchc.reform.models import ParYear

from .. import rules
from ..models import Plan, Task
from ..policies import may_edit_plan
from .common import TITLE_MAX
from .tasks import TaskFields, task_create


def _points(value) -> str:
    """4.50 → "4,5": points as Vietnamese write them."""
    return f"{value.normalize():f}".replace(".", ",")


def _fallback_unit(agency_id: int) -> Unit:
    from ..selectors import unit_get

    unit = unit_get(agency_id=agency_id, code="VP")
    if unit is None:
        raise ApplicationError(
            _("Không tìm thấy Văn phòng (mã VP) để giao nhiệm vụ chưa có đơn vị chịu trách nhiệm."),
            code="no_reform_office",
        )
    return unit


def remediation_tasks_from_appraisal(*, par_year: ParYear, plan: Plan, actor: User) -> list[Task]:
    """One task in `plan` for each leaf criterion of `par_year` appraised below its maximum, linked to
    the criterion; returns those created (running it again creates nothing)."""
    from ..selectors import leaf_criteria_with_lost_points, unit_get

    if par_year.agency_id != plan.agency_id:
        raise NotFound(_("Không tìm thấy kết quả thẩm định."), code="par_year_not_found")
    if not may_edit_plan(actor, plan.agency_id):
        raise PermissionDenied(
            _("Chỉ cán bộ phụ trách cải cách hành chính được tạo nhiệm vụ khắc phục."), code="not_allowed"
        )
    if par_year.year >= plan.year:
        raise ApplicationError(
            _("Nhiệm vụ khắc phục lấy từ kết quả thẩm định của năm trước năm kế hoạch."), code="wrong_year"
        )
    created: list[Task] = []
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        done = set(Task.objects.filter(plan=plan, criterion__isnull=False).values_list("criterion_id", flat=True))
        fallback = None
        for criterion in leaf_criteria_with_lost_points(par_year):
            if criterion.pk in done:
                continue
            unit = criterion.responsible_unit
            if unit is not None:
                unit = unit_get(agency_id=plan.agency_id, code=unit.code) if unit.agency_id == plan.agency_id else None
            if unit is None:
                fallback = fallback or _fallback_unit(plan.agency_id)
                unit = fallback
            description = _(
                "Năm %(year)s, tiêu chí %(code)s “%(name)s” được thẩm định %(got)s/%(max)s điểm, bị trừ %(lost)s điểm. "
                "Rà soát nguyên nhân, khắc phục và lưu tài liệu kiểm chứng để không bị trừ điểm năm %(plan_year)s."
            ) % {
                "year": par_year.year,
                "code": criterion.code,
                "name": criterion.name,
                "got": _points(criterion.appraised_score),
                "max": _points(criterion.max_points),
                "lost": _points(criterion.points_lost),
                "plan_year": plan.year,
            }
            code = f"KP-{criterion.code}"[:30]
            if Task.objects.filter(plan=plan, code=code).exists():
                code = ""
            title = (_("Khắc phục tồn tại, hạn chế: %(name)s") % {"name": criterion.name})[:TITLE_MAX]
            created.append(
                task_create(
                    plan=plan,
                    actor=actor,
                    fields=TaskFields(
                        title=title,
                        unit=unit,
                        deadline=rules.year_bounds(plan.year)[1],
                        description=description,
                        expected_output=_("Tiêu chí %(code)s đạt điểm tối đa ở kỳ đánh giá năm %(year)s")
                        % {"code": criterion.code, "year": plan.year},
                        code=code,
                    ),
                    criterion=criterion,
                )
            )
        if created:
            audit_record(
                action="plan.remediation.create",
                actor=actor,
                object_type="plan",
                object_id=plan.pk,
                data={"par_year": par_year.year, "criteria": [t.criterion.code for t in created]},
            )
    return created
