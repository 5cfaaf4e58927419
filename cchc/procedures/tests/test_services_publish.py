from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.core.errors import ApplicationError
from cchc.procedures.models import Procedure, ProcedureVersion
from cchc.procedures.rules import StepSpec
from cchc.procedures.selectors import procedure_version_in_force, spec_from_version
from cchc.procedures.services import procedure_draft_create, procedure_publish, procedure_version_publish

from .factories import make_spec


def test_publishing_a_new_procedure_makes_version_one(demo):
    version, created = procedure_publish(agency=demo, spec=make_spec())
    assert created and version.number == 1 and version.status == "published"
    procedure = Procedure.objects.get(code="2.999001")
    assert procedure.current_version == version
    assert procedure.search_name == "cap giay phep thu nghiem duong bo"


def test_publishing_the_same_content_twice_changes_nothing(demo):
    procedure_publish(agency=demo, spec=make_spec())
    version, created = procedure_publish(agency=demo, spec=make_spec())
    assert not created
    assert ProcedureVersion.objects.filter(procedure__code="2.999001").count() == 1


def test_a_change_makes_a_new_version_and_keeps_the_old_one_for_old_dossiers(demo):
    first, _ = procedure_publish(agency=demo, spec=make_spec(), effective_from=timezone.now() - timedelta(days=30))
    changed = make_spec(
        time_limit_value=1,
        steps=(
            StepSpec(name="Tiếp nhận", unit_code="MOTCUA", role="one_stop_officer", hours=2),
            StepSpec(name="Thẩm định và phê duyệt", unit_code="QLVT", role="unit_head", hours=6),
        ),
    )
    second, created = procedure_publish(agency=demo, spec=changed)
    assert created and second.number == 2
    first.refresh_from_db()
    assert first.status == "published" and first.steps.count() == 3
    procedure = Procedure.objects.get(code="2.999001")
    assert procedure.current_version == second
    assert procedure_version_in_force(procedure=procedure, at=timezone.now() - timedelta(days=10)) == first
    assert procedure_version_in_force(procedure=procedure, at=timezone.now()) == second


def test_invalid_procedure_is_refused_and_nothing_is_saved(demo):
    bad = make_spec(time_limit_value=9)
    with pytest.raises(ApplicationError) as excinfo:
        procedure_publish(agency=demo, spec=bad)
    assert "Tổng thời gian các bước" in excinfo.value.message
    assert not Procedure.objects.filter(code="2.999001").exists()


def test_unknown_unit_or_field_is_refused(demo):
    with pytest.raises(ApplicationError) as excinfo:
        procedure_publish(agency=demo, spec=make_spec(unit_code="KHONGCO", field_code="ZZ"))
    assert any("KHONGCO" in d for d in excinfo.value.details)
    assert any("ZZ" in d for d in excinfo.value.details)


def test_draft_edit_then_publish(demo):
    procedure = Procedure.objects.get(code="1.000010")
    current = procedure.current_version
    draft = procedure_draft_create(procedure=procedure)
    assert procedure_draft_create(procedure=procedure) == draft  # one open draft at a time
    draft.name = "Đổi giấy phép lái xe (sửa đổi)"
    draft.save(update_fields=["name"])
    procedure.refresh_from_db()
    assert procedure.current_version == current  # a draft is not in force

    published = procedure_version_publish(version=draft)
    procedure.refresh_from_db()
    assert procedure.current_version == published and published.number == current.number + 1
    assert procedure.search_name.startswith("doi giay phep lai xe (sua doi)")


def test_draft_that_breaks_the_budget_cannot_be_published(demo):
    procedure = Procedure.objects.get(code="1.000010")
    draft = procedure_draft_create(procedure=procedure)
    step = draft.steps.first()
    step.hours += 1
    step.save(update_fields=["hours"])
    with pytest.raises(ApplicationError, match="Tổng thời gian"):
        procedure_version_publish(version=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_stored_version_round_trips_to_the_same_spec(demo):
    spec = make_spec()
    version, _ = procedure_publish(agency=demo, spec=spec)
    assert spec_from_version(version) == replace(spec, annual_volume=0)
