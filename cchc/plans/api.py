"""Plans over the API: `GET /api/v1/plans/tasks` and `GET /api/v1/plans/commitments`.

Same authentication as the other endpoints (a bearer token or the browser's session). What each
caller sees follows `selectors`: leaders, the reform officer and the administrator their agency's
whole plan; other staff their unit's tasks and commitments; applicants nothing (403).
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from cchc.accounts.auth import api_auth
from cchc.core import clock
from cchc.core.errors import PermissionDenied

from . import selectors
from .policies import is_agency_staff

router = Router(tags=["Kế hoạch, cam kết cải cách hành chính"], auth=api_auth)


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


class TaskOut(Schema):
    id: int
    year: int
    code: str
    title: str
    unit: str
    unit_name: str
    lead: str | None
    deadline: date
    expected_output: str
    status: str
    status_label: str
    progress: int
    late: bool
    criterion: str | None


class TargetOut(Schema):
    label: str
    indicator: str | None
    comparison: str
    target: float
    actual: float | None
    met: bool | None


class CommitmentOut(Schema):
    id: int
    year: int
    unit: str
    unit_name: str
    status: str
    status_label: str
    signer: str | None
    signed_at: str | None
    countersigner: str | None
    countersigned_at: str | None
    sha256: str | None
    targets: list[TargetOut]
    tasks: list[str]


def _staff(request):
    user = request.auth
    if not is_agency_staff(user):
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan được xem kế hoạch cải cách hành chính."))
    return user


def _year(year: int | None) -> int:
    return year or clock.localdate().year


@router.get(
    "/tasks",
    response={200: list[TaskOut], 401: ErrorOut, 403: ErrorOut},
    summary="Nhiệm vụ trong kế hoạch cải cách hành chính",
)
def tasks(
    request,
    year: int | None = Query(None, description="Năm kế hoạch (mặc định: năm nay)", ge=2000, le=2100),
    unit: str = Query("", description="Mã đơn vị chủ trì, ví dụ QLVT"),
    late: bool | None = Query(None, description="true: chỉ nhiệm vụ trễ hạn; false: không trễ hạn"),
):
    """The tasks of the year's plan the caller may see, by deadline; `late` marks those past their
    deadline and not finished."""
    user = _staff(request)
    rows = selectors.api_tasks(user=user, year=_year(year), unit_code=unit.strip(), late=late)
    return [
        {
            "id": t.pk,
            "year": t.plan.year,
            "code": t.code,
            "title": t.title,
            "unit": t.unit.code,
            "unit_name": t.unit.name,
            "lead": t.lead.username if t.lead else None,
            "deadline": t.deadline,
            "expected_output": t.expected_output,
            "status": t.status,
            "status_label": t.get_status_display(),
            "progress": t.progress,
            "late": t.is_late,
            "criterion": t.criterion.code if t.criterion else None,
        }
        for t in rows
    ]


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


@router.get(
    "/commitments",
    response={200: list[CommitmentOut], 401: ErrorOut, 403: ErrorOut},
    summary="Cam kết cải cách hành chính của các đơn vị",
)
def commitments(
    request, year: int | None = Query(None, description="Năm cam kết (mặc định: năm nay)", ge=2000, le=2100)
):
    """The units' commitments the caller may see, with each target's year-to-date figure."""
    user = _staff(request)
    out = []
    for c in selectors.commitment_list(user=user, year=_year(year)).select_related("agency").prefetch_related("tasks"):
        rows = selectors.target_rows(c)
        out.append(
            {
                "id": c.pk,
                "year": c.year,
                "unit": c.unit.code,
                "unit_name": c.unit.name,
                "status": c.status,
                "status_label": c.get_status_display(),
                "signer": c.signer.username if c.signer else None,
                "signed_at": _iso(c.signed_at),
                "countersigner": c.countersigner.username if c.countersigner else None,
                "countersigned_at": _iso(c.countersigned_at),
                "sha256": c.sha256 or None,
                "targets": [
                    {
                        "label": r.label,
                        "indicator": r.target.indicator or None,
                        "comparison": r.target.comparison,
                        "target": float(r.target.target),
                        "actual": None if r.ytd_value is None else round(float(r.ytd_value), 2),
                        "met": r.ytd_met,
                    }
                    for r in rows
                ],
                "tasks": sorted(t.code for t in c.tasks.all()),
            }
        )
    return out
