import threading

import pytest
from django.db import connection

from cchc.audit.models import AuditEvent
from cchc.audit.selectors import audit_verify
from cchc.audit.services import audit_record

THREADS, PER_THREAD = 4, 5


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers with a database lock; threads on its shared in-memory test database "
    "fail with 'table is locked' instead of waiting. The row lock being tested exists on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    before = AuditEvent.objects.count()
    start = threading.Barrier(THREADS)
    errors = []

    def append(worker: int) -> None:
        try:
            start.wait()
            for n in range(PER_THREAD):
                audit_record(action="test.concurrent", object_id=f"{worker}-{n}")
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEvent.objects.count() - before == THREADS * PER_THREAD
    result = audit_verify()
    assert result.ok, result.problem
    assert result.checked == before + THREADS * PER_THREAD
