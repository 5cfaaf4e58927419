"""The payment ledger for the administrator: read-only, plus retrying a failed refund."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cchc.core.admin_base import ReadOnlyAdmin
from cchc.core.errors import ApplicationError

from .models import IpnLog, Payment, Refund
from .services import refund_retry


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "dossier",
        "provider",
        "amount",
        "status",
        "created_at",
        "paid_at",
        "receipt_status",
        "receipt_number",
    )
    list_filter = ("status", "provider", "receipt_status")
    search_fields = ("reference", "dossier__code", "transaction_no", "receipt_number", "receipt_lookup_code")
    date_hierarchy = "created_at"
    list_select_related = ("dossier",)


@admin.register(IpnLog)
class IpnLogAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "reference", "outcome_code", "message", "source", "remote_ip", "times_received")
    list_filter = ("outcome_code", "source")
    search_fields = ("reference",)
    date_hierarchy = "received_at"


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("payment", "amount", "status", "requested_at", "done_at", "response_code", "attempts")
    list_filter = ("status",)
    search_fields = ("payment__reference", "payment__dossier__code")
    actions = ["retry"]

    @admin.action(description=_("Gửi lại yêu cầu hoàn tiền không thành công"))
    def retry(self, request, queryset):
        done = 0
        for refund in queryset:
            try:
                refund_retry(refund=refund, actor=request.user)
                done += 1
            except ApplicationError as exc:
                messages.warning(request, f"{refund}: {exc.message}")
        if done:
            messages.success(request, _("Đã gửi lại %(count)s yêu cầu hoàn tiền.") % {"count": done})
