"""The service index over the API: `GET /api/v1/reports/service-index`.

Staff only, with the access rule of `selectors.report_scope`: leaders, the reform officer and the
administrator see any scope of their agency; a unit head their unit (another unit: 403); a
one-stop officer the dossiers they received; specialists and applicants get 403. Bad dates: 400.
"""

from ninja import Query, Router, Schema

from cchc.accounts.auth import api_auth

from . import selectors
from .rankings import parse_ranking, ranking

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
    apologised: int


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
    number: str  # the indicator's number in the national portal's description ("1.4", "5.3"…)
    name: str
    value: float | None
    numerator: int | None
    denominator: int | None
    points: float | None
    max: float
    threshold: float
    counted: bool
    reason: str | None
    note: str | None
    source: str  # "local": measured from CCHC's data; "national": measured at the national portal
    source_label: str | None  # "Đo tại Cổng DVCQG" for the national ones
    weight_source: str  # "S": weight from a secondary source; "NF": not found (configurable); "config"
    drilldown: DrilldownOut | None
    breakdown: BreakdownOut | None = None
    procedures: list[ProcedureTimeOut] | None = None


class GroupOut(Schema):
    code: str
    name: str
    points: float
    max: float  # the portal's maximum for the group (18, 20, 12, 10, 22, 18)
    full_max: float  # the same (kept for clients written before the 100-point scale)
    measured_max: float  # the maxima of the indicators that had something to measure
    indicators: list[IndicatorOut]


class IndexOut(Schema):
    total: float
    max: float  # 100: the national scale
    percent: float | None
    measured_max: float
    measured_percent: float | None
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
    centre: str = Query("", description="Mã nơi tiếp nhận (trung tâm, xã, phường): hồ sơ do nơi đó tiếp nhận"),
    province: str = Query("", description="1: toàn tỉnh, tổng các cơ quan (lãnh đạo tỉnh; mặc định của họ)"),
):
    """Total points out of `max` = 100 and the six groups of the national portal with their maxima
    (18, 20, 12, 10, 22, 18) and indicators, for a period (by default the current month) and a
    scope. `value` is a percentage; an indicator with nothing to measure, not applicable to the scope,
    or measured at the national portal (`source: "national"`) without an entered figure has
    `counted: false` and 0 points, and stays in `max`. `measured_max` and `measured_percent` read the
    total against what could be measured. `drilldown` links to the lists of dossiers (or procedures,
    or complaints) behind the numerator and the denominator."""
    params = {
        "from": date_from,
        "to": date_to,
        "agency": agency,
        "unit": unit,
        "procedure": procedure,
        "field": field,
        "officer": officer,
        "centre": centre,
        "province": province,
    }
    scope = selectors.report_scope(user=request.auth, params=params)
    return selectors.service_index_for(scope)


class RankedAgencyOut(Schema):
    code: str
    name: str


class RankingOut(Schema):
    rank: int
    agency: RankedAgencyOut
    total: float  # the service index (Decision 766), points
    max: float  # the points the agency could score in the period


@router.get(
    "/rankings",
    auth=None,
    response={200: list[RankingOut], 400: ErrorOut},
    summary="Xếp hạng sở, ngành hoặc xã, phường theo Chỉ số chất lượng phục vụ (tháng, quý, năm)",
    description=(
        "`level`: `department` hoặc `commune`; `year`; `month` (1–12) hoặc `quarter` (1–4), bỏ trống: cả năm. "
        "Cùng điểm thì cùng hạng. Công khai, không cần đăng nhập."
    ),
)
def rankings(request, level: str = "", year: str = "", month: str = "", quarter: str = ""):
    asked = parse_ranking(level=level.strip(), year=year.strip(), month=month.strip(), quarter=quarter.strip())
    return [
        {
            "rank": row.rank,
            "agency": {"code": row.agency.code, "name": row.agency.name},
            "total": row.total,
            "max": row.max,
        }
        for row in ranking(**asked)
    ]
