"""Helpers shared by the API routers: strict parsing of query values, ISO 8601 output."""

from datetime import datetime

from django.utils.translation import gettext as _

from .calendar import VN_TZ
from .errors import ApplicationError


def parse_moment(value: str | None, *, name: str) -> datetime:
    """An ISO 8601 moment; without an offset it is read as Vietnam time."""
    if value is None or not value.strip():
        raise ApplicationError(
            _("Thiếu tham số %(name)s (thời điểm theo ISO 8601, ví dụ 2026-03-02T08:00:00+07:00).") % {"name": name},
            code="missing_parameter",
        )
    text = value.strip()
    if "T" in text:
        # An unencoded "+07:00" in a query string arrives as " 07:00".
        text = text.replace(" ", "+")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ApplicationError(
            _(
                "Tham số %(name)s “%(value)s” không phải thời điểm hợp lệ theo ISO 8601"
                " (ví dụ 2026-03-02T08:00:00+07:00)."
            )
            % {"name": name, "value": value},
            code="invalid_datetime",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    if not 2000 <= moment.year <= 2099:
        raise ApplicationError(
            _("Tham số %(name)s phải nằm trong khoảng năm 2000–2099.") % {"name": name}, code="datetime_out_of_range"
        )
    return moment


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in Vietnam time, e.g. 2026-03-02T08:00:00+07:00."""
    if moment is None:
        return None
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


# Free text stored in a TextField (a reason, a comment): bounded all the same, generously.
FREE_TEXT_MAX = 5000


def field_max_length(model, field: str) -> int:
    """The length the database column allows: the API refuses longer text instead of failing on it."""
    return model._meta.get_field(field).max_length


def check_length(value: str, *, name: str, limit: int) -> str:
    """`value` if it fits its column and holds no NUL character (which no database column takes)."""
    if "\x00" in value:
        raise ApplicationError(
            _("Trường %(name)s chứa ký tự NUL (\\0), không được chấp nhận.") % {"name": name},
            code="nul_character",
            details=[name],
        )
    if len(value) > limit:
        raise ApplicationError(
            _("Trường %(name)s dài quá %(limit)s ký tự.") % {"name": name, "limit": limit},
            code="too_long",
            details=[name],
        )
    return value
