"""A small province for tests: the provincial centre and two communes, each commune with a counter,
a division and its leadership, and the demo procedure 1.000010 offered by both communes (commune
B on its own adopted process)."""

from dataclasses import dataclass
from datetime import date

from cchc.accounts.models import Agency
from cchc.accounts.services import agency_upsert, province_upsert, unit_upsert, user_upsert
from cchc.procedures.models import Procedure
from cchc.procedures.services import offering_adopt_process, offering_set

PASSWORD = "demo12345"  # noqa: S105 - the demo accounts' password, for the token endpoint
CODE = "1.000010"
COMMITTEE = "000.00.00.H99"
CENTRE = "000.00.01.H99"
COMMUNE_A = "000.01.01.H99"
COMMUNE_B = "000.01.02.H99"


@dataclass
class Province:
    committee: Agency
    centre: Agency
    commune_a: Agency
    commune_b: Agency
    procedure: Procedure


def _commune(code: str, name: str, *, province, parent, prefix: str) -> Agency:
    commune = agency_upsert(code=code, name=name, province=province, level="commune", parent=parent)
    start = date(2025, 7, 1)
    units = {
        unit_code: unit_upsert(agency=commune, code=unit_code, name=unit_name, kind=kind, valid_from=start)
        for unit_code, unit_name, kind in (
            ("MOTCUA", "Bộ phận Một cửa", "one_stop"),
            ("QLVT", "Phòng Văn hóa - Xã hội", "division"),
            ("BGD", "Lãnh đạo UBND xã", "leadership"),
        )
    }
    for username, role, unit in (
        (f"{prefix}_motcua", "one_stop_officer", "MOTCUA"),
        (f"{prefix}_chuyenvien", "specialist", "QLVT"),
        (f"{prefix}_truongphong", "unit_head", "QLVT"),
        (f"{prefix}_lanhdao", "leader", "BGD"),
    ):
        user_upsert(
            username=username, password=PASSWORD, role=role, full_name=username, agency=commune, unit=units[unit]
        )
    return commune


def build_province() -> Province:
    province = province_upsert(code="H99", name="Tỉnh Bình Sơn")
    committee = agency_upsert(code=COMMITTEE, name="UBND tỉnh Bình Sơn", province=province, level="province")
    centre = agency_upsert(
        code=CENTRE,
        name="Trung tâm Phục vụ hành chính công tỉnh",
        province=province,
        level="centre",
        parent=committee,
    )
    unit_upsert(agency=centre, code="MOTCUA", name="Quầy tiếp nhận", kind="one_stop", valid_from=date(2025, 7, 1))
    user_upsert(
        username="tt_motcua",
        password=PASSWORD,
        role="one_stop_officer",
        full_name="Cán bộ Trung tâm",
        agency=centre,
        unit=centre.units.get(),
    )
    user_upsert(username="tinh_lanhdao", password=PASSWORD, role="leader", full_name="Lãnh đạo tỉnh", agency=committee)
    commune_a = _commune(COMMUNE_A, "Xã An Phú", province=province, parent=committee, prefix="xa_a")
    commune_b = _commune(COMMUNE_B, "Xã Đại Phước", province=province, parent=committee, prefix="xa_b")
    procedure = Procedure.objects.select_related("current_version").get(code=CODE)
    offering_set(procedure=procedure, agency=commune_a)
    offering_b = offering_set(
        procedure=procedure,
        agency=commune_b,
        unit=commune_b.units.get(code="QLVT"),
        local_note="Trả kết quả buổi sáng.",
    )
    offering_adopt_process(offering=offering_b)
    return Province(committee, centre, commune_a, commune_b, procedure)
