"""SMS brandname (VNPT's and Viettel's shapes) and Zalo ZNS behind the notification layer: contract
tests against the simulator server (send over HTTP; the delivery report it sends back handed to our
callback), approved templates, per-user choice."""

import json
from dataclasses import replace

import pytest
from django.test import Client

from cchc.audit.models import AuditEvent
from cchc.dossiers.models import Notification
from cchc.dossiers.tasks import deliver_notification
from cchc.dossiers.tests.helpers import CITIZEN, submit, user
from cchc.messaging.models import DeliveryReport, MessageTemplate, SentMessage
from cchc.messaging.services import sms_report_signature, template_approve

pytestmark = pytest.mark.django_db

SMS, ZALO = Notification.Channel.SMS, Notification.Channel.ZALO


@pytest.fixture(autouse=True)
def providers(settings):
    settings.CCHC_SMS_ENABLED = True
    settings.CCHC_ZALO_ENABLED = True
    settings.CCHC_SMS_PROVIDER = "cchc.messaging.providers.BrandnameSms"
    settings.CCHC_ZALO_PROVIDER = "cchc.messaging.providers.ZaloZns"


_SERVER = []


@pytest.fixture(autouse=True)
def _simulator_server(simulator):
    _SERVER[:] = [simulator]


def _sent(channel, *, phone=CITIZEN.phone):
    """A dossier's notice on `channel`, delivered; the provider's delivery report reaches CCHC."""
    dossier = submit(applicant=replace(CITIZEN, phone=phone))
    notice = Notification.objects.get(dossier=dossier, channel=channel)
    assert deliver_notification.call(notice.pk) in ("sent", "failed")
    _SERVER[0].deliver(Client())
    notice.refresh_from_db()
    return dossier, notice


def test_an_sms_goes_out_with_the_approved_template_and_its_delivery_is_reported(demo, simulator, simulated_http):
    dossier, notice = _sent(SMS)
    assert notice.state == Notification.State.SENT
    (outbox,) = simulator.messages(channel="sms")
    assert outbox["phone"] == "84912345678" and outbox["template_id"] == "CCHC_TRANG_THAI"
    assert dossier.code in outbox["content"]
    request = json.loads(simulated_http.to("simulators.test/sms/vnpt/")[0][2])["RQST"]
    assert request["LABELID"] == "SO GTVT" and request["REQID"] == f"cchc-{notice.pk}"
    sent = SentMessage.objects.get(notification=notice)
    assert sent.status == SentMessage.Status.DELIVERED and sent.reported_at is not None
    assert AuditEvent.objects.filter(action="messaging.delivery_report", dossier_code=dossier.code).exists()


def test_a_zns_message_fills_exactly_the_template_parameters_and_is_reported(demo, simulator):
    dossier, notice = _sent(ZALO)
    assert notice.state == Notification.State.SENT
    (outbox,) = simulator.messages(channel="zalo")
    data = json.loads(outbox["content"])
    assert set(data) == {"ten_nguoi_dan", "ma_ho_so", "trang_thai", "tra_cuu"} and data["ma_ho_so"] == dossier.code
    assert SentMessage.objects.get(notification=notice).status == SentMessage.Status.DELIVERED


def test_an_unreachable_number_is_a_failed_notice_with_the_reason(demo):
    _dossier, notice = _sent(SMS, phone="0912345000")
    assert notice.state == Notification.State.FAILED and "không liên lạc được" in notice.error


def test_a_message_not_delivered_is_shown_as_such_on_the_dossier(client, demo):
    dossier, notice = _sent(SMS, phone="0912345999")
    assert SentMessage.objects.get(notification=notice).status == SentMessage.Status.FAILED
    client.force_login(user("congdan"))
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Không đến được người nhận" in page


def test_nothing_is_sent_without_an_approved_template(demo, simulator):
    template = MessageTemplate.objects.get(channel="sms")
    template_approve(template=template, actor=user("quantri"), approved=False)
    _dossier, notice = _sent(SMS)
    assert notice.state == Notification.State.FAILED and "phê duyệt" in notice.error
    assert simulator.messages() == []


# ---------------------------------------------------------------- Viettel's SMS shape (SOAP wsCpMt)


def test_viettel_sends_the_filled_template_by_soap_and_its_delivery_is_reported(
    demo, simulator, simulated_http, settings
):
    from cchc.messaging import protocol

    settings.CCHC_SMS_PROVIDER = "cchc.messaging.providers.ViettelSms"
    dossier, notice = _sent(SMS)
    assert notice.state == Notification.State.SENT
    (outbox,) = simulator.messages(channel="sms")
    assert outbox["message_id"] == f"cchc-{notice.pk}" and outbox["phone"] == "84912345678"
    assert outbox["content"].startswith(f"Ho so {dossier.code}: ")  # the approved template's text, filled
    sent = SentMessage.objects.get(notification=notice)
    assert sent.message_id == f"cchc-{notice.pk}" and sent.status == SentMessage.Status.DELIVERED
    (call,) = simulated_http.to("simulators.test/sms/viettel/")
    request = protocol.viettel_sms_read(call[2], "wsCpMt")
    assert (request["ServiceID"], request["CPCode"], request["CommandCode"], request["ContentType"]) == (
        "SO GTVT",
        settings.CCHC_SMS_CP_CODE,
        "bulksms",
        "1",
    )
    assert request["RequestID"] == f"cchc-{notice.pk}" and request["Content"] == outbox["content"]


def test_viettel_refuses_a_wrong_cp_code_and_the_notice_fails_with_its_reason(demo, settings):
    settings.CCHC_SMS_PROVIDER = "cchc.messaging.providers.ViettelSms"
    settings.CCHC_SMS_CP_CODE = "NOT-OURS"
    _dossier, notice = _sent(SMS)
    assert notice.state == Notification.State.FAILED and "CPCode" in notice.error


def test_an_unreachable_number_is_refused_by_viettel_too(demo, settings):
    settings.CCHC_SMS_PROVIDER = "cchc.messaging.providers.ViettelSms"
    _dossier, notice = _sent(SMS, phone="0912345000")
    assert notice.state == Notification.State.FAILED and "not reachable" in notice.error


def test_a_forged_or_repeated_report_changes_nothing(client, demo):
    _dossier, notice = _sent(SMS, phone="0912345999")  # reported "not delivered"
    body = json.dumps({"REQID": f"cchc-{notice.pk}", "STATUS": "DELIVRD"}).encode()
    forged = client.post(
        "/api/v1/notifications/reports/sms", body, content_type="application/json", HTTP_X_CCHC_SIGNATURE="0" * 64
    )
    assert forged.json() == {"outcome": "bad_signature"}
    signed = {"HTTP_X_CCHC_SIGNATURE": sms_report_signature(body)}
    late = client.post("/api/v1/notifications/reports/sms", body, content_type="application/json", **signed)
    assert late.json() == {"outcome": "already_reported"}  # a final status is never overwritten
    client.post("/api/v1/notifications/reports/sms", body, content_type="application/json", **signed)
    assert DeliveryReport.objects.get(body=body.decode()).times_received == 3  # one bounded row per body
    assert SentMessage.objects.get(notification=notice).status == SentMessage.Status.FAILED


def test_the_citizen_chooses_channels_and_can_opt_out(client, demo):
    client.force_login(user("congdan"))
    assert client.get("/tai-khoan/nhan-thong-bao/").status_code == 200
    client.post("/tai-khoan/nhan-thong-bao/", {"email": "on", "zalo": "on"})
    dossier = submit()
    assert set(Notification.objects.filter(dossier=dossier).values_list("channel", flat=True)) == {"email", "zalo"}
    client.post("/tai-khoan/nhan-thong-bao/", {})
    assert not Notification.objects.filter(dossier=submit()).exists()
    assert AuditEvent.objects.filter(action="messaging.preference_changed").count() == 2


def test_editing_an_approved_template_in_the_admin_withdraws_the_approval(client, demo):
    template = MessageTemplate.objects.get(channel="sms")
    client.force_login(user("quantri"))
    url = f"/quan-tri/messaging/messagetemplate/{template.pk}/change/"
    form = {
        "channel": "sms",
        "kind": "status.*",
        "provider_template_id": "CCHC_TRANG_THAI_2",
        "text": template.text,
        "params": json.dumps(template.params),
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    template.refresh_from_db()
    assert template.provider_template_id == "CCHC_TRANG_THAI_2" and not template.approved
