from cchc.accounts.models import Agency, Unit, User
from cchc.core.models import CalendarOverride
from cchc.demo.loader import load_demo
from cchc.procedures.models import Component, Procedure, ProcedureVersion, ProcessStep


def counts():
    return [
        m.objects.count()
        for m in (Agency, Unit, User, Procedure, ProcedureVersion, Component, ProcessStep, CalendarOverride)
    ]


def test_loading_twice_creates_no_duplicates(demo):
    before = counts()
    result = load_demo()
    assert counts() == before
    assert result["new_versions"] == 0


def test_demo_catalogue_covers_the_transport_fields(demo):
    assert Procedure.objects.count() >= 30
    fields = set(Procedure.objects.values_list("current_version__field__code", flat=True))
    assert fields >= {"GTDB", "VTDB", "KCHT", "DTND", "DKPT"}
