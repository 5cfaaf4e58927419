"""Calendar endpoints: what a due moment would be."""

from django.utils.translation import gettext as _
from ninja import Router, Schema

from .api_utils import iso, parse_moment
from .errors import ApplicationError
from .selectors import working_calendar

router = Router(tags=["Lịch làm việc"])

MAX_HOURS = 20_000  # about ten working years: more is a mistake, not a time limit


class DueOut(Schema):
    received_at: str
    counted_from: str
    due_at: str


@router.get(
    "/due",
    response=DueOut,
    summary="Tính thời điểm hẹn trả từ thời điểm tiếp nhận và số giờ làm việc",
    # Both are required; the endpoint checks them itself for a message naming what is missing.
    openapi_extra={
        "parameters": [
            {
                "in": "query",
                "name": "received_at",
                "required": True,
                "schema": {"type": "string"},
                "description": "Thời điểm tiếp nhận theo ISO 8601, ví dụ 2026-03-02T08:00:00+07:00",
            },
            {
                "in": "query",
                "name": "hours",
                "required": True,
                "schema": {"type": "string"},
                "description": "Số giờ làm việc (số nguyên, 0–20000)",
            },
        ]
    },
)
def calendar_due(request, received_at: str | None = None, hours: str | None = None):
    moment = parse_moment(received_at, name="received_at")
    if hours is None or not hours.strip():
        raise ApplicationError(_("Thiếu tham số hours (số giờ làm việc)."), code="missing_parameter")
    try:
        count = int(hours)
    except ValueError:
        raise ApplicationError(_("Tham số hours phải là số nguyên giờ làm việc."), code="invalid_hours") from None
    if count < 0:
        raise ApplicationError(_("Số giờ làm việc không được âm."), code="negative_hours")
    if count > MAX_HOURS:
        raise ApplicationError(_("Số giờ làm việc tối đa là %(max)s.") % {"max": MAX_HOURS}, code="hours_too_large")
    calendar = working_calendar()
    counted_from = calendar.counting_start(moment)
    return {
        "received_at": iso(moment),
        "counted_from": iso(counted_from),
        "due_at": iso(calendar.add_working_hours(counted_from, count)),
    }
