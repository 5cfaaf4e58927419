"""DVCQG synchronisation: the outbox written with each change, sent in order with retries to the simulated
portal (the simulator server, over HTTP), the operator's page, the pull of dossiers lodged on the portal,
and the 766 figure."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cchc.audit.models import AuditEvent
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.helpers import act, submit, user
from cchc.dvcqg import selectors, services
from cchc.dvcqg.client import DvcqgClient
from cchc.dvcqg.models import NationalDossier, OutboxMessage
from cchc.procedures.models import Procedure

pytestmark = pytest.mark.django_db
AGENCY = "000.00.12.H99"
State, Kind = OutboxMessage.State, OutboxMessage.Kind


def _messages(dossier):
    return list(OutboxMessage.objects.filter(dossier=dossier).order_by("id"))


def _make_due(dossier=None):
    rows = OutboxMessage.objects.filter(state=State.PENDING)
    if dossier is not None:
        rows = rows.filter(dossier=dossier)
    rows.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_submission_writes_its_outbox_row_and_queues_the_sender(demo, django_capture_on_commit_callbacks):
    # The sender's job is written in the submission's transaction, not by a callback after its commit.
    with django_capture_on_commit_callbacks(execute=False):
        dossier = submit()
    (message,) = _messages(dossier)
    assert (message.kind, message.state, message.payload["isUpdating"]) == (Kind.DOSSIER, State.PENDING, "False")
    assert message.payload["data"]["MaHoSo"] == dossier.code
    assert message.payload["data"]["TrangThaiHoSo"] == "1"
    assert DBTaskResult.objects.filter(
        task_path="cchc.dvcqg.tasks.send_outbox", args_kwargs__args=[dossier.pk]
    ).exists()


def test_a_change_rolled_back_leaves_no_outbox_row(demo):
    before = OutboxMessage.objects.count()
    jobs = DBTaskResult.objects.filter(task_path="cchc.dvcqg.tasks.send_outbox")
    jobs_before = jobs.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError
    assert OutboxMessage.objects.count() == before
    assert jobs.count() == jobs_before


def test_every_status_change_reaches_the_portal_in_order(demo, simulator):
    dossier = submit()
    dossier = act(dossier, "motcua", "receive")
    dossier = act(dossier, "motcua", "forward")
    kinds = [m.kind for m in _messages(dossier)]
    assert kinds == [Kind.DOSSIER, Kind.PROGRESS, Kind.PROGRESS]
    report = services.outbox_send(dossier_id=dossier.pk)
    assert report.sent == 3
    held = simulator.dvcqg_dossier(dossier.code)
    assert held["dossier"]["MaTTHC"] == dossier.procedure.code
    assert [step["TrangThai"] for step in held["steps"]] == ["2", "4"]
    assert all(m.state == State.SENT and m.sent_at for m in _messages(dossier))
    assert selectors.dossier_sync(dossier=dossier).state == "sent"


def test_a_portal_outage_is_retried_later_and_the_order_is_kept(demo, simulator):
    dossier = submit()
    dossier = act(dossier, "motcua", "receive")
    simulator.set_down("dvcqg")
    report = services.outbox_send(dossier_id=dossier.pk)
    assert (report.sent, report.failed, report.waiting) == (0, 1, 1)
    first, second = _messages(dossier)
    assert first.attempts == 1 and first.next_attempt_at > timezone.now()
    assert "503" in first.last_error
    assert second.attempts == 0  # never sent before the first
    assert selectors.dossier_sync(dossier=dossier).state == "pending"
    simulator.set_down("dvcqg", False)
    assert services.outbox_send(dossier_id=dossier.pk).sent == 0  # not due yet
    _make_due(dossier)
    assert services.outbox_send(dossier_id=dossier.pk).sent == 2
    assert [s["TrangThai"] for s in simulator.dvcqg_dossier(dossier.code)["steps"]] == ["2"]


def test_after_the_last_attempt_the_operator_sends_it_again(demo, simulator):
    dossier = submit()
    simulator.set_down("dvcqg")
    for _attempt in range(services.MAX_ATTEMPTS):
        _make_due(dossier)
        services.outbox_send(dossier_id=dossier.pk)
    (message,) = _messages(dossier)
    assert message.state == State.FAILED
    assert selectors.dossier_sync(dossier=dossier).state == "failed"
    simulator.set_down("dvcqg", False)
    services.outbox_retry(message=message, actor=user("cchc"))
    assert AuditEvent.objects.filter(action="dvcqg.retry", object_id=str(message.pk)).exists()
    assert services.outbox_send(dossier_id=dossier.pk).sent == 1


def test_a_dossier_the_portal_already_holds_is_updated_instead(demo, simulator):
    dossier = submit()
    client = DvcqgClient()
    data = _messages(dossier)[0].payload["data"]
    client.call("DongBoHoSoMC", agency_code=AGENCY, isUpdating="False", data=[{**data, "ChuHoSo": "Tên cũ"}])
    assert services.outbox_send(dossier_id=dossier.pk).sent == 1
    assert simulator.dvcqg_dossier(dossier.code)["dossier"]["ChuHoSo"] == dossier.applicant_name


def test_a_stale_session_is_renewed(demo, simulator, settings):
    from django.core.cache import cache

    client = DvcqgClient()
    cache.set(f"dvcqg:session:{client.where.auth}:{client.where.username}", "stale", 60)
    dossier = submit()
    assert services.outbox_send(dossier_id=dossier.pk).sent == 1


def test_the_simulated_portal_refuses_bad_dates_and_statuses(demo, simulator):
    client = DvcqgClient()
    answer = client.call(
        "DongBoHoSoMC",
        agency_code=AGENCY,
        isUpdating="False",
        data=[{"MaHoSo": "X-1", "MaTTHC": "1.000010", "TrangThaiHoSo": "11", "NgayNopHoSo": "20260101"}],
    )
    assert answer["error_code"] != 0
    answer = client.call(
        "DongBoHoSoMC",
        agency_code=AGENCY,
        isUpdating="False",
        data=[{"MaHoSo": "X-1", "MaTTHC": "1.000010", "TrangThaiHoSo": "1", "NgayNopHoSo": "01/01/2026"}],
    )
    assert "yyyyMMddHHmmss" in answer["message"]


def test_publishing_a_procedure_queues_the_local_offering(demo, simulator):
    from cchc.procedures.selectors import spec_from_version
    from cchc.procedures.services import procedure_publish

    procedure = Procedure.objects.get(code="1.000010")
    spec = spec_from_version(procedure.current_version)
    from dataclasses import replace

    procedure_publish(agency=demo, spec=replace(spec, name=spec.name + " (sửa)"))
    message = OutboxMessage.objects.filter(kind=Kind.OFFERING, procedure=procedure).latest("id")
    assert message.payload["data"]["TenTTHC"].endswith("(sửa)")
    assert message.payload["data"]["MaDonVi"] == AGENCY
    assert services.outbox_send().sent >= 1
    message.refresh_from_db()
    assert message.state == State.SENT


def test_dossiers_lodged_on_the_portal_enter_intake_once(demo, simulator):
    report = services.national_pull(agency=demo)
    assert len(report.taken) == 1, report.skipped
    national = NationalDossier.objects.get(national_code=report.taken[0])
    dossier = national.dossier
    assert dossier.status == "submitted" and dossier.code and dossier.channel == "online"
    assert dossier.applicant_id_number == "037095004321"
    assert dossier.documents.exclude(file="").count() == 1
    assert national.acknowledged_at is not None
    assert services.national_pull(agency=demo).taken == []
    # Its changes are told under the portal's code, not ours.
    act(dossier, "motcua", "receive")
    services.outbox_send(dossier_id=dossier.pk)
    held = simulator.dvcqg_dossier(national.national_code)
    assert held is not None and held["steps"][-1]["TrangThai"] == "2"
    assert simulator.dvcqg_dossier(dossier.code) is None


def test_a_lodged_dossier_of_an_unknown_procedure_is_reported_and_left(demo, simulator):
    simulator.dvcqg_lodge(
        agency_code=AGENCY, national_code="G22-LA-1", procedure_code="9.999999", ChuHoSo="A", LoaiDoiTuong="1"
    )
    report = services.national_pull(agency=demo)
    assert any(s.startswith("G22-LA-1") for s in report.skipped)
    assert not NationalDossier.objects.filter(national_code="G22-LA-1").exists()


def test_the_sync_indicator_counts_changes_told_in_time(demo, simulator):
    dossier = submit()
    act(dossier, "motcua", "receive")
    services.outbox_send(dossier_id=dossier.pk)
    late = submit()
    OutboxMessage.objects.filter(dossier=late).update(changed_at=timezone.now() - timedelta(hours=30))
    services.outbox_send(dossier_id=late.pk)
    start, end = timezone.now() - timedelta(days=2), timezone.now() + timedelta(minutes=1)
    figure = selectors.sync_in_time(agency_ids=[demo.pk], start=start, end=end)
    assert (figure.in_time, figure.total) == (2, 3)


def test_the_operator_page_is_for_the_reform_officer(demo, client, simulator):
    dossier = submit()
    client.force_login(user("congdan"))
    assert client.get(reverse("dvcqg:operator")).status_code == 403
    client.force_login(user("cchc"))
    page = client.get(reverse("dvcqg:operator")).content.decode()
    assert dossier.code in page and "Chờ gửi" in page
    client.force_login(user("motcua"))
    detail = client.get(reverse("dossiers:office_detail", args=[dossier.code])).content.decode()
    assert "Đồng bộ Cổng Dịch vụ công quốc gia" in detail and "Đang chờ đồng bộ" in detail


def test_nothing_is_recorded_when_the_portal_is_not_configured(demo, settings):
    settings.CCHC_SIMULATORS = False
    dossier = submit()
    assert not OutboxMessage.objects.filter(dossier=dossier).exists()
    assert isinstance(dossier, Dossier)


def test_an_agency_offering_a_procedure_tells_the_portal(demo, simulator):
    from cchc.accounts.models import Agency
    from cchc.procedures.services import offering_set

    other = Agency.objects.exclude(pk=demo.pk).first()
    if other is None:
        pytest.skip("the demo has one agency")
    procedure = Procedure.objects.get(code="1.000010")
    offering_set(procedure=procedure, agency=other, online_level=3)
    message = OutboxMessage.objects.filter(kind=Kind.OFFERING, agency=other).latest("id")
    assert message.payload["data"]["MaDonVi"] == other.code and message.payload["data"]["MucDo"] == "3"


def test_the_portal_is_played_by_the_simulator_server_not_this_site(demo, client, simulator, settings):
    from cchc.dvcqg.client import endpoints

    assert client.post("/gia-lap/dvcqg/auth/", data="{}", content_type="application/json").status_code == 404
    assert endpoints().integration == "http://simulators.test/dvcqg/integration"
    settings.DVCQG_AUTH_URL = "https://portal.example/auth"
    settings.DVCQG_INTEGRATION_URL = "https://portal.example/integration"  # going live: configuration only
    assert (endpoints().auth, endpoints().share) == (
        "https://portal.example/auth",
        "https://portal.example/integration",
    )
