"""Process steps that run in another agency (liên thông): named by the agency's code in a spec,
with one of that agency's units; refused clearly otherwise; kept when the version is read back."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cchc.accounts.services import agency_upsert, unit_upsert
from cchc.core.errors import ApplicationError
from cchc.procedures.models import ProcessStep
from cchc.procedures.rules import StepSpec
from cchc.procedures.selectors import spec_from_version
from cchc.procedures.services import procedure_publish

from .factories import make_spec

OTHER = "000.00.20.H99"


@pytest.fixture
def other_agency(demo):
    agency = agency_upsert(code=OTHER, name="Sở Nông nghiệp và Môi trường", level="department")
    unit_upsert(
        agency=agency,
        code="VPDKDD",
        name="Văn phòng Đăng ký đất đai",
        kind="public_service",
        valid_from=date(2025, 7, 1),
    )
    return agency


def _spec(agency_code: str = OTHER, unit_code: str = "VPDKDD"):
    return make_spec(
        steps=(
            StepSpec(name="Tiếp nhận", unit_code="MOTCUA", role="one_stop_officer", hours=1),
            StepSpec(name="Thẩm định tại Sở", unit_code=unit_code, role="specialist", hours=3, agency_code=agency_code),
            StepSpec(name="Thẩm định", unit_code="QLVT", role="specialist", hours=8),
            StepSpec(name="Phê duyệt", unit_code="BGD", role="leader", hours=4),
        )
    )


def test_a_step_of_another_agency_is_published_with_that_agency_and_its_unit(demo, other_agency):
    version, _created = procedure_publish(agency=demo, spec=_spec())
    step = version.steps.get(order=2)
    assert (step.agency, step.unit.code, step.unit.agency) == (other_agency, "VPDKDD", other_agency)
    assert version.steps.get(order=1).agency is None  # the resolving agency's own step
    assert spec_from_version(version).steps[1].agency_code == OTHER
    # Publishing the same content again changes nothing: the agency is part of the content.
    assert procedure_publish(agency=demo, spec=_spec())[1] is False


def test_an_unknown_agency_or_a_unit_of_another_agency_is_refused(demo, other_agency):
    with pytest.raises(ApplicationError, match="không có cơ quan mã “000.99.99.H99”"):
        procedure_publish(agency=demo, spec=_spec(agency_code="000.99.99.H99"))
    with pytest.raises(ApplicationError, match="không có đơn vị mã “QLVT” đang hoạt động"):
        procedure_publish(agency=demo, spec=_spec(unit_code="QLVT"))
    step = ProcessStep(agency=other_agency, unit=demo.units.get(code="QLVT"), role="specialist", hours=1, name="x")
    with pytest.raises(ValidationError):
        step.clean()
