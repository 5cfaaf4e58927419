from django.urls import reverse

from cchc.audit.models import AuditEvent
from cchc.initiatives.demo import load_demo_initiatives
from cchc.initiatives.models import Initiative
from cchc.initiatives.tests.conftest import user


def test_demo_initiatives_load_once_and_show(client, demo):
    assert load_demo_initiatives(demo) == 4
    counts = (Initiative.objects.count(), AuditEvent.objects.count())
    assert load_demo_initiatives(demo) == 0
    assert (Initiative.objects.count(), AuditEvent.objects.count()) == counts

    zalo = Initiative.objects.get(title="Hẹn giờ trả kết quả qua Zalo")
    support = Initiative.objects.get(title="Tổ hỗ trợ nộp hồ sơ trực tuyến tại Bộ phận Một cửa")
    assert zalo.status == "applied" and zalo.indicator_codes
    assert support.status == "replicated" and support.recognised
    assert set(Initiative.objects.values_list("status", flat=True)) == {"applied", "replicated", "proposed"}

    client.force_login(user("cchc"))
    page = client.get(reverse("initiatives:detail", args=[zalo.pk])).content.decode()
    assert "Hẹn giờ trả kết quả qua Zalo" in page and "Hiệu quả trên các chỉ số" in page
