"""The demo province around the department: the People's Committee, the provincial centre, three
departments, ten communes with their counters, divisions, leaders and procedures, and the merger
of the department of transport into the department of construction (1 March 2025).

Everything goes through the services; running it again changes nothing."""

from datetime import date
from pathlib import Path

import yaml
from django.db import transaction

from cchc.accounts.models import Agency
from cchc.accounts.roles import Role
from cchc.accounts.services import agency_upsert, province_upsert, unit_upsert, user_upsert
from cchc.dossiers.services import agency_merge
from cchc.procedures.models import Procedure
from cchc.procedures.services import offering_set, procedure_withdraw

DATA = Path(__file__).resolve().parent / "data"
COMMUNE_PROCEDURES = DATA / "commune-procedures.yaml"
# Commune procedures whose process continues in a department (liên thông), offered by every commune.
INTER_AGENCY_PROCEDURES = DATA / "inter-agency-procedures.yaml"
WITHDRAWN_FIELDS = ("GTDB",)  # driving licences and driver training: to the police from 1 March 2025
TWO_LEVELS = date(2025, 7, 1)
CENTRE_OFFICER = "motcua_tinh"
PROVINCE_LEADER = "lanhdao_tinh"


def _data() -> dict:
    with (DATA / "province.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def province_loaded() -> bool:
    merger = _data()["merger"]
    return Agency.objects.filter(code=merger["old"], successor__code=merger["new"]).exists()


def commune_code(number: int) -> str:
    return f"000.01.{number:02d}.H99"


def commune_staff(number: int) -> dict[str, str]:
    """The demo accounts of the commune numbered `number` (1: motcua_xa, chuyenvien_xa, lanhdao_xa)."""
    suffix = "" if number == 1 else str(number)
    return {
        Role.ONE_STOP_OFFICER: f"motcua_xa{suffix}",
        Role.SPECIALIST: f"chuyenvien_xa{suffix}",
        Role.LEADER: f"lanhdao_xa{suffix}",
    }


def demo_usernames() -> list[str]:
    names = [CENTRE_OFFICER, PROVINCE_LEADER]
    for department in _data()["departments"]:
        names.extend(person["username"] for person in department.get("staff", []))
    for number in range(1, len(_data()["communes"]) + 1):
        names.extend(commune_staff(number).values())
    return names


def _agency(item: dict, *, province, level: str, parent=None, **extra) -> Agency:
    return agency_upsert(
        code=item["code"],
        name=item["name"],
        place_name=item.get("place_name", "Bình Sơn"),
        parent_name="UBND TỈNH BÌNH SƠN",
        province=province,
        level=level,
        parent=parent,
        **extra,
    )


def _units(agency: Agency, units: list[dict]) -> dict:
    return {
        u["code"]: unit_upsert(agency=agency, code=u["code"], name=u["name"], kind=u["kind"], valid_from=TWO_LEVELS)
        for u in units
    }


def _person(username: str, role: str, name: str, agency: Agency, unit) -> None:
    from .loader import DEMO_PASSWORD

    user_upsert(
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        full_name=name,
        email=f"{username}@example.vn",
        agency=agency,
        unit=unit,
    )


@transaction.atomic
def _organisation(data: dict) -> tuple[Agency, list[Agency]]:
    province = province_upsert(code=data["province"]["code"], name=data["province"]["name"])
    committee = _agency(data["committee"], province=province, level=Agency.Level.PROVINCE)
    units = _units(committee, data["committee"]["units"])
    _person(PROVINCE_LEADER, Role.LEADER, "Trịnh Quốc Khánh (Phó Chủ tịch UBND tỉnh)", committee, units["LD"])
    centre = _agency(data["centre"], province=province, level=Agency.Level.CENTRE, parent=committee)
    units = _units(centre, data["centre"]["units"])
    _person(CENTRE_OFFICER, Role.ONE_STOP_OFFICER, "Lý Thị Mai", centre, units["MOTCUA"])
    for item in data["departments"]:
        department = _agency(item, province=province, level=Agency.Level.DEPARTMENT, parent=committee)
        units = _units(department, item.get("units", []))
        for person in item.get("staff", []):
            _person(person["username"], person["role"], person["name"], department, units[person["unit"]])
    # The departments of the organisation file join the province (keeping their own details).
    for agency in Agency.objects.filter(province__isnull=True, level=Agency.Level.DEPARTMENT):
        Agency.objects.filter(pk=agency.pk).update(province=province, parent=committee)
    communes = []
    for number, name in enumerate(data["communes"], start=1):
        commune = _agency(
            {"code": commune_code(number), "name": name},
            province=province,
            level=Agency.Level.COMMUNE,
            parent=committee,
            valid_from=TWO_LEVELS,
        )
        units = _units(commune, data["commune_units"])
        staff = commune_staff(number)
        _person(staff[Role.ONE_STOP_OFFICER], Role.ONE_STOP_OFFICER, f"Cán bộ Một cửa {name}", commune, units["MOTCUA"])
        _person(staff[Role.SPECIALIST], Role.SPECIALIST, f"Công chức Văn hóa - Xã hội {name}", commune, units["VHXH"])
        _person(staff[Role.LEADER], Role.LEADER, f"Chủ tịch UBND {name}", commune, units["LD"])
        communes.append(commune)
    return committee, communes


def load_province() -> dict[str, int]:
    """The province around the department; returns what it holds."""
    from cchc.privacy.demo import load_privacy_demo

    from .loader import load_procedures

    data = _data()
    committee, communes = _organisation(data)
    merger = data["merger"]
    old, new = Agency.objects.get(code=merger["old"]), Agency.objects.get(code=merger["new"])
    agency_merge(old=old, new=new, on=merger["day"])
    # Driving licences and driver training went to the police on 1 March 2025.
    for procedure in Procedure.objects.filter(current_version__field__code__in=WITHDRAWN_FIELDS):
        procedure_withdraw(procedure=procedure)
    count, _changed = load_procedures(committee, COMMUNE_PROCEDURES)
    inter_agency, _changed = load_procedures(committee, INTER_AGENCY_PROCEDURES)
    codes = []
    for path in (COMMUNE_PROCEDURES, INTER_AGENCY_PROCEDURES):
        with open(path, encoding="utf-8") as handle:
            codes += [str(item["code"]) for item in yaml.safe_load(handle)["procedures"]]
    for procedure in Procedure.objects.filter(code__in=codes):
        for commune in communes:
            offering_set(procedure=procedure, agency=commune, unit=commune.units.get(code="VHXH"))
    load_privacy_demo(demo_usernames())
    return {"communes": len(communes), "commune_procedures": count, "inter_agency_procedures": inter_agency}


def demo_teams() -> list[tuple[Agency, dict, list[str]]]:
    """Who makes the demo dossiers of each agency: the department of construction's team, then each
    commune's, with the counters elsewhere in the province that also receive for it."""
    if not province_loaded():
        return []
    data = _data()
    construction = Agency.objects.get(code=data["merger"]["new"])
    teams = [
        (
            construction,
            {
                Role.ONE_STOP_OFFICER: "motcua",
                Role.SPECIALIST: "chuyenvien",
                Role.UNIT_HEAD: "truongphong",
                Role.LEADER: "lanhdao",
            },
            [CENTRE_OFFICER],
        )
    ]
    total = len(data["communes"])
    for number in range(1, total + 1):
        staff = commune_staff(number)
        neighbour = commune_staff(number % total + 1)[Role.ONE_STOP_OFFICER]
        # The chair assigns the work: a commune division has no separate head in the demo.
        staff = {**staff, Role.UNIT_HEAD: staff[Role.LEADER]}
        teams.append((Agency.objects.get(code=commune_code(number)), staff, [CENTRE_OFFICER, neighbour]))
    return teams


def partner_teams() -> dict[int, dict[str, str]]:
    """{agency id: {role: username}} of the departments that take part in the communes' inter-agency
    procedures: who does their steps in the demo dossiers."""
    if not province_loaded():
        return {}
    teams = {}
    for department in _data()["departments"]:
        staff = {person["role"]: person["username"] for person in department.get("staff", [])}
        if staff:
            agency = Agency.objects.get(code=department["code"])
            teams[agency.pk] = {**staff, Role.UNIT_HEAD: staff.get(Role.LEADER, "")}
    return teams
