"""The province's organisation: `GET /api/v1/agencies`."""

from django.utils.translation import gettext as _
from ninja import Router, Schema

from cchc.core.api_utils import check_length
from cchc.core.errors import ApplicationError

from .models import Agency
from .selectors import agency_list

router = Router(tags=["Cơ quan"])
SEARCH_MAX = 200


class AgencyOut(Schema):
    code: str
    name: str
    level: str  # province | department | centre | commune
    parent: str | None  # the parent agency's code
    valid_from: str | None  # yyyy-mm-dd
    valid_to: str | None
    successor: str | None  # the successor agency's code


def agency_out(agency: Agency) -> dict:
    return {
        "code": agency.code,
        "name": agency.name,
        "level": agency.level,
        "parent": agency.parent.code if agency.parent_id else None,
        "valid_from": agency.valid_from.isoformat() if agency.valid_from else None,
        "valid_to": agency.valid_to.isoformat() if agency.valid_to else None,
        "successor": agency.successor.code if agency.successor_id else None,
    }


@router.get(
    "",
    response=list[AgencyOut],
    summary="Các cơ quan của tỉnh: UBND tỉnh, sở, trung tâm phục vụ hành chính công, xã, phường",
    description=(
        "`level` lọc theo cấp: `province`, `department`, `centre`, `commune`. `q` tìm theo tên, không phân biệt "
        "dấu và hoa thường (ví dụ `dai phuoc`)."
    ),
)
def agency_index(request, level: str = "", q: str = ""):
    level = level.strip()
    if level and level not in Agency.Level.values:
        raise ApplicationError(
            _("Tham số level phải là một trong: %(values)s.") % {"values": ", ".join(Agency.Level.values)},
            code="invalid_level",
        )
    check_length(q, name="q", limit=SEARCH_MAX)
    return [agency_out(a) for a in agency_list(level=level, q=q)]
