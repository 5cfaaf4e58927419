"""The demo province: the exact demo accounts, the 2025 merger, communes offering commune
procedures, and no driving licence in the 2026 catalogue."""

import pytest

from cchc.accounts.models import Agency, User
from cchc.demo.loader import load_demo
from cchc.procedures.models import Procedure
from cchc.procedures.selectors import offering_agencies, procedure_catalogue

pytestmark = pytest.mark.django_db

CONSTRUCTION = "000.00.10.H99"


def test_the_demo_province_has_its_accounts_agencies_and_catalogue(demo):
    load_demo(province=True)
    accounts = {
        "motcua_tinh": ("one_stop_officer", "centre"),
        "motcua_xa": ("one_stop_officer", "commune"),
        "chuyenvien_xa": ("specialist", "commune"),
        "lanhdao_xa": ("leader", "commune"),
        "lanhdao_tinh": ("leader", "province"),
    }
    for username, (role, level) in accounts.items():
        user = User.objects.select_related("agency").get(username=username)
        assert (user.role, user.agency.level) == (role, level), username
        assert user.check_password("demo12345")
    first_commune = User.objects.get(username="motcua_xa").agency
    assert User.objects.get(username="chuyenvien_xa").agency == first_commune
    assert User.objects.get(username="lanhdao_xa").agency == first_commune
    # The existing demo accounts now work in the department of construction.
    for username in ("motcua", "chuyenvien", "truongphong", "lanhdao", "cchc"):
        assert User.objects.get(username=username).agency.code == CONSTRUCTION
    assert Agency.objects.filter(level="commune").count() >= 10
    assert Agency.objects.filter(level="department").count() >= 3
    transport = Agency.objects.get(code="000.00.12.H99")
    assert transport.successor.code == CONSTRUCTION and transport.valid_to.isoformat() == "2025-02-28"
    # No driving licence in the 2026 catalogue; birth registration offered by every commune.
    names = [p.current_version.name.lower() for p in procedure_catalogue()]
    assert not any("giấy phép lái xe" in name for name in names)
    birth = Procedure.objects.get(code="1.001193")
    assert len(offering_agencies(birth)) == Agency.objects.filter(level="commune").count()
    # Loading again changes nothing and does not fail.
    load_demo(province=True)
    assert User.objects.get(username="motcua").agency.code == CONSTRUCTION


def test_the_reform_demo_loads_for_the_department_that_took_over_transport(demo):
    """`make run` loads the province (transport merged into construction) and then the reform demo:
    the PAR year must go to construction, whose units continue transport's, not to the ended agency."""
    from cchc.demo.reform import load_reform_demo
    from cchc.reform.models import ParYear

    load_demo(province=True)
    loaded = load_reform_demo()
    assert loaded["reform"] > 0
    assert set(ParYear.objects.values_list("agency__code", flat=True)) == {CONSTRUCTION}


def test_the_demo_province_has_an_inter_agency_procedure_whose_dossiers_reach_the_department(demo):
    """A commune procedure continued at the department of agriculture and environment: the demo
    dossiers of it pass to the department's people and back, and the department sees them."""
    import random
    from datetime import datetime

    from cchc.core import clock
    from cchc.core.calendar import VN_TZ
    from cchc.demo.dossiers import _Builder
    from cchc.demo.province import demo_teams, partner_teams
    from cchc.dossiers.models import DossierSegment
    from cchc.dossiers.notifications import notifications_suppressed
    from cchc.dossiers.selectors import dossier_visible_to

    load_demo(province=True)
    agriculture = Agency.objects.get(code="000.00.20.H99")
    procedure = Procedure.objects.get(code="1.999001")
    steps = procedure.current_version.steps.filter(offering__isnull=True).order_by("order")
    assert [s.agency_id for s in steps] == [None, None, agriculture.pk, agriculture.pk, None]

    commune, staff, elsewhere = demo_teams()[1]
    now = datetime(2026, 11, 20, 15, 30, tzinfo=VN_TZ)
    builder = _Builder(
        agency=commune, now=now, rng=random.Random(5), staff=staff, elsewhere=elsewhere, partners=partner_teams()
    )
    builder.versions = [(v, w) for v, w in builder.versions if v.procedure.code == procedure.code]
    assert builder.versions, "the inter-agency procedure is one the commune's demo team makes dossiers of"
    with notifications_suppressed(), clock.replay(now) as builder.replay:
        made = [builder.build(index, start) for index, start in enumerate(builder.starts(8))]
    reached = [d for d in made if DossierSegment.objects.filter(dossier=d, agency=agriculture).exists()]
    assert len(reached) >= 2
    specialist = User.objects.get(username="chuyenvien_nnmt")
    assert set(dossier_visible_to(specialist).filter(procedure=procedure)) == set(reached)
    other_commune = User.objects.get(username="lanhdao_xa3")
    assert not dossier_visible_to(other_commune).filter(pk__in=[d.pk for d in made]).exists()
