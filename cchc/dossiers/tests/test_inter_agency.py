"""Inter-agency (liên thông) dossiers: each agency's passage is a segment with its own budget and
judgement; an agency sees the dossier from its passage on, never before; its desk lists the
dossier while its step is open; the history shows each hand-over."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cchc.audit.models import AuditEvent
from cchc.core.errors import PermissionDenied
from cchc.core.selectors import working_calendar
from cchc.dossiers import timeliness
from cchc.dossiers.models import DossierSegment
from cchc.dossiers.policies import may_act
from cchc.dossiers.selectors import dossier_visible_to, dossiers_late, work_queue
from cchc.dossiers.workflow import Action

from .helpers import act, frozen, submit, user
from .interagency import CODE, build_inter_agency_procedure
from .province import PASSWORD

DEPARTMENT_STAFF = ("chuyenvien", "truongphong", "lanhdao", "cchc", "motcua")
COMMUNE_B_STAFF = ("xa_b_motcua", "xa_b_chuyenvien", "xa_b_truongphong", "xa_b_lanhdao")


@pytest.fixture
def procedure(demo):
    return build_inter_agency_procedure()


def visible(username: str, dossier) -> bool:
    return dossier_visible_to(user(username)).filter(pk=dossier.pk).exists()


def queued(username: str, dossier) -> bool:
    return work_queue(user=user(username)).filter(pk=dossier.pk).exists()


def to_department(dossier):
    dossier = act(dossier, "xa_a_motcua", "receive")
    dossier = act(dossier, "xa_a_motcua", "forward")
    dossier = act(dossier, "xa_a_truongphong", "assign", assignee="xa_a_chuyenvien")
    return act(dossier, "xa_a_chuyenvien", "forward", comment="Đã xác minh, chuyển Sở thẩm định.")


def through_department(dossier):
    dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
    dossier = act(dossier, "chuyenvien", "forward", comment="Đủ điều kiện.")
    return act(dossier, "lanhdao", "approve", comment="Đồng ý.")


def test_the_department_sees_the_dossier_only_from_its_passage_on(procedure):
    dossier = submit(code=CODE)
    assert dossier.agency.code == procedure.agency.code  # commune A resolves it
    dossier = act(dossier, "xa_a_motcua", "receive")
    dossier = act(dossier, "xa_a_motcua", "forward")
    # Before its step starts: the department sees nothing, commune B nothing.
    for username in DEPARTMENT_STAFF + COMMUNE_B_STAFF:
        assert not visible(username, dossier), username
    assert visible("xa_a_lanhdao", dossier)

    dossier = act(dossier, "xa_a_truongphong", "assign", assignee="xa_a_chuyenvien")
    dossier = act(dossier, "xa_a_chuyenvien", "forward")
    # While: the department's people who see its dossiers, and its unit on the step.
    for username in ("chuyenvien", "truongphong", "lanhdao", "cchc"):
        assert visible(username, dossier), username
    assert visible("xa_a_lanhdao", dossier)  # the resolving commune keeps it

    dossier = through_department(dossier)
    dossier = act(dossier, "xa_a_motcua", "result_ready")
    dossier = act(dossier, "xa_a_motcua", "return_result")
    # After: still the department's; never commune B's.
    for username in ("chuyenvien", "truongphong", "lanhdao", "cchc"):
        assert visible(username, dossier), username
    for username in COMMUNE_B_STAFF:
        assert not visible(username, dossier), username


def test_a_dossier_that_never_reached_the_department_stays_invisible_to_it(procedure):
    dossier = submit(code=CODE)
    dossier = act(dossier, "xa_a_motcua", "receive")
    dossier = act(dossier, "xa_a_motcua", "forward")
    act(dossier, "xa_a_lanhdao", "stop", comment="Người dân đề nghị dừng.")
    for username in DEPARTMENT_STAFF:
        assert not visible(username, dossier), username


def test_each_agency_acts_only_while_its_step_is_open_and_its_desk_lists_the_dossier(procedure):
    dossier = submit(code=CODE)
    dossier = act(dossier, "xa_a_motcua", "receive")
    dossier = act(dossier, "xa_a_motcua", "forward")
    assert not queued("truongphong", dossier)
    dossier = act(dossier, "xa_a_truongphong", "assign", assignee="xa_a_chuyenvien")
    dossier = act(dossier, "xa_a_chuyenvien", "forward")

    # The department's unit holds step 3: its head and its specialists find it on the desk.
    assert queued("truongphong", dossier)
    assert queued("chuyenvien", dossier)
    assert not queued("xa_a_chuyenvien", dossier)
    # The commune's people may not act on the department's step, nor assign a commune specialist.
    assert not may_act(user("xa_a_truongphong"), dossier, Action.ASSIGN)
    assert not may_act(user("xa_a_lanhdao"), dossier, Action.FORWARD)
    with pytest.raises(PermissionDenied):
        act(dossier, "xa_a_truongphong", "assign", assignee="xa_a_chuyenvien")

    dossier = act(dossier, "truongphong", "assign", assignee="chuyenvien")
    dossier = act(dossier, "chuyenvien", "forward")
    # Step 4 is the department leader's: not the commune chair's desk.
    assert queued("lanhdao", dossier)
    assert not queued("xa_a_lanhdao", dossier)
    assert not may_act(user("xa_a_lanhdao"), dossier, Action.APPROVE)

    dossier = act(dossier, "lanhdao", "approve")
    # Back at the commune's counter for the return: the department no longer holds it.
    assert queued("xa_a_motcua", dossier)
    assert not queued("lanhdao", dossier)
    assert not queued("motcua", dossier)
    assert not may_act(user("motcua"), dossier, Action.RESULT_READY)


def test_segments_record_each_agency_with_its_budget_and_the_history_shows_the_hand_overs(procedure):
    dossier = through_department(to_department(submit(code=CODE)))
    dossier = act(dossier, "xa_a_motcua", "result_ready")
    segments = list(DossierSegment.objects.filter(dossier=dossier).select_related("agency"))
    commune, department = procedure.agency, user("lanhdao").agency
    assert [(s.agency, s.first_step, s.budget_hours) for s in segments] == [
        (commune, 1, 5),  # counter and verification: 1 + 4 hours
        (department, 3, 12),  # appraisal and decision: 8 + 4 hours
        (commune, 5, 1),  # the return
    ]
    assert all(s.left_at is not None and s.outcome for s in segments)
    assert segments[0].left_at == segments[1].entered_at and segments[1].left_at == segments[2].entered_at

    hand_overs = list(dossier.events.filter(action=Action.HAND_OVER).order_by("at", "id"))
    assert [(e.step_order, e.reason) for e in hand_overs] == [
        (3, f"Chuyển liên thông từ {commune.name} sang {department.name}."),
        (5, f"Chuyển liên thông từ {department.name} sang {commune.name}."),
    ]
    assert AuditEvent.objects.filter(action="dossier.hand_over", dossier_code=dossier.code).count() == 2
    # Each run on an inter-agency dossier records where it ran.
    assert [s.agency_id for s in dossier.steps.order_by("started_at", "id")] == [
        commune.pk,
        commune.pk,
        department.pk,
        department.pk,
        commune.pk,
    ]


def test_each_agency_is_judged_on_its_own_passage(procedure):
    # Lodged in the evening before a working day: the commune's five hours run on that day, so passing
    # the dossier on at once is early; the department then takes three weeks over its twelve hours.
    # (Lodged at the real hour, the commune's outcome depended on when the suite ran: on time by day,
    # early by night.)
    today = timezone.localtime().date()
    working_day = working_calendar().next_working_day(today)
    evening = datetime.combine(working_day - timedelta(days=1), time(20), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with frozen(evening):
        dossier = to_department(submit(code=CODE))
    entered = DossierSegment.objects.get(dossier=dossier, sequence=2).entered_at
    # The department takes three weeks over its twelve hours; the commune is quick both times.
    later = entered + timedelta(days=21)
    with frozen(later):
        dossier = through_department(dossier)
        dossier = act(dossier, "xa_a_motcua", "result_ready")
    outcomes = list(DossierSegment.objects.filter(dossier=dossier).values_list("agency__code", "outcome"))
    commune, department = procedure.agency.code, user("lanhdao").agency.code
    assert outcomes == [(commune, "early"), (department, "late"), (commune, "early")]
    late = DossierSegment.objects.filter(timeliness.segment_left_late())
    assert list(late.values_list("agency__code", flat=True)) == [department]
    assert DossierSegment.objects.filter(timeliness.segment_left_on_time()).count() == 2


def test_an_open_passage_falls_late_at_its_due_moment(procedure):
    dossier = to_department(submit(code=CODE))
    segment = DossierSegment.objects.get(dossier=dossier, left_at__isnull=True)
    assert segment.agency.code == user("lanhdao").agency.code
    before, after = segment.due_at - timedelta(minutes=1), segment.due_at + timedelta(minutes=1)
    assert not timeliness.segment_is_late(segment, dossier=dossier, at=before)
    assert timeliness.segment_is_late(segment, dossier=dossier, at=after)
    assert not DossierSegment.objects.filter(timeliness.segment_open_late(before)).exists()
    assert DossierSegment.objects.filter(timeliness.segment_open_late(after)).get() == segment
    # The department's late list shows it; the commune's not yet: the dossier's own deadline is later.
    assert dossier.deadline_at > after
    assert dossier in dossiers_late(now=after, user=user("lanhdao"))
    assert dossier not in dossiers_late(now=after, user=user("xa_a_lanhdao"))
    assert dossier not in dossiers_late(now=before, user=user("lanhdao"))


def test_a_single_agency_dossier_keeps_no_segments(demo):
    dossier = act(submit(), "motcua", "receive")
    dossier = act(dossier, "motcua", "forward")
    assert not DossierSegment.objects.filter(dossier=dossier).exists()
    assert dossier.steps.filter(agency__isnull=False).count() == 0


def test_the_api_detail_lists_the_segments_for_each_agency_that_may_see_it(client, procedure):
    cache.clear()
    dossier = to_department(submit(code=CODE))

    def detail(username):
        response = client.post(
            "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
        )
        headers = {"Authorization": f"Bearer {response.json()['token']}"}
        return client.get(f"/api/v1/dossiers/{dossier.code}", headers=headers)

    body = detail("lanhdao").json()
    assert body["agency"]["code"] == procedure.agency.code
    assert [(s["sequence"], s["agency"]["code"], s["budget_hours"]) for s in body["segments"]] == [
        (1, procedure.agency.code, 5),
        (2, user("lanhdao").agency.code, 12),
    ]
    assert body["segments"][0]["outcome"] in ("early", "on_time")
    assert body["segments"][1]["left_at"] is None and body["segments"][1]["late"] is False
    assert detail("xa_b_lanhdao").status_code == 404
    cache.clear()
    assert timezone.now()  # the clock was not left frozen


def test_the_department_desk_lists_the_dossier_and_its_page_shows_the_hand_over(client, procedure):
    from django.urls import reverse

    dossier = submit(code=CODE)
    dossier = act(act(dossier, "xa_a_motcua", "receive"), "xa_a_motcua", "forward")
    client.force_login(user("truongphong"))
    mine = reverse("dossiers:office_home")
    assert dossier.code not in client.get(mine, {"muc": "viec-cua-toi"}).content.decode()
    detail = reverse("dossiers:office_detail", kwargs={"code": dossier.code})
    assert client.get(detail).status_code == 404

    dossier = act(dossier, "xa_a_truongphong", "assign", assignee="xa_a_chuyenvien")
    dossier = act(dossier, "xa_a_chuyenvien", "forward")
    assert dossier.code in client.get(mine, {"muc": "viec-cua-toi"}).content.decode()
    html = client.get(detail).content.decode()
    department = user("truongphong").agency
    assert f"Chuyển liên thông từ {procedure.agency.name} sang {department.name}." in html
    assert "Giải quyết liên thông: thời gian tại từng cơ quan" in html
    # The department's head assigns one of the department's specialists from the page.
    assert 'value="chuyenvien"' in html and 'value="xa_a_chuyenvien"' not in html

    client.force_login(user("xa_b_lanhdao"))
    assert client.get(detail).status_code == 404
