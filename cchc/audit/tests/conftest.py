import pytest
from django.db import connection

from cchc.audit.services import audit_record


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def unguarded(db):
    """Drop the append-only triggers, as an intruder with database access could.

    DDL is transactional on both engines, so the test's rollback restores them.
    """
    suffix = " ON audit_auditevent" if connection.vendor == "postgresql" else ""
    for name in ("audit_auditevent_no_update", "audit_auditevent_no_delete"):
        raw(f"DROP TRIGGER {name}{suffix}")


@pytest.fixture
def events(db):
    """Four chained events."""
    return [audit_record(action="test.step", object_type="test", object_id=n, reason=f"bước {n}") for n in range(4)]
