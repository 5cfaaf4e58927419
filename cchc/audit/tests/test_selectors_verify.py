import pytest
from django.core.management import call_command

from cchc.audit.models import AuditEvent
from cchc.audit.selectors import audit_verify

from .conftest import raw


def test_untouched_log_verifies(events):
    result = audit_verify()
    assert result.ok and result.first_bad_id is None and result.problem == ""
    assert result.checked == AuditEvent.objects.count() >= 4


def test_empty_log_verifies(db):
    assert audit_verify().ok


def test_changed_event_is_named(events, unguarded):
    raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["đã sửa", events[1].pk])
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_id == events[1].pk
    assert f"Sự kiện #{events[1].pk} đã bị sửa đổi" in result.problem


def test_forged_digest_is_caught_too(events, unguarded):
    raw("UPDATE audit_auditevent SET digest = %s WHERE id = %s", ["f" * 64, events[2].pk])
    assert audit_verify().first_bad_id == events[2].pk


def test_event_removed_from_the_middle_names_the_next_one(events, unguarded):
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_id == events[2].pk
    assert f"#{events[2].pk}" in result.problem and "không nối tiếp" in result.problem


def test_events_removed_from_the_end_are_reported_after_the_last_good_one(events, unguarded):
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [events[2].pk])
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_id == events[1].pk
    assert f"Thiếu 2 sự kiện sau sự kiện #{events[1].pk}" in result.problem


def test_whole_log_removed_is_reported(events, unguarded):
    raw("DELETE FROM audit_auditevent")
    result = audit_verify()
    assert not result.ok and result.checked == 0 and "tất cả đã bị xóa" in result.problem


def test_command_reports_an_intact_log(events, capsys):
    call_command("audit_verify")
    assert f"Nhật ký toàn vẹn: {AuditEvent.objects.count()} sự kiện đã kiểm tra." in capsys.readouterr().out


def test_command_fails_naming_the_changed_event(events, unguarded, capsys):
    raw("UPDATE audit_auditevent SET to_status = %s WHERE id = %s", ["approved", events[3].pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    assert f"Sự kiện #{events[3].pk} đã bị sửa đổi" in capsys.readouterr().err
