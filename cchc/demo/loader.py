"""Loads the demo data files through the services, so demo rows obey every rule.

Running it again changes nothing: every write is an upsert keyed on a natural key.
"""

from datetime import datetime
from pathlib import Path

import yaml
from django.db import transaction

from cchc.accounts.models import Agency
from cchc.accounts.services import agency_upsert, unit_upsert, user_upsert
from cchc.core.calendar import VN_TZ
from cchc.core.services import calendar_override_set
from cchc.procedures.rules import ComponentSpec, FeeSpec, ProcedureSpec, StepSpec
from cchc.procedures.services import SpecResolver, field_upsert, form_templates_import, procedure_publish

from .constants import DEMO_AGENCY_CODE

DATA_DIR = Path(__file__).resolve().parent / "data"
PROCEDURES_FILE = Path(__file__).resolve().parent.parent / "procedures" / "data" / "procedures.yaml"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo credential, created only here
# The demo catalogue is published as in force since the 2025 one-stop regime began.
DEMO_EFFECTIVE_FROM = datetime(2025, 7, 1, tzinfo=VN_TZ)


def _load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_organisation() -> dict[str, Agency]:
    data = _load_yaml(DATA_DIR / "organisation.yaml")
    agencies = {}
    for item in data["agencies"]:
        agency = agency_upsert(**{k: v for k, v in item.items() if k != "units"})
        agencies[agency.code] = agency
        units = {}
        # Successors are named before they are defined; two passes keep the file readable.
        for unit in item["units"]:
            units[unit["code"]] = unit_upsert(
                agency=agency,
                code=unit["code"],
                name=unit["name"],
                kind=unit["kind"],
                valid_from=unit["valid_from"],
                valid_to=unit.get("valid_to"),
                parent=units.get(unit.get("parent")),
            )
        for unit in item["units"]:
            if unit.get("successor"):
                unit_upsert(
                    agency=agency,
                    code=unit["code"],
                    name=unit["name"],
                    kind=unit["kind"],
                    valid_from=unit["valid_from"],
                    valid_to=unit.get("valid_to"),
                    parent=units.get(unit.get("parent")),
                    successor=units[unit["successor"]],
                )
    for item in data["users"]:
        agency = agencies.get(item.get("agency"))
        unit = None
        if agency and item.get("unit"):
            unit = agency.units.filter(code=item["unit"], valid_to__isnull=True).get()
        user_upsert(
            username=item["username"],
            password=DEMO_PASSWORD,
            role=item["role"],
            full_name=item.get("full_name", ""),
            email=item.get("email", ""),
            phone=item.get("phone", ""),
            agency=agency,
            unit=unit,
            id_number=str(item.get("id_number", "")),
        )
    for item in data.get("calendar_overrides", []):
        calendar_override_set(day=item["date"], kind=item["kind"], reason=item["reason"])
    return agencies


def spec_from_yaml(item: dict) -> ProcedureSpec:
    return ProcedureSpec(
        code=str(item["code"]),
        name=item["name"],
        field_code=item["field"],
        unit_code=item["unit"],
        applicants=item["applicants"],
        time_limit_value=item["time_limit"]["value"],
        time_limit_unit=item["time_limit"]["unit"],
        online_level=item["online_level"],
        result_type=item["result_type"],
        result_name=item["result_name"],
        legal_basis=tuple(item.get("legal_basis") or ()),
        requirements=item.get("requirements") or "",
        payment_stage=item.get("payment_stage", "before_reception"),
        annual_volume=item.get("annual_volume", 0),
        fees=tuple(
            FeeSpec(kind=f["kind"], name=f["name"], amount=f["amount"], online_amount=f.get("online_amount"))
            for f in item.get("fees") or ()
        ),
        components=tuple(
            ComponentSpec(
                name=c["name"],
                required=c.get("required", True),
                originals=c.get("originals", 0),
                certified_copies=c.get("certified_copies", 0),
                copies=c.get("copies", 0),
                template_name=c.get("template") or "",
                note=c.get("note") or "",
                from_population_db=c.get("from_population_db", False),
            )
            for c in item["components"]
        ),
        steps=tuple(
            StepSpec(
                name=s["name"], unit_code=s["unit"], role=s["role"], hours=s["hours"], agency_code=s.get("agency", "")
            )
            for s in item["process"]
        ),
    )


def load_procedures(agency: Agency, path: Path = PROCEDURES_FILE, *, skip_fields=()) -> tuple[int, int]:
    """Publish the demo catalogue (without the procedures of `skip_fields`) with the files of its
    form templates; returns (procedures published, new versions made)."""
    data = _load_yaml(path)
    for item in data["fields"]:
        field_upsert(code=item["code"], name=item["name"])
    resolver = SpecResolver(agency)
    changed = 0
    items = [item for item in data["procedures"] if item["field"] not in skip_fields]
    for item in items:
        _version, made = procedure_publish(
            agency=agency,
            spec=spec_from_yaml(item),
            resolver=resolver,
            effective_from=DEMO_EFFECTIVE_FROM,
        )
        changed += made
    form_templates_import(codes=[str(item["code"]) for item in items])
    return len(items), changed


@transaction.atomic
def _privacy_notice_accepted_by_demo_accounts() -> None:
    from cchc.privacy.demo import load_privacy_demo

    users = _load_yaml(DATA_DIR / "organisation.yaml")["users"]
    load_privacy_demo([item["username"] for item in users])


def _demo_counters(agency) -> int:
    from cchc.appointments.demo import load_demo_counters

    return load_demo_counters(agency)


def approve_default_templates() -> int:
    from cchc.messaging.demo import approve_default_templates as approve

    return approve()


def load_demo(*, province: bool = False) -> dict[str, int]:
    """The organisation, accounts, calendar and catalogue; with `province`, the demo province
    around the department (`province.load_province`): the People's Committee, the centre,
    departments, communes and their procedures, the department of transport merged into
    construction, no driving licences.

    The dossiers are made by `dossiers.load_demo_dossiers`, which builds on this module (the test
    suite loads the catalogue once per database and wants empty queues, and the department alone).
    `make demo` adds the province and the dossiers (`manage.py load_demo --province`,
    `manage.py load_demo_dossiers`); they are made once.
    """
    from .province import WITHDRAWN_FIELDS, load_province, province_loaded

    if province and province_loaded():
        # The department's file describes it before the merger; once merged it is history.
        agencies = {agency.code: agency for agency in Agency.objects.all()}
    else:
        agencies = load_organisation()
    _privacy_notice_accepted_by_demo_accounts()
    catalogue_owner = agencies[DEMO_AGENCY_CODE]
    while catalogue_owner.successor_id is not None:  # merged: the successor keeps the catalogue
        catalogue_owner = catalogue_owner.successor
    total, changed = load_procedures(catalogue_owner, skip_fields=WITHDRAWN_FIELDS if province else ())
    result = {"agencies": len(agencies), "procedures": total, "new_versions": changed}
    if province:
        result.update(load_province())
    result["message_templates_approved"] = approve_default_templates()
    result["counters"] = _demo_counters(catalogue_owner)
    return result
