from django.urls import reverse

from cchc.audit.services import audit_record


def test_admin_lists_the_log_but_offers_no_way_to_change_it(client, django_user_model):
    admin = django_user_model.objects.create_user(username="audit_test_admin", role="admin", is_staff=True)
    event = audit_record(
        action="dossier.receive", actor=admin, dossier_code="H99-0001", from_status="submitted", to_status="received"
    )
    client.force_login(admin)
    page = client.get(reverse("admin:audit_auditevent_changelist"), {"q": "H99-0001"})
    assert page.status_code == 200
    assert "submitted → received" in page.content.decode()
    assert client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
