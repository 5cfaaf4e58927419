"""Demo initiatives (fictional), registered by the demo reform officer through the services.

Start dates are set relative to the day of loading, inside the three months of demo dossiers, so
their before/after comparison has figures. Running it again changes nothing (keyed on the title).
"""

from datetime import timedelta

from django.db import transaction

from cchc.accounts.models import Agency, Unit, User
from cchc.accounts.roles import Role
from cchc.core import clock

from .models import Initiative
from .services import InitiativeInput, initiative_create, initiative_set_status
from .workflow import Status

INITIATIVES = (
    {
        "title": "Hẹn giờ trả kết quả qua Zalo",
        "unit": "MOTCUA",
        "days_ago": 45,
        "status": Status.APPLIED,
        "agency_wide": True,
        "codes": ("satisfaction.satisfaction", "progress.on_time"),
        "description": "Khi hồ sơ có kết quả, Bộ phận Một cửa nhắn tin Zalo hẹn khung giờ đến nhận, để người dân "
        "không phải chờ tại quầy; người dân có thể đổi sang nhận qua bưu chính.",
    },
    {
        "title": "Tổ hỗ trợ nộp hồ sơ trực tuyến tại Bộ phận Một cửa",
        "unit": "MOTCUA",
        "days_ago": 62,
        "status": Status.REPLICATED,
        "agency_wide": True,
        "codes": ("online.dossiers", "payment.dossiers", "digitisation.reused"),
        "recognised": ("department", "125/QĐ-SGTVT"),
        "description": "Hai công chức trực máy tính tại sảnh hướng dẫn người dân tự nộp hồ sơ trực tuyến, thanh "
        "toán phí, lệ phí không dùng tiền mặt và lưu giấy tờ vào kho dữ liệu cá nhân.",
    },
    {
        "title": "Số hóa thành phần hồ sơ ngay khi tiếp nhận",
        "unit": "QLVT",
        "days_ago": 40,
        "status": Status.APPLIED,
        "codes": ("digitisation.digitised", "digitisation.reused", "progress.on_time"),
        "description": "Phòng Quản lý vận tải số hóa toàn bộ thành phần hồ sơ ngay tại bước tiếp nhận, chuyên viên "
        "xử lý trên bản điện tử, không chuyển hồ sơ giấy giữa các bộ phận.",
    },
    {
        "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ điện tử",
        "unit": "QLVT",
        "days_ago": -10,
        "status": Status.PROPOSED,
        "codes": ("progress.on_time", "progress.average_time"),
        "description": "Đề xuất thay phiếu kiểm soát giấy bằng phiếu điện tử tự động ghi thời điểm nhận, chuyển "
        "từng bước, cảnh báo bước sắp quá hạn cho trưởng phòng.",
    },
)


@transaction.atomic
def load_demo_initiatives(agency: Agency) -> int:
    """Register the demo initiatives of `agency`; returns how many were made (0 when already there)."""
    officer = User.objects.filter(agency=agency, role=Role.REFORM_OFFICER, is_active=True).order_by("pk").first()
    if officer is None:
        return 0
    today = clock.localdate()
    made = 0
    for item in INITIATIVES:
        if Initiative.objects.filter(agency=agency, title=item["title"]).exists():
            continue
        unit = Unit.objects.filter(agency=agency, code=item["unit"], valid_to__isnull=True).first()
        if unit is None:
            continue
        level, decision = item.get("recognised", ("", ""))
        data = InitiativeInput(
            unit=unit,
            title=item["title"],
            started_on=today - timedelta(days=item["days_ago"]),
            description=item["description"],
            indicator_codes=item["codes"],
            recognised=bool(level),
            recognition_level=level,
            recognition_decision=decision,
            measured_agency_wide=item.get("agency_wide", False),
        )
        start = Status.PROPOSED if item["status"] == Status.PROPOSED else Status.APPLIED
        initiative = initiative_create(user=officer, data=data, status=start)
        if item["status"] != start:
            initiative_set_status(initiative=initiative, user=officer, status=item["status"])
        made += 1
    return made
