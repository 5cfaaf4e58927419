"""The write and read paths stay within their query budgets (issue 12): an online submission
with five documents at most 23 queries (the issue asked for 25; SMS and Zalo notices on, as the
bench sends them; one is the code written on the dossier's row at the end, so that the day's
number locks its row for as short a time as possible), the public status lookup one, over the API
and on the lookup page. Each figure counts the whole request as a client sends it, middleware and token included."""

import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from cchc.dossiers import hooks
from cchc.dossiers.models import Dossier, Notification

from .helpers import PDF, act, submit

API = "/api/v1"
SUBMISSION_BUDGET = 23
STATUS_BUDGET = 1  # one query: the dossier, its names and its events together
STATUS_PAGE_BUDGET = 1  # the same query; the page's layout reads nothing for an anonymous visitor
APPLICANT = {"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "001203004567", "phone": "0912345678"}


# Every app's guards (the privacy notice's, the fee's…), as registered at start-up.
REAL_GUARDS = list(hooks._guards)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _token(client, username: str) -> dict:
    response = client.post(
        f"{API}/auth/token", {"username": username, "password": "demo12345"}, content_type="application/json"
    )
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _shown(context) -> str:
    return "\n".join(f"{n}. {q['sql'][:200]}" for n, q in enumerate(context.captured_queries, 1))


def test_online_submission_with_five_documents_stays_within_its_budget(demo, client, monkeypatch, settings):
    monkeypatch.setattr(hooks, "_guards", REAL_GUARDS)  # counted as in production
    settings.CCHC_SMS_ENABLED = settings.CCHC_ZALO_ENABLED = True  # two notices, each with its job
    headers = _token(client, "congdan")
    components = client.get(f"{API}/procedures/1.000010", headers=headers).json()["components"]
    client.get(f"{API}/dossiers", headers=headers)  # the token's first use writes its last-use time

    def data(n: int) -> dict:
        files = {
            str(c["id"]): SimpleUploadedFile(f"c{c['id']}.pdf", PDF + f"{n}-{c['id']}".encode()) for c in components
        }
        assert len(files) == 5
        return {"procedure": "1.000010", "applicant": json.dumps(APPLICANT), "return_method": "online", **files}

    # The agency's first event of all starts its audit chain; counted is any later submission.
    client.post(f"{API}/dossiers", data(1), headers={**headers, "Idempotency-Key": "budget-1"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{API}/dossiers", data(2), headers={**headers, "Idempotency-Key": "budget-2"})
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.documents.count() == 5
    # The applicant's SMS and Zalo notices are queued, each with its own delivery job.
    notices = list(Notification.objects.filter(dossier=dossier).order_by("pk"))
    assert sorted(n.channel for n in notices) == ["sms", "zalo"]
    jobs = DBTaskResult.objects.filter(task_path="cchc.dossiers.tasks.deliver_notification")
    queued = sorted(job.args_kwargs["args"] for job in jobs)
    assert [[n.pk] for n in notices] == [args for args in queued if args[0] in {n.pk for n in notices}]
    assert len(queries.captured_queries) <= SUBMISSION_BUDGET, _shown(queries)


def test_public_status_lookup_stays_within_its_budget(demo, client):
    dossier = act(act(submit(), "motcua", "receive"), "motcua", "forward")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/dossiers/{dossier.code}/status")
    assert response.status_code == 200
    assert [t["action"] for t in response.json()["timeline"]] == ["submit", "receive", "forward"]
    assert response.json()["current_step"]["order"] == 2
    assert len(queries.captured_queries) <= STATUS_BUDGET, _shown(queries)


def test_public_status_page_stays_within_its_budget(demo, client):
    dossier = act(act(submit(), "motcua", "receive"), "motcua", "forward")
    client.get("/tra-cuu/", {"ma": dossier.code})  # the layout reads the site's name once per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tra-cuu/", {"ma": dossier.code})
    assert response.status_code == 200
    assert response.context["result"]["current_step"]
    assert [row["action_label"] for row in response.context["result"]["timeline"]][:1] == ["Nộp hồ sơ"]
    assert len(queries.captured_queries) <= STATUS_PAGE_BUDGET, _shown(queries)


def test_the_days_number_is_taken_after_the_dossier_and_its_papers_are_written(demo, client, monkeypatch):
    # The day's number locks the receiving point's sequence row until the commit (numbers without
    # gaps), so every other intake of the point queues behind it: it is taken after the dossier, its
    # documents, the data store's copies and its history row are written, not before them.
    monkeypatch.setattr(hooks, "_guards", REAL_GUARDS)
    headers = _token(client, "congdan")
    components = client.get(f"{API}/procedures/1.000010", headers=headers).json()["components"]
    files = {str(c["id"]): SimpleUploadedFile(f"c{c['id']}.pdf", PDF + f"order-{c['id']}".encode()) for c in components}
    data = {"procedure": "1.000010", "applicant": json.dumps(APPLICANT), "return_method": "online", **files}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{API}/dossiers", data, headers={**headers, "Idempotency-Key": "order-1"})
    assert response.status_code == 201, response.content
    assert Dossier.objects.get(code=response.json()["code"]).documents.count() == 5
    statements = [q["sql"] for q in queries.captured_queries]
    [number] = [n for n, sql in enumerate(statements) if "dossiers_dailysequence" in sql]
    written_before = " ".join(statements[:number])
    for table in ("dossiers_dossier", "dossiers_dossierdocument", "dossiers_storeddocument", "dossiers_dossierevent"):
        assert re.search(f'INSERT (OR IGNORE )?INTO "{table}"', written_before), table
    # After it only what names the code: the row's code, the notices, the portal's outbox, their jobs
    # and the audit event.
    written_after = " ".join(statements[number + 1 :])
    assert not re.search(r'INSERT (OR IGNORE )?INTO "dossiers_(dossier|dossierdocument|storeddocument)"', written_after)
