"""The candidates' evidence is computed ahead by the periodic task and read from the shared cache."""

from unittest import mock

from cchc.dossiers.tests.helpers import submit, user
from cchc.simplification import evidence, selectors
from cchc.simplification.tasks import refresh_candidates, refresh_candidates_enqueue


def test_the_task_computes_the_quarter_once_and_the_page_reads_it(demo, client):
    submit()  # an agency with dossiers
    assert refresh_candidates_enqueue() is True
    assert refresh_candidates_enqueue() is False  # one is waiting
    assert refresh_candidates.call() == {demo.code: selectors.Procedure.objects.filter(agency=demo).count()}
    with mock.patch.object(evidence, "gather", side_effect=AssertionError("computed again")):
        client.force_login(user("cchc"))
        response = client.get("/cai-cach/ra-soat/ung-vien/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == selectors.Procedure.objects.filter(agency=demo).count()


def test_a_unit_head_gets_the_rows_of_their_unit_from_the_same_evidence(demo, client):
    submit()
    refresh_candidates.call()
    client.force_login(user("truongphong"))
    with mock.patch.object(evidence, "gather", side_effect=AssertionError("computed again")):
        rows = client.get("/cai-cach/ra-soat/ung-vien/").context["rows"]
    assert rows and {row.version.unit.code for row in rows} == {"QLVT"}
