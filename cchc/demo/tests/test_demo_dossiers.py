"""Demo dossiers are real dossiers: made through the services, in the past, once, and quietly."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cchc.audit.selectors import audit_verify
from cchc.core.calendar import VN_TZ
from cchc.demo import loader
from cchc.demo.dossiers import demo_pdf, demo_png, load_demo_dossiers
from cchc.dossiers.codes import parse_dossier_code
from cchc.dossiers.models import Dossier, Notification
from cchc.dossiers.uploads import sniff
from cchc.dossiers.workflow import FINAL, OPEN
from cchc.payments.models import Payment

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=VN_TZ)


def test_demo_dossiers_are_made_through_the_services_in_the_past_and_only_once(demo):
    jobs_before = DBTaskResult.objects.count()

    made = load_demo_dossiers(count=30, now=NOW)

    dossiers = list(Dossier.objects.prefetch_related("events"))
    assert sum(made.values()) == len(dossiers) == 30
    statuses = {d.status for d in dossiers}
    assert statuses & OPEN and statuses & FINAL and len(statuses) >= 4
    for dossier in dossiers:
        moments = [event.at for event in dossier.events.all()]
        assert moments, dossier
        assert moments == sorted(moments) and moments[-1] < NOW
        if dossier.code:  # walk-ins refused at the counter get no code
            _agency, day, _sequence = parse_dossier_code(dossier.code)
            assert day == timezone.localdate(moments[0])
    assert not Notification.objects.filter(state=Notification.State.PENDING).exists()
    assert DBTaskResult.objects.count() == jobs_before
    assert audit_verify().ok

    assert load_demo_dossiers(count=30, now=NOW) == {}
    assert Dossier.objects.count() == 30


def test_every_moment_a_demo_dossier_records_is_in_the_past(demo):
    """The replayed clock reaches the rows' own stamps too: a demo payment is not made today."""
    load_demo_dossiers(count=12, now=NOW)

    payments = Payment.objects.all()
    assert payments.exists()
    for payment in payments:
        assert payment.created_at < NOW and payment.updated_at < NOW, payment.reference
        assert payment.paid_at is None or payment.created_at <= payment.paid_at < NOW
    for dossier in Dossier.objects.prefetch_related("documents", "notifications"):
        assert dossier.created_at <= dossier.updated_at < NOW
        assert all(document.uploaded_at < NOW for document in dossier.documents.all())
        assert all(notice.created_at <= NOW for notice in dossier.notifications.all())


def test_the_same_seed_gives_the_same_dossiers(demo):
    def made():
        return list(Dossier.objects.order_by("pk").values_list("procedure__code", "status", "applicant_name", "code"))

    # A rolled-back first run; marked like the test case's own block, so that the services'
    # durable transactions may run inside it as they do inside every test.
    first_run = transaction.atomic()
    first_run._from_testcase = True
    with first_run:
        load_demo_dossiers(count=6, now=NOW)
        first = made()
        transaction.set_rollback(True)

    load_demo_dossiers(count=6, now=NOW)

    assert made() == first


def test_the_loader_makes_no_dossiers(demo):
    """The catalogue loader stays below the dossier generator (`load_demo_dossiers` makes them)."""
    before = Dossier.objects.count()
    assert "dossiers" not in loader.load_demo()
    assert Dossier.objects.count() == before


def test_demo_files_pass_the_upload_check():
    assert sniff(demo_pdf("Ho so minh hoa")) == ("application/pdf", ".pdf")
    assert sniff(demo_png("Ho so minh hoa")) == ("image/png", ".png")
