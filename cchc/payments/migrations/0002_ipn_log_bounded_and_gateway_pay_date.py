import django.utils.timezone
from django.db import migrations, models


def fingerprint_existing(apps, schema_editor):
    IpnLog = apps.get_model("payments", "IpnLog")
    for pk in IpnLog.objects.values_list("pk", flat=True):
        IpnLog.objects.filter(pk=pk).update(fingerprint=f"before-fingerprints-{pk}")


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="gateway_paid_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thời điểm thanh toán theo cổng"),
        ),
        migrations.AlterField(
            model_name="payment",
            name="paid_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="xác nhận thanh toán lúc"),
        ),
        migrations.AddField(
            model_name="ipnlog",
            name="fingerprint",
            field=models.CharField(default="", max_length=64, verbose_name="dấu vân tay yêu cầu"),
            preserve_default=False,
        ),
        migrations.RunPython(fingerprint_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ipnlog",
            name="fingerprint",
            field=models.CharField(max_length=64, unique=True, verbose_name="dấu vân tay yêu cầu"),
        ),
        migrations.AddField(
            model_name="ipnlog",
            name="times_received",
            field=models.PositiveIntegerField(default=1, verbose_name="số lần nhận"),
        ),
        migrations.AddField(
            model_name="ipnlog",
            name="last_received_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="nhận lần cuối lúc"),
        ),
    ]
