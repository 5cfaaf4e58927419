"""The department of transport merges into the department of construction: procedures, units that
continue, staff and open dossiers move in one transaction; finished dossiers and reports for
earlier periods stay with the old agency."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.accounts.models import Agency, Unit, User
from cchc.audit.models import AuditEvent
from cchc.dossiers.models import Dossier
from cchc.dossiers.services import agency_merge
from cchc.procedures.models import Procedure

from .helpers import act, submit
from .interagency import CODE as INTER_AGENCY_CODE

TRANSPORT = "000.00.12.H99"
CONSTRUCTION = "000.00.10.H99"
ON = date(2025, 3, 1)

pytestmark = pytest.mark.django_db


def test_merge_moves_procedures_units_staff_and_open_dossiers(demo, client):
    open_dossier = act(submit(), "motcua", "receive")
    waiting = submit(username="congdan2")
    returned = Dossier.objects.create(
        agency=demo,
        procedure=open_dossier.procedure,
        procedure_version=open_dossier.procedure_version,
        status="returned",
        channel="online",
        return_method="online",
        applicant_kind="citizen",
        applicant_name="Đã xong",
        code="000.00.12.H99-250115-0001",
    )
    old, new = Agency.objects.get(code=TRANSPORT), Agency.objects.get(code=CONSTRUCTION)
    procedures = Procedure.objects.filter(agency=old).count()

    call_command("agency_merge", TRANSPORT, CONSTRUCTION, "--on", "2025-03-01")

    old.refresh_from_db()
    assert old.valid_to == date(2025, 2, 28) and old.successor == new
    assert Procedure.objects.filter(agency=new).count() >= procedures
    assert not Procedure.objects.filter(agency=old).exists()
    motcua = User.objects.get(username="motcua")
    assert motcua.agency == new and motcua.unit.agency == new
    # Both had a leadership: transport's ends and hands over to construction's.
    transport_board = Unit.objects.get(agency=old, code="BGD")
    assert transport_board.valid_to == date(2025, 2, 28)
    assert transport_board.successor == Unit.objects.get(agency=new, code="BGD", valid_to__isnull=True)
    assert Unit.objects.filter(agency=new, code="QLVT").exists()

    for dossier in (open_dossier, waiting):
        dossier.refresh_from_db()
        assert dossier.agency == new
        assert dossier.code.startswith(TRANSPORT)  # the code stays
        assert dossier.events.filter(action="transfer").count() == 1
        assert AuditEvent.objects.filter(action="dossier.transfer", object_id=str(dossier.pk)).exists()
    returned.refresh_from_db()
    assert returned.agency == old  # finished work stays with the agency that did it

    public = client.get(f"/api/v1/dossiers/{open_dossier.code}/status").json()
    assert public["agency"] == new.name

    # The process goes on in the new agency: its counter forwards.
    open_dossier = act(Dossier.objects.get(pk=open_dossier.pk), "motcua", "forward")
    assert open_dossier.status == "in_progress"


def test_merging_again_moves_nothing_more(demo):
    old, new = Agency.objects.get(code=TRANSPORT), Agency.objects.get(code=CONSTRUCTION)
    submit()
    first = agency_merge(old=old, new=new, on=ON)
    second = agency_merge(old=old, new=new, on=ON)
    assert len(first.dossiers) == 1
    assert (second.procedures, second.staff, second.dossiers) == (0, 0, [])


def test_a_merge_on_another_date_or_into_itself_is_refused_and_nothing_moves(demo):
    old, new = Agency.objects.get(code=TRANSPORT), Agency.objects.get(code=CONSTRUCTION)
    agency_merge(old=old, new=new, on=ON)
    with pytest.raises(CommandError, match="khác ngày"):
        call_command("agency_merge", TRANSPORT, CONSTRUCTION, "--on", "2025-04-01")
    with pytest.raises(CommandError, match="chính nó"):
        call_command("agency_merge", CONSTRUCTION, CONSTRUCTION, "--on", "2025-04-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("agency_merge", TRANSPORT, CONSTRUCTION, "--on", "01/03/2025")


# ---------------------------------------------------------------- inter-agency (liên thông) work


def _at_the_department(build):
    """Commune A's inter-agency dossier at the department of transport's appraisal step, assigned."""
    from .test_inter_agency import to_department

    build()
    dossier = to_department(submit(code=INTER_AGENCY_CODE))
    return act(dossier, "truongphong", "assign", assignee="chuyenvien")


def test_merge_moves_the_open_passages_and_the_steps_run_in_the_old_agency(demo):
    from cchc.dossiers.models import DossierSegment
    from cchc.procedures.models import ProcessStep

    from .interagency import build_inter_agency_procedure

    dossier = _at_the_department(build_inter_agency_procedure)
    commune = dossier.agency
    old, new = Agency.objects.get(code=TRANSPORT), Agency.objects.get(code=CONSTRUCTION)
    due = DossierSegment.objects.get(dossier=dossier, left_at__isnull=True).due_at

    call_command("agency_merge", TRANSPORT, CONSTRUCTION, "--on", "2025-03-01")

    dossier.refresh_from_db()
    assert dossier.agency == commune  # the commune still resolves it
    passage = DossierSegment.objects.get(dossier=dossier, left_at__isnull=True)
    assert passage.agency == new and passage.due_at == due  # its time is not reset
    assert dossier.steps.get(finished_at__isnull=True).agency == new
    assert dossier.events.filter(action="transfer").count() == 1
    assert AuditEvent.objects.filter(action="dossier.transfer", dossier_code=dossier.code).exists()
    # The procedure's steps that ran in the department of transport run in construction, in its units.
    steps = ProcessStep.objects.filter(version__procedure__code=INTER_AGENCY_CODE)
    assert not steps.filter(agency=old).exists()
    decision = steps.get(order=4)
    assert decision.agency == new
    assert decision.unit == Unit.objects.get(agency=new, code="BGD", valid_to__isnull=True)

    # The passage goes on in construction, with no new hand-over, and ends there.
    dossier = act(Dossier.objects.get(pk=dossier.pk), "chuyenvien", "forward")
    dossier = act(dossier, "lanhdao", "approve")
    assert list(DossierSegment.objects.filter(dossier=dossier).values_list("agency", flat=True)) == [
        commune.pk,
        new.pk,
        commune.pk,
    ]
    assert dossier.events.filter(action="hand_over").count() == 2


def test_the_admin_merge_moves_the_open_passages_too(demo, client):
    from cchc.dossiers.models import DossierSegment

    from .interagency import build_inter_agency_procedure

    dossier = _at_the_department(build_inter_agency_procedure)
    old, new = Agency.objects.get(code=TRANSPORT), Agency.objects.get(code=CONSTRUCTION)
    old.successor, old.valid_to = new, date(2025, 2, 28)
    old.save(update_fields=["successor", "valid_to"])
    admin = User.objects.create_superuser(username="quantri_merge", password="x-Quantri-2026", email="")
    client.force_login(admin)
    response = client.post(
        "/quan-tri/accounts/agency/",
        {"action": "merge_into_successor", "_selected_action": [old.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 hồ sơ liên thông đang xử lý tại cơ quan" in response.content.decode()
    assert DossierSegment.objects.get(dossier=dossier, left_at__isnull=True).agency == new
