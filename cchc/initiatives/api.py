"""Initiatives over the API: `GET /api/v1/initiatives?unit=&status=` and `GET /api/v1/initiatives/{id}`.

Staff only, with the access rule of `selectors.initiative_visible_to`: leaders, the reform officer
and the administrator see their agency's; other staff their unit's (another unit as a filter: 403;
another unit's initiative: 404); applicants get 403. An unknown unit code or status: 400.
"""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from cchc.accounts.auth import api_auth
from cchc.core.errors import NotFound, PermissionDenied

from . import selectors
from .models import Initiative
from .policies import is_staff

router = Router(tags=["Sáng kiến, mô hình mới"], auth=api_auth)


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


class UnitOut(Schema):
    code: str
    name: str


class InitiativeOut(Schema):
    id: int
    title: str
    unit: UnitOut
    started_on: date
    status: str
    status_label: str
    recognised: bool
    recognition_level: str
    recognition_decision: str
    indicator_codes: list[str]
    measured_agency_wide: bool


class EffectRowOut(Schema):
    code: str
    name: str
    before: float | None
    after: float | None
    change: float | None


class EffectOut(Schema):
    months: int | None
    before_from: date | None
    before_to: date | None
    after_from: date | None
    after_to: date | None
    scope: str
    indicators: list[EffectRowOut]


class InitiativeDetailOut(InitiativeOut):
    description: str
    effect: EffectOut


def _out(initiative: Initiative) -> dict:
    return {
        "id": initiative.pk,
        "title": initiative.title,
        "unit": {"code": initiative.unit.code, "name": initiative.unit.name},
        "started_on": initiative.started_on,
        "status": initiative.status,
        "status_label": str(initiative.get_status_display()),
        "recognised": initiative.recognised,
        "recognition_level": initiative.recognition_level,
        "recognition_decision": initiative.recognition_decision,
        "indicator_codes": list(initiative.indicator_codes),
        "measured_agency_wide": initiative.measured_agency_wide,
    }


def _staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan được xem sáng kiến."), code="not_allowed")


@router.get(
    "",
    response={200: list[InitiativeOut], 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="Danh sách sáng kiến, mô hình mới",
)
def initiative_list(
    request,
    unit: str = Query("", description="Mã đơn vị, ví dụ QLVT"),
    status: str = Query("", description="proposed, applied, replicated hoặc stopped"),
):
    """Newest start first. `status_label` is the Vietnamese name of `status`."""
    found_unit, found_status = selectors.parse_filters(user=request.auth, unit_code=unit, status=status)
    return [_out(i) for i in selectors.initiatives_list(user=request.auth, unit=found_unit, status=found_status)]


@router.get(
    "/{initiative_id}",
    response={200: InitiativeDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Một sáng kiến và hiệu quả trên các chỉ số",
)
def initiative_detail(request, initiative_id: int):
    """`effect.indicators`: each linked indicator N months before and after the start, in percent,
    and the change in percentage points; null when not measured (not enough data)."""
    _staff(request.auth)
    initiative = selectors.initiative_get(user=request.auth, pk=initiative_id)
    if initiative is None:
        raise NotFound(_("Không tìm thấy sáng kiến."), code="initiative_not_found")
    effect = selectors.initiative_effect(initiative=initiative)
    windows = effect.windows
    return {
        **_out(initiative),
        "description": initiative.description,
        "effect": {
            "months": windows.months if windows else None,
            "before_from": windows.before_from if windows else None,
            "before_to": windows.before_to if windows else None,
            "after_from": windows.after_from if windows else None,
            "after_to": windows.after_to if windows else None,
            "scope": effect.scope,
            "indicators": [
                {"code": r.code, "name": r.name, "before": r.before, "after": r.after, "change": r.change}
                for r in effect.rows
            ],
        },
    }
