"""Each scope of issue 11 proven both ways, in a province of a centre and two communes:

- an applicant sees their own dossiers, never another's;
- a centre officer sees what their centre received, not what another point received for the
  same agency;
- an agency's staff see what their agency resolves (a specialist: what passed through their
  unit), not another agency's, even one their own counter received;
- a provincial leader and the provincial reform office read the whole province and can act on
  nothing."""

import pytest

from cchc.accounts.services import user_upsert
from cchc.core.errors import PermissionDenied
from cchc.dossiers import workflow
from cchc.dossiers.models import Dossier
from cchc.dossiers.policies import available_actions, may_act
from cchc.dossiers.selectors import dossier_visible_to
from cchc.dossiers.services import DocumentInput, dossier_counter_intake, dossier_submit_online, position_of

from .helpers import CITIZEN, PDF, act, documents_for, user
from .province import COMMUNE_A, COMMUNE_B, PASSWORD, build_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(demo):
    province = build_province()
    user_upsert(
        username="tinh_cchc",
        password=PASSWORD,
        role="reform_officer",
        full_name="Văn phòng CCHC tỉnh",
        agency=province.committee,
    )
    user_upsert(username="congdan_khac", password=PASSWORD, role="citizen", full_name="Lê Thị Khác")
    return province


def at_counter(province, officer: str, agency) -> Dossier:
    papers = [
        DocumentInput(component_id=c.pk, paper=True)
        for c in province.procedure.current_version.components.all()
        if c.required
    ]
    return dossier_counter_intake(
        officer=user(officer),
        procedure=province.procedure,
        agency=agency,
        applicant=CITIZEN,
        return_method="counter",
        documents=papers,
        decision="receive",
    )


def online(province, username: str, agency) -> Dossier:
    dossier, _created = dossier_submit_online(
        user=user(username),
        procedure=province.procedure,
        agency=agency,
        applicant=CITIZEN,
        return_method="online",
        documents=documents_for(province.procedure, PDF),
    )
    return dossier


def sees(username: str, dossier: Dossier) -> bool:
    return dossier_visible_to(user(username)).filter(pk=dossier.pk).exists()


def test_an_applicant_sees_their_own_dossier_and_nobody_elses(province):
    mine = online(province, "congdan", province.commune_b)
    assert sees("congdan", mine)
    assert not sees("congdan_khac", mine)
    theirs = online(province, "congdan_khac", province.commune_a)
    assert sees("congdan_khac", theirs) and not sees("congdan", theirs)
    # Walk-in dossiers have no account: no applicant sees them.
    assert not sees("congdan", at_counter(province, "xa_a_motcua", province.commune_b))


def test_a_centre_officer_sees_what_their_centre_received_and_not_what_another_point_did(province):
    at_centre = at_counter(province, "tt_motcua", province.commune_b)
    at_commune_a = at_counter(province, "xa_a_motcua", province.commune_b)
    assert sees("tt_motcua", at_centre)
    assert not sees("tt_motcua", at_commune_a)  # the same resolving agency, received elsewhere
    assert sees("xa_a_motcua", at_commune_a) and not sees("xa_a_motcua", at_centre)
    # Receiving is not resolving: the centre's officer takes no step of commune B's process.
    assert available_actions(user("tt_motcua"), at_centre, position_of(at_centre)) == []


def test_an_agencys_staff_see_what_it_resolves_and_a_specialist_what_reached_their_unit(province):
    for_b = at_counter(province, "xa_a_motcua", province.commune_b)
    for_a = at_counter(province, "xa_a_motcua", province.commune_a)
    # Commune B's leadership and counter see commune B's dossier wherever it was received; not A's.
    for username in ("xa_b_lanhdao", "xa_b_motcua"):
        assert sees(username, for_b) and not sees(username, for_a), username
    # Commune A's leader sees A's, not B's (though A's own counter received it).
    assert sees("xa_a_lanhdao", for_a) and not sees("xa_a_lanhdao", for_b)
    # A specialist of B sees it once it reaches their unit, never A's.
    assert not sees("xa_b_chuyenvien", for_b)
    for_b = act(for_b, "xa_b_motcua", "forward")
    assert sees("xa_b_chuyenvien", for_b) and sees("xa_b_truongphong", for_b)
    assert not sees("xa_a_chuyenvien", for_b) and not sees("xa_b_chuyenvien", for_a)


@pytest.mark.parametrize("username", ["tinh_lanhdao", "tinh_cchc"])
def test_the_province_reads_every_agency_and_acts_on_none(province, username):
    dossiers = [
        at_counter(province, "xa_a_motcua", province.commune_b),
        at_counter(province, "tt_motcua", province.commune_a),
        online(province, "congdan", province.commune_b),
    ]
    overseer = user(username)
    for dossier in dossiers:
        assert sees(username, dossier)
        assert available_actions(overseer, dossier, position_of(dossier)) == []
        assert not any(may_act(overseer, dossier, action) for action in workflow.TRANSITIONS)
    # An unsubmitted draft is still the applicant's alone.
    assert not dossier_visible_to(overseer).filter(status=workflow.Status.DRAFT).exists()
    # Asked to act anyway, the service refuses and nothing changes.
    target = dossiers[0]
    with pytest.raises(PermissionDenied):
        act(target, username, "forward")
    target.refresh_from_db()
    assert target.status == workflow.Status.RECEIVED and target.current_step == 1


def test_a_commune_leader_is_not_a_provincial_overseer(province):
    """The same role at a commune reads its commune only: the province's scope needs the province's agency."""
    elsewhere = at_counter(province, "tt_motcua", province.commune_a)
    assert not sees("xa_b_lanhdao", elsewhere)
    assert {d.agency.code for d in dossier_visible_to(user("xa_b_lanhdao"))} <= {COMMUNE_B}
    assert COMMUNE_A in {d.agency.code for d in dossier_visible_to(user("tinh_lanhdao"))}
