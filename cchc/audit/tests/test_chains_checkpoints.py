import datetime as dt
import json
import threading
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from cchc.audit.checkpoints import checkpoints_from_document
from cchc.audit.models import AuditCheckpoint, AuditHead
from cchc.audit.selectors import audit_verify
from cchc.audit.services import audit_checkpoint_seal, audit_record
from cchc.core.errors import ApplicationError

from .conftest import raw

TODAY_SHOWN = "{:%d/%m/%Y}"
# A chain of its own, so that events the test database already holds do not interleave.
CHAIN = "000.00.01.H77"


@contextmanager
def stamped(at: dt.datetime):
    """Events recorded inside are stamped `at` (the clock of the audit service)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def seal_today() -> AuditCheckpoint:
    """Seal today as if it were already tomorrow."""
    return audit_checkpoint_seal(day=timezone.localdate(), now=timezone.now() + dt.timedelta(days=1))


def test_each_agency_appends_to_its_own_chain(db):
    one = audit_record(action="test.a", dossier_code="000.00.01.H01-261207-0001")
    two = audit_record(action="test.b", dossier_code="000.00.01.H02-261207-0001")
    again = audit_record(action="test.c", dossier_code="000.00.01.H01-261207-0002")
    assert (one.chain, two.chain) == ("000.00.01.H01", "000.00.01.H02")
    assert again.prev_digest == one.digest
    assert AuditHead.objects.get(chain="000.00.01.H02").count == 1
    assert audit_verify().ok


def test_two_events_swapped_are_named(events, unguarded):
    first, second = events[1], events[2]
    raw("UPDATE audit_auditevent SET id = %s WHERE id = %s", [-first.pk, first.pk])
    raw("UPDATE audit_auditevent SET id = %s WHERE id = %s", [first.pk, second.pk])
    raw("UPDATE audit_auditevent SET id = %s WHERE id = %s", [second.pk, -first.pk])
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_id == first.pk
    assert "đổi chỗ" in result.problem


def test_event_appended_after_its_day_was_sealed_is_named(db):
    yesterday = timezone.now() - dt.timedelta(days=1)
    with stamped(yesterday):
        for n in range(3):
            audit_record(action="test.step", object_id=n, chain=CHAIN)
    audit_checkpoint_seal(day=timezone.localdate(yesterday))
    audit_record(action="test.today", chain=CHAIN)
    assert audit_verify().ok
    with stamped(yesterday + dt.timedelta(seconds=1)):
        late = audit_record(action="test.backdated", reason="ghi sau niêm phong", chain=CHAIN)
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_id == late.pk
    shown = TODAY_SHOWN.format(timezone.localdate(yesterday))
    assert result.problem == f"Sự kiện #{late.pk} được ghi thêm sau khi ngày {shown} đã được niêm phong."


def test_tail_cut_with_its_head_rewritten_is_caught_by_the_checkpoint(events, unguarded):
    seal_today()
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    raw(
        "UPDATE audit_audithead SET count = count - 1, last_digest = %s WHERE chain = ''",
        [events[-2].digest],
    )
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_id == events[-2].pk
    assert f"Thiếu 1 sự kiện sau sự kiện #{events[-2].pk}" in result.problem


def test_changed_checkpoint_is_refused(events):
    checkpoint = seal_today()
    raw(
        "UPDATE audit_auditcheckpoint SET heads = %s WHERE id = %s",
        [json.dumps({"": {"count": 1, "digest": "0"}}), checkpoint.pk],
    )
    result = audit_verify()
    assert not result.ok
    assert "đã bị sửa" in result.problem


def test_checkpoint_deleted_from_the_database_is_caught_by_the_exported_copy(events, tmp_path, capsys):
    seal_today()
    exported = tmp_path / "checkpoints.json"
    call_command("audit_checkpoint_export", output=str(exported))
    call_command("audit_verify", checkpoints=str(exported))
    assert "Nhật ký toàn vẹn" in capsys.readouterr().out
    raw("DELETE FROM audit_auditcheckpoint")
    with pytest.raises(SystemExit):
        call_command("audit_verify", checkpoints=str(exported))
    assert "khác bản đã xuất hoặc đã bị xóa" in capsys.readouterr().err


def test_exported_checkpoints_verify_offline_and_a_forged_count_does_not(events, tmp_path, capsys):
    seal_today()
    exported = tmp_path / "checkpoints.json"
    call_command("audit_checkpoint_export", output=str(exported))
    document = json.loads(exported.read_text())
    public_key = document["public_key"]
    assert len(checkpoints_from_document(document)) == 1
    call_command("audit_checkpoint_verify", str(exported), public_key=public_key)
    assert "1 điểm niêm phong hợp lệ" in capsys.readouterr().out
    chain = next(iter(document["checkpoints"][0]["heads"]))
    document["checkpoints"][0]["heads"][chain]["count"] -= 1
    exported.write_text(json.dumps(document))
    with pytest.raises(SystemExit):
        call_command("audit_checkpoint_verify", str(exported), public_key=public_key)
    assert "đã bị sửa" in capsys.readouterr().err


def test_a_day_not_over_is_not_sealed_and_sealing_twice_changes_nothing(events):
    with pytest.raises(ApplicationError, match="ngày đã kết thúc"):
        audit_checkpoint_seal(day=timezone.localdate())
    first = seal_today()
    assert seal_today().pk == first.pk
    assert AuditCheckpoint.objects.count() == 1


def test_missing_days_are_sealed_in_order(db):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with stamped(timezone.now() - dt.timedelta(days=3)):
        audit_record(action="test.x", chain=CHAIN)
    audit_checkpoint_seal(day=yesterday)
    checkpoints = list(AuditCheckpoint.objects.order_by("day"))
    assert [c.day for c in checkpoints][-3:] == [yesterday - dt.timedelta(days=n) for n in (2, 1, 0)]
    assert all(after.prev_root == before.root for before, after in zip(checkpoints, checkpoints[1:], strict=False))
    assert audit_verify().ok


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has one writer at a time; row locks are PostgreSQL's."
)
@pytest.mark.django_db(transaction=True)
def test_an_agency_appending_does_not_wait_for_another_holding_its_chain():
    holding, release, errors = threading.Event(), threading.Event(), []

    def hold_chain_one() -> None:
        try:
            with transaction.atomic():
                audit_record(action="test.hold", dossier_code="000.00.01.H01-261207-0001")
                holding.set()
                release.wait(10)
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_chain_one)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            other = audit_record(action="test.other", dossier_code="000.00.01.H02-261207-0001")
        assert other.chain == "000.00.01.H02"
    finally:
        release.set()
        thread.join()
    assert errors == []
    assert audit_verify().ok
