from datetime import date, timedelta

import pytest
from django.utils import timezone

from cchc.accounts.models import Unit
from cchc.audit.models import AuditEvent
from cchc.core.errors import ApplicationError, Conflict, PermissionDenied
from cchc.initiatives.models import Initiative
from cchc.initiatives.services import (
    InitiativeInput,
    initiative_create,
    initiative_set_status,
    initiative_update,
)
from cchc.initiatives.tests.conftest import user


def unit(demo, code) -> Unit:
    return Unit.objects.get(agency=demo, code=code, valid_to__isnull=True)


def good(demo, **overrides) -> InitiativeInput:
    values = {
        "unit": unit(demo, "QLVT"),
        "title": "Trả kết quả giấy phép qua bưu chính",
        "started_on": date(2025, 3, 1),
        "description": "Người dân chọn nhận giấy phép tại nhà qua bưu chính công ích.",
        "indicator_codes": ("progress.on_time", "online.dossiers", "progress.on_time"),
    }
    values.update(overrides)
    return InitiativeInput(**values)


def events(action):
    return AuditEvent.objects.filter(action=action)


def test_reform_officer_registers_an_initiative_with_its_audit_event(demo):
    initiative = initiative_create(user=user("cchc"), data=good(demo), status=Initiative.Status.APPLIED)

    assert initiative.agency == demo
    assert initiative.indicator_codes == ["progress.on_time", "online.dossiers"]
    assert initiative.created_by.username == "cchc"
    event = events("initiative.create").get(object_id=str(initiative.pk))
    assert event.actor_username == "cchc" and event.to_status == "applied"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "Ngắn"}, "title"),
        ({"description": "quá ngắn"}, "description"),
        ({"started_on": None}, "started_on"),
        ({"indicator_codes": ("progress.on_time", "khong.co")}, "indicator_codes"),
        ({"recognised": True, "recognition_level": ""}, "recognition_level"),
    ],
)
def test_invalid_initiative_is_refused_and_nothing_is_written(demo, overrides, field):
    before = (Initiative.objects.count(), AuditEvent.objects.count())

    with pytest.raises(ApplicationError) as refused:
        initiative_create(user=user("cchc"), data=good(demo, **overrides))

    assert field in dict(refused.value.details)
    assert (Initiative.objects.count(), AuditEvent.objects.count()) == before


def test_applied_initiative_cannot_start_in_the_future_but_a_proposal_can(demo):
    later = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ApplicationError):
        initiative_create(user=user("cchc"), data=good(demo, started_on=later), status=Initiative.Status.APPLIED)

    proposal = initiative_create(user=user("cchc"), data=good(demo, started_on=later))

    with pytest.raises(ApplicationError):
        initiative_set_status(initiative=proposal, user=user("cchc"), status=Initiative.Status.APPLIED)
    proposal.refresh_from_db()
    assert proposal.status == Initiative.Status.PROPOSED


def test_same_title_twice_in_an_agency_is_a_conflict(demo):
    initiative_create(user=user("cchc"), data=good(demo))

    with pytest.raises(Conflict):
        initiative_create(user=user("cchc"), data=good(demo, title="TRẢ KẾT QUẢ GIẤY PHÉP QUA BƯU CHÍNH"))

    assert Initiative.objects.filter(agency=demo).count() == 1


def test_a_twin_registered_at_the_same_moment_is_a_conflict_not_a_crash(demo, monkeypatch):
    initiative_create(user=user("cchc"), data=good(demo))
    # The second request of a double click checked the titles before the first one was saved.
    monkeypatch.setattr("cchc.initiatives.services._title_taken", lambda **kwargs: False)

    with pytest.raises(Conflict):
        initiative_create(user=user("cchc"), data=good(demo))

    assert Initiative.objects.filter(agency=demo).count() == 1
    assert events("initiative.create").count() == 1


def test_unit_head_registers_for_their_unit_only(demo):
    own = initiative_create(user=user("truongphong"), data=good(demo))
    assert own.unit.code == "QLVT"

    for username in ("truongphong", "lanhdao", "chuyenvien"):
        with pytest.raises(PermissionDenied):
            initiative_create(
                user=user(username), data=good(demo, title=f"Sáng kiến của {username}", unit=unit(demo, "KCHT"))
            )
    assert not Initiative.objects.filter(unit__code="KCHT").exists()


def test_unit_from_another_agency_is_refused(demo):
    foreign = Unit.objects.get(agency__code="000.00.10.H99", code="QLXD")

    with pytest.raises(ApplicationError) as refused:
        initiative_create(user=user("cchc"), data=good(demo, unit=foreign))

    assert "unit" in dict(refused.value.details)
    assert not Initiative.objects.exists()


def test_update_records_what_changed_and_nothing_when_nothing_did(demo):
    initiative = initiative_create(user=user("cchc"), data=good(demo))

    initiative_update(initiative=initiative, user=user("truongphong"), data=good(demo))
    assert not events("initiative.update").exists()

    initiative_update(
        initiative=initiative,
        user=user("truongphong"),
        data=good(demo, recognised=True, recognition_level="department", recognition_decision="12/QĐ-SGTVT"),
    )
    initiative.refresh_from_db()
    assert initiative.recognised and initiative.recognition_decision == "12/QĐ-SGTVT"
    change = events("initiative.update").get().data
    assert change["recognition_decision"] == {"from": "", "to": "12/QĐ-SGTVT"}


def test_refused_update_changes_nothing(demo):
    initiative = initiative_create(user=user("cchc"), data=good(demo))

    with pytest.raises(PermissionDenied):
        initiative_update(initiative=initiative, user=user("lanhdao"), data=good(demo, title="Tên mới của lãnh đạo"))
    with pytest.raises(ApplicationError):
        initiative_update(initiative=initiative, user=user("cchc"), data=good(demo, description="ngắn"))
    with pytest.raises(PermissionDenied):
        initiative_update(initiative=initiative, user=user("truongphong"), data=good(demo, unit=unit(demo, "KCHT")))

    initiative.refresh_from_db()
    assert initiative.title == "Trả kết quả giấy phép qua bưu chính" and initiative.unit.code == "QLVT"
    assert not events("initiative.update").exists()


def test_lifecycle_follows_its_transitions(demo):
    initiative = initiative_create(user=user("cchc"), data=good(demo))
    officer = user("cchc")

    with pytest.raises(Conflict):
        initiative_set_status(initiative=initiative, user=officer, status=Initiative.Status.REPLICATED)
    initiative_set_status(initiative=initiative, user=officer, status=Initiative.Status.APPLIED)
    initiative_set_status(initiative=initiative, user=officer, status=Initiative.Status.APPLIED)  # again: nothing
    with pytest.raises(ApplicationError):
        initiative_set_status(initiative=initiative, user=officer, status=Initiative.Status.STOPPED)  # no reason
    initiative_set_status(
        initiative=initiative, user=officer, status=Initiative.Status.STOPPED, reason="Nhà mạng ngừng dịch vụ"
    )

    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.STOPPED
    moves = list(events("initiative.status").order_by("pk").values_list("from_status", "to_status", "reason"))
    assert moves == [("proposed", "applied", ""), ("applied", "stopped", "Nhà mạng ngừng dịch vụ")]


def test_leader_cannot_change_status(demo):
    initiative = initiative_create(user=user("cchc"), data=good(demo))

    with pytest.raises(PermissionDenied):
        initiative_set_status(initiative=initiative, user=user("lanhdao"), status=Initiative.Status.APPLIED)

    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PROPOSED
