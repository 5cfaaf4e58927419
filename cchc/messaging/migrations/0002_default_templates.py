"""The default status templates, to be registered with the providers and approved by an administrator
(unapproved here: nothing is sent with a template nobody approved)."""

from django.db import migrations

DEFAULTS = [
    {
        "channel": "sms",
        "kind": "status.*",
        "provider_template_id": "CCHC_TRANG_THAI",
        "text": "Ho so {ma_ho_so}: {trang_thai}. Tra cuu: {tra_cuu}",
        "params": ["ma_ho_so", "trang_thai", "tra_cuu"],
    },
    {
        "channel": "zalo",
        "kind": "status.*",
        "provider_template_id": "100001",
        "text": "Kính gửi {ten_nguoi_dan}, hồ sơ {ma_ho_so}: {trang_thai}. Tra cứu: {tra_cuu}",
        "params": ["ten_nguoi_dan", "ma_ho_so", "trang_thai", "tra_cuu"],
    },
]


def seed(apps, schema_editor):
    template = apps.get_model("messaging", "MessageTemplate")
    for values in DEFAULTS:
        template.objects.get_or_create(channel=values["channel"], kind=values["kind"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
