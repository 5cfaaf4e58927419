import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from cchc.audit.models import CHAINED_FIELDS, GENESIS_DIGEST, AuditEvent, AuditHead, audit_hmac_key
from cchc.audit.selectors import audit_events_for_dossier, audit_verify
from cchc.audit.services import audit_record, client_ip


def test_each_event_links_to_the_one_before(events):
    first_prev = AuditEvent.objects.filter(id__lt=events[0].id).values_list("digest", flat=True).last()
    assert events[0].prev_digest == (first_prev or GENESIS_DIGEST)
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_digest == before.digest
    head = AuditHead.objects.get(chain="")
    assert head.last_digest == events[-1].digest
    assert head.count == AuditEvent.objects.filter(chain="").count()


def test_first_event_starts_from_zeros(db):
    # Loading the demo may already have recorded events (the privacy notice and its acceptances).
    event = AuditEvent.objects.order_by("id").first() or audit_record(action="test.first")
    assert event.prev_digest == "0" * 64
    assert len(event.digest) == 64


def test_actor_is_stored_as_plain_values(django_user_model):
    officer = django_user_model.objects.create_user(username="audit_test_officer", role="one_stop_officer")
    event = audit_record(
        action="dossier.receive",
        actor=officer,
        object_type="dossier",
        object_id=42,
        dossier_code="000.00.01.H99-260306-0001",
        from_status="submitted",
        to_status="received",
        ip="203.113.1.9",
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_username, event.actor_role) == (
        officer.pk,
        "audit_test_officer",
        "one_stop_officer",
    )
    assert event.object_id == "42"
    assert list(audit_events_for_dossier(code="000.00.01.H99-260306-0001")) == [event]


def test_explicit_role_wins_and_anonymous_is_no_actor(django_user_model):
    leader = django_user_model.objects.create_user(username="audit_test_leader", role="leader")
    assert audit_record(action="test.x", actor=leader, actor_role="unit_head").actor_role == "unit_head"
    event = audit_record(action="test.x", actor=AnonymousUser())
    assert (event.actor_id, event.actor_username, event.actor_role) == (None, "", "")


@pytest.mark.parametrize(
    ("data", "ip"),
    [
        ({"amount": Decimal("135000"), "at": dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)}, "2001:DB8:0:0:0:0:0:1"),
        ({"big": 1e16, "small": 0.1, "ratio": 100.0, 1: ("a", "b")}, "::ffff:10.0.0.1"),
        ({"họ tên": "Nguyễn Văn Đạt", "nested": {"z": [1, {"y": None, "x": True}]}}, None),
    ],
)
def test_stored_events_verify_after_the_database_round_trip(db, data, ip):
    event = audit_record(action="test.round_trip", reason="Lý do: bổ sung giấy tờ", data=data, ip=ip)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.compute_digest(audit_hmac_key()) == stored.digest
    assert audit_verify().ok


def test_floats_and_decimals_are_stored_as_text(db):
    event = audit_record(action="test.x", data={"ratio": 0.5, "fee": Decimal("1.50")})
    assert AuditEvent.objects.get(pk=event.pk).data == {"ratio": "0.5", "fee": "1.50"}


def test_every_model_field_is_chained_or_deliberately_left_out():
    stored = {field.attname for field in AuditEvent._meta.concrete_fields}
    assert stored - set(CHAINED_FIELDS) == {"id", "digest"}


def test_client_ip_ignores_forwarded_for_unless_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.113.1.9, 10.0.0.1")
    settings.CCHC_TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.5"
    settings.CCHC_TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.113.1.9"


def test_client_ip_returns_none_for_garbage(settings):
    settings.CCHC_TRUST_X_FORWARDED_FOR = True
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="not-an-ip")) is None
