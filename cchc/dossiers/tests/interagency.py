"""An inter-agency (liên thông) procedure for tests: commune A receives and verifies, the demo
department appraises and decides, commune A returns the result. Commune B takes no part."""

from cchc.accounts.models import Agency
from cchc.demo.loader import DEMO_AGENCY_CODE
from cchc.procedures.models import Procedure
from cchc.procedures.rules import ComponentSpec, ProcedureSpec, StepSpec
from cchc.procedures.services import field_upsert, procedure_publish

from .province import build_province

CODE = "9.000001"


def build_inter_agency_procedure() -> Procedure:
    province = build_province()
    department = Agency.objects.get(code=DEMO_AGENCY_CODE)
    field_upsert(code="DD", name="Đất đai")
    spec = ProcedureSpec(
        code=CODE,
        name="Xác nhận và đăng ký biến động (liên thông xã - sở)",
        field_code="DD",
        unit_code="QLVT",
        applicants="Cá nhân",
        time_limit_value=18,
        time_limit_unit="working_hours",
        online_level=4,
        result_type="paper",
        result_name="Giấy xác nhận",
        legal_basis=("Luật Đất đai số 31/2024/QH15",),
        components=(ComponentSpec(name="Đơn đề nghị", originals=1),),
        steps=(
            StepSpec(name="Tiếp nhận hồ sơ", unit_code="MOTCUA", role="one_stop_officer", hours=1),
            StepSpec(name="Xác minh tại xã", unit_code="QLVT", role="specialist", hours=4),
            StepSpec(
                name="Thẩm định tại Sở", unit_code="QLVT", role="specialist", hours=8, agency_code=department.code
            ),
            StepSpec(
                name="Lãnh đạo Sở phê duyệt", unit_code="BGD", role="leader", hours=4, agency_code=department.code
            ),
            StepSpec(name="Trả kết quả", unit_code="MOTCUA", role="one_stop_officer", hours=1),
        ),
    )
    procedure_publish(agency=province.commune_a, spec=spec)
    return Procedure.objects.select_related("current_version").get(code=CODE)
