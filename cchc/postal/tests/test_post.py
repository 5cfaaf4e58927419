"""Results by post: the officer sends a ready result through VNPost (the simulator server's, over HTTP), the
waybill shows on the dossier, the tracking is pulled, and the delivery is recorded as the return of the
result."""

import pytest
from django.urls import reverse

from cchc.audit.models import AuditEvent
from cchc.core.errors import Conflict, PermissionDenied
from cchc.dossiers.tests.helpers import CITIZEN, act, drive_to_decision_step, submit, user
from cchc.postal import services
from cchc.postal.client import VnpostClient
from cchc.postal.models import Shipment

pytestmark = pytest.mark.django_db
S = Shipment.State


@pytest.fixture(autouse=True)
def _without_the_fee_guard(monkeypatch):
    """The fee before reception is the payments app's rule, tested there."""
    from cchc.dossiers import hooks

    monkeypatch.setattr(hooks, "_guards", [])


def _ready(return_method="post"):
    dossier = submit(key=f"post-{return_method}")
    dossier.return_method = return_method
    dossier.save(update_fields=["return_method"])
    dossier = drive_to_decision_step(dossier)
    dossier = act(dossier, "lanhdao", "approve", comment="Đồng ý")
    return act(dossier, "motcua", "result_ready")


def test_the_result_travels_by_post_and_its_delivery_returns_it(demo, simulator, django_capture_on_commit_callbacks):
    dossier = _ready()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        shipment = services.shipment_request(dossier=dossier, officer=user("motcua"))
    assert len(queued) == 1  # the order is made by a task once the request commits
    assert AuditEvent.objects.filter(action="postal.request", object_id=str(shipment.pk)).exists()
    shipment = services.shipment_create_order(shipment_id=shipment.pk)
    assert shipment.state == S.CREATED and shipment.waybill.startswith("EB")
    for expected in (S.PICKED_UP, S.IN_TRANSIT, S.DELIVERED):
        shipment = services.shipment_track(shipment=shipment)
        assert shipment.state == expected
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.return_method == "post"
    event = dossier.events.get(action="return_result")
    assert shipment.waybill in event.reason and event.actor == user("motcua")
    assert list(shipment.events.values_list("code", flat=True)) == ["100", "200", "300", "500"]
    # Tracking again changes nothing.
    services.shipment_track(shipment=shipment)
    assert shipment.events.count() == 4 and dossier.events.filter(action="return_result").count() == 1


def test_asking_twice_makes_one_shipment(demo):
    dossier = _ready()
    first = services.shipment_request(dossier=dossier, officer=user("motcua"))
    assert services.shipment_request(dossier=dossier, officer=user("motcua")) == first
    assert Shipment.objects.filter(dossier=dossier).count() == 1


def test_only_a_ready_result_chosen_by_post_is_sent(demo):
    with pytest.raises(Conflict):
        services.shipment_request(dossier=_ready(return_method="counter"), officer=user("motcua"))
    early = submit(key="early")
    early.return_method = "post"
    early.save(update_fields=["return_method"])
    early = act(early, "motcua", "receive")
    with pytest.raises(Conflict):
        services.shipment_request(dossier=early, officer=user("motcua"))
    with pytest.raises(PermissionDenied):
        services.shipment_request(dossier=_ready(), officer=user("chuyenvien"))
    assert not Shipment.objects.exists()


def test_an_order_vnpost_already_has_gives_back_its_waybill(demo, simulator):
    dossier = _ready()
    shipment = services.shipment_request(dossier=dossier, officer=user("motcua"))
    earlier = VnpostClient().create_order(services._order(shipment))
    assert earlier["Status"] == "100"
    shipment = services.shipment_create_order(shipment_id=shipment.pk)
    assert shipment.state == S.CREATED and shipment.waybill == earlier["ItemCode"]


def test_the_simulator_refuses_an_order_without_a_receiver_and_a_late_cancel(demo, simulator):
    client = VnpostClient()
    assert client.create_order({"OrderNumber": "X-1", "Receiver": {"Name": "A"}})["Status"] != "100"
    assert (
        client.create_order({"OrderNumber": "X-2", "Receiver": {"Name": "A", "Address": "B", "Tel": "0912"}})["Status"]
        == "100"
    )
    client.tracking("X-2")  # picked up
    assert client.cancel("X-2")["Status"] != "100"
    (order,) = [o for o in simulator.vnpost_orders() if o["key"] == "X-2"]
    assert order["data"]["cancelled"] is False and order["data"]["steps"][-1][1].endswith("(giả lập)")


def test_the_waybill_shows_to_the_officer_and_the_applicant(demo, client, simulator):
    dossier = _ready()
    client.force_login(user("motcua"))
    page = client.get(reverse("dossiers:office_detail", args=[dossier.code])).content.decode()
    assert "Gửi kết quả qua VNPost" in page
    assert client.post(reverse("postal:send", args=[dossier.code])).status_code == 302
    shipment = services.shipment_create_order(shipment_id=Shipment.objects.get(dossier=dossier).pk)
    page = client.get(reverse("dossiers:office_detail", args=[dossier.code])).content.decode()
    assert shipment.waybill in page and "Gửi kết quả qua VNPost" not in page
    client.force_login(user("congdan"))
    mine = client.get(reverse("dossiers:my_detail", args=[dossier.code])).content.decode()
    assert shipment.waybill in mine


def test_the_applicants_address_must_be_known(demo):
    dossier = _ready()
    dossier.applicant_address = ""
    dossier.save(update_fields=["applicant_address"])
    with pytest.raises(Exception, match="địa chỉ"):
        services.shipment_request(dossier=dossier, officer=user("motcua"))
    assert CITIZEN.address  # the helpers' applicant has one


def test_vnpost_is_played_by_the_simulator_server_not_this_site(demo, client, simulator, settings):
    from cchc.postal.client import VnpostError, account

    assert client.post("/gia-lap/vnpost/apiGetToken/", data="{}", content_type="application/json").status_code == 404
    assert account().base == "http://simulators.test/vnpost"
    simulator.set_down("vnpost")
    with pytest.raises(VnpostError, match="503"):
        VnpostClient().create_order({"OrderNumber": "X-3", "Receiver": {"Name": "A", "Address": "B", "Tel": "0912"}})
    settings.VNPOST_URL = "https://vnpost.example/api/"  # going live: configuration only
    assert account().base == "https://vnpost.example/api"
