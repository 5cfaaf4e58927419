import pytest
from django.db import DatabaseError, transaction

from cchc.audit.models import AppendOnlyError, AuditEvent
from cchc.audit.selectors import audit_verify

from .conftest import raw


def test_saving_a_stored_event_is_refused(events):
    event = AuditEvent.objects.get(pk=events[0].pk)
    event.reason = "sửa lại"
    with pytest.raises(AppendOnlyError, match="chỉ được ghi thêm"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == "bước 0"


def test_deleting_an_event_is_refused(events):
    with pytest.raises(AppendOnlyError):
        events[0].delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=events[0].pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert audit_verify().ok


def test_queryset_writes_are_refused(events):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=events[0].pk).update(reason="sửa lại")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update(events, ["reason"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(action="test.forged")])
    assert audit_verify().ok


def test_reusing_an_id_does_not_overwrite(events):
    forged = AuditEvent(pk=events[0].pk, at=events[0].at, action="test.forged", prev_digest="0" * 64, digest="f" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        forged.save()
    assert AuditEvent.objects.get(pk=events[0].pk).action == "test.step"


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditevent SET reason = 'sửa lại' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"],
)
def test_database_refuses_raw_update_and_delete(events, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, [events[1].pk])
    assert audit_verify().ok
