"""Review rounds over the API (read-only): `GET /api/v1/simplification/rounds` and
`GET /api/v1/simplification/rounds/{id}` with each procedure's cost before and after, the saving
and the annual totals. The access rule of the pages: reform officer, administrator and leaders see
the agency's rounds, a unit head their unit's procedures in them; others 403; another agency's
round 404."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Router, Schema

from cchc.accounts.auth import api_auth
from cchc.core.errors import NotFound, PermissionDenied

from . import selectors
from .policies import may_view

router = Router(tags=["Rà soát, đơn giản hóa TTHC"], auth=api_auth)


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


class RoundOut(Schema):
    id: int
    year: int
    name: str
    period_start: date
    period_end: date
    status: str
    monthly_income: int


class ReviewOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    volume: int
    cost_before: int
    cost_after: int
    saving_percent: float | None
    annual_before: int
    annual_after: int
    annual_saving: int
    status: str
    changes: list[str]


class TotalsOut(Schema):
    procedures: int
    annual_before: int
    annual_after: int
    annual_saving: int
    saving_percent: float | None


class RoundDetailOut(RoundOut):
    procedures: list[ReviewOut]
    totals: TotalsOut


def _user(request):
    if not may_view(request.user):
        raise PermissionDenied(_("Bạn không có quyền xem kết quả rà soát thủ tục hành chính."), code="not_allowed")
    return request.user


def _round_out(round) -> dict:
    return {
        "id": round.pk,
        "year": round.year,
        "name": round.name,
        "period_start": round.period_start,
        "period_end": round.period_end,
        "status": round.status,
        "monthly_income": round.monthly_income,
    }


@router.get("/rounds", response={200: list[RoundOut], 403: ErrorOut}, summary="Các đợt rà soát thủ tục")
def round_list(request):
    return [_round_out(r) for r in selectors.rounds_for(user=_user(request))]


@router.get(
    "/rounds/{round_id}",
    response={200: RoundDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="Chi phí tuân thủ trước, sau và tỷ lệ cắt giảm của một đợt rà soát",
)
def round_detail(request, round_id: int):
    user = _user(request)
    round = selectors.round_get(user=user, pk=round_id)
    if round is None:
        raise NotFound(_("Không tìm thấy đợt rà soát."))
    rows, totals = selectors.round_figures(user=user, round=round)
    return _round_out(round) | {
        "procedures": [
            {
                "id": f.review.pk,
                "code": f.review.procedure.code,
                "name": f.review.version.name,
                "unit": f.review.version.unit.name,
                "volume": f.volume,
                "cost_before": f.before.total,
                "cost_after": f.after.total,
                "saving_percent": None if f.saving_percent is None else float(f.saving_percent),
                "annual_before": f.annual_before,
                "annual_after": f.annual_after,
                "annual_saving": f.annual_saving,
                "status": f.review.status,
                "changes": [c.get_kind_display() for c in selectors.changes_of(f.review)],
            }
            for f in rows
        ],
        "totals": {
            "procedures": totals.procedures,
            "annual_before": totals.annual_before,
            "annual_after": totals.annual_after,
            "annual_saving": totals.annual_saving,
            "saving_percent": None if totals.saving_percent is None else float(totals.saving_percent),
        },
    }
