"""The delivery reports end to end over real HTTP: the simulator server, a process of its own, posts the
telco's report to the live site's callback by itself, as Viettel's or VNPT's platform would; CCHC records
it on the notification, and the dossier's pages show it."""

import pytest
from django.test import Client

from cchc.dossiers.models import Notification
from cchc.dossiers.tasks import deliver_notification
from cchc.dossiers.tests.helpers import CITIZEN, submit, user
from cchc.messaging.models import DeliveryReport, SentMessage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def providers(settings, demo):
    """The approved default templates (a transactional test's flush empties what the migration seeded)."""
    from importlib import import_module

    from django.apps import apps

    from cchc.messaging.demo import approve_default_templates

    import_module("cchc.messaging.migrations.0002_default_templates").seed(apps, None)
    approve_default_templates()
    settings.CCHC_SMS_ENABLED = True
    settings.CCHC_ZALO_ENABLED = True
    settings.CCHC_ZALO_PROVIDER = "cchc.messaging.providers.ZaloZns"


def _send_sms(phone: str):
    from dataclasses import replace

    dossier = submit(applicant=replace(CITIZEN, phone=phone))
    notice = Notification.objects.get(dossier=dossier, channel=Notification.Channel.SMS)
    assert deliver_notification.call(notice.pk) == "sent"
    return dossier, notice


@pytest.mark.parametrize("provider", ["ViettelSms", "BrandnameSms"])
def test_the_telco_posts_its_delivery_report_to_the_live_site(demo, live_simulators, simulator, settings, provider):
    settings.CCHC_SMS_PROVIDER = f"cchc.messaging.providers.{provider}"
    dossier, notice = _send_sms(CITIZEN.phone)
    (report,) = simulator.callbacks(service="sms")
    assert report["status"] == "delivered" and report["url"] == live_simulators + "/api/v1/notifications/reports/sms"
    assert report["answer_status"] == 200 and "applied" in report["answer"]
    sent = SentMessage.objects.get(notification=notice)
    assert sent.status == SentMessage.Status.DELIVERED and sent.reported_at is not None
    assert DeliveryReport.objects.get(message=sent).outcome == "applied"
    # The applicant sees it on the dossier's page.
    browser = Client()
    browser.force_login(user("congdan"))
    page = browser.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Đã đến máy người nhận" in page


def test_a_report_of_a_message_not_delivered_marks_it_failed(demo, live_simulators, simulator, settings):
    settings.CCHC_SMS_PROVIDER = "cchc.messaging.providers.ViettelSms"
    _dossier, notice = _send_sms("0912345999")
    (report,) = simulator.callbacks(service="sms")
    assert report["status"] == "delivered" and "applied" in report["answer"]
    sent = SentMessage.objects.get(notification=notice)
    assert sent.status == SentMessage.Status.FAILED and "không nhận" in sent.detail
