"""The PAR Index over the API: `GET /api/v1/reform/par-index?year=`.

Staff of an agency (a bearer token or the browser's session, as for the service index) read their
agency's year; applicants get 403, anonymous callers 401, a year the agency does not have 404.
"""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from cchc.accounts.auth import api_auth
from cchc.core.errors import NotFound, PermissionDenied

from . import policies, selectors

router = Router(tags=["Chỉ số cải cách hành chính"], auth=api_auth)


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


class CriterionOut(Schema):
    code: str
    parent: str | None
    name: str
    max: float
    method: str
    indicator: str | None
    self_score: float | None
    computed_score: float | None
    appraised_score: float | None
    projected: float
    recoverable: float
    unit: str | None


class ParIndexOut(Schema):
    year: int
    target: float
    projected_total: float
    max: float
    band: str
    criteria: list[CriterionOut]


def _number(value) -> float | None:
    return None if value is None else float(value)


@router.get(
    "/par-index",
    response={200: ParIndexOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Chỉ số cải cách hành chính (PAR Index) dự kiến của một năm",
)
def par_index(request, year: int | None = Query(None, description="Năm đánh giá (mặc định: năm gần nhất)")):
    """The year's projected total against its target and its band, with every criterion in tree
    order: maximum, method, linked indicator, self-score, computed score (by method: the self-score,
    max × the live indicator's value ÷ 100, or the survey score), appraised score, projected points,
    points still recoverable and the responsible unit's code."""
    user = request.auth
    if not policies.may_view(user):
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan xem được chỉ số cải cách hành chính."))
    par_year = selectors.par_year_for(user=user, year=year)
    if par_year is None:
        raise NotFound(_("Không tìm thấy năm đánh giá."), code="par_year_not_found")
    result = selectors.par_index(par_year=par_year)
    return {
        "year": par_year.year,
        "target": float(result.target),
        "projected_total": float(result.projected_total),
        "max": float(result.max_points),
        "band": result.band,
        "criteria": [
            {
                "code": row.scored.code,
                "parent": row.scored.parent,
                "name": row.criterion.name,
                "max": float(row.scored.max_points),
                "method": row.criterion.method,
                "indicator": row.criterion.indicator or None,
                "self_score": _number(row.scored.self_score),
                "computed_score": _number(row.scored.computed_score),
                "appraised_score": _number(row.scored.appraised_score),
                "projected": float(row.scored.projected),
                "recoverable": float(row.scored.recoverable),
                "unit": row.criterion.responsible_unit.code if row.criterion.responsible_unit_id else None,
            }
            for row in result.rows
        ],
    }
