"""The service index over the API: `GET /api/v1/reports/service-index`.

Staff only, with the access rule of `selectors.report_scope`: leaders, the reform officer and the
administrator see any scope of their agency; a unit head their unit (another unit: 403); a
one-stop officer the dossiers they received; specialists and applicants get 403. Bad dates: 400.
"""

from ninja import Query, Router, Schema

from cchc.accounts.auth import api_auth

from . import selectors

router = Router(tags=["Báo cáo, chỉ số"], auth=api_auth)


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list


class BreakdownOut(Schema):
    early: int
    on_time: int
    late_finished: int
    late_open: int


class ProcedureTimeOut(Schema):
    code: str
    name: str
    dossiers: int
    average_days: float
    limit_days: float
    within_limit: bool


class DrilldownOut(Schema):
    numerator: str
    denominator: str


class IndicatorOut(Schema):
    code: str
    name: str
    value: float | None
    numerator: int | None
    denominator: int | None
    points: float | None
    max: float
    threshold: float
    counted: bool
    reason: str | None
    drilldown: DrilldownOut | None
    breakdown: BreakdownOut | None = None
    procedures: list[ProcedureTimeOut] | None = None


class GroupOut(Schema):
    code: str
    name: str
    points: float
    max: float
    full_max: float
    indicators: list[IndicatorOut]


class IndexOut(Schema):
    total: float
    max: float
    percent: float | None
    period: dict[str, str]
    scope: dict[str, str]
    groups: list[GroupOut]


@router.get(
    "/service-index",
    response={200: IndexOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)",
)
def service_index(
    request,
    date_from: str | None = Query(None, alias="from", description="Từ ngày: dd/mm/yyyy hoặc yyyy-mm-dd"),
    date_to: str | None = Query(None, alias="to", description="Đến ngày: dd/mm/yyyy hoặc yyyy-mm-dd"),
    agency: str = Query("", description="Mã định danh cơ quan (mặc định: cơ quan của bạn)"),
    unit: str = Query("", description="Mã đơn vị chủ trì"),
    procedure: str = Query("", description="Mã thủ tục, ví dụ 1.000010"),
    field: str = Query("", description="Mã lĩnh vực"),
    officer: str = Query("", description="Tên đăng nhập của cán bộ tiếp nhận"),
):
    """Total points, maximum and the six groups with their indicators for a period (by default the
    current month) and a scope. `value` is a percentage; an indicator with nothing to measure has
    `counted: false` and no points, and its maximum is not part of `max`. `drilldown` links to the
    lists of dossiers (or procedures, or complaints) behind the numerator and the denominator."""
    params = {
        "from": date_from,
        "to": date_to,
        "agency": agency,
        "unit": unit,
        "procedure": procedure,
        "field": field,
        "officer": officer,
    }
    scope = selectors.report_scope(user=request.auth, params=params)
    return selectors.service_index_for(scope)
