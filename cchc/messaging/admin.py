"""Message templates are data: registered with the provider, then approved here before use."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cchc.core.admin_base import ReadOnlyAdmin
from cchc.core.errors import ApplicationError

from .models import DeliveryReport, MessageTemplate, SentMessage
from .services import template_approve


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ("channel", "kind", "provider_template_id", "approved", "approved_by", "approved_at")
    list_filter = ("channel", "approved")
    readonly_fields = ("approved", "approved_by", "approved_at")
    actions = ["approve", "withdraw"]

    def save_model(self, request, obj, form, change):
        # An edited template must be approved again before it is sent.
        if change and form.changed_data:
            obj.approved, obj.approved_by, obj.approved_at = False, None, None
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Phê duyệt mẫu đã chọn"))
    def approve(self, request, queryset):
        self._set(request, queryset, approved=True)

    @admin.action(description=_("Thu hồi phê duyệt"))
    def withdraw(self, request, queryset):
        self._set(request, queryset, approved=False)

    def _set(self, request, queryset, *, approved: bool):
        for template in queryset:
            try:
                template_approve(template=template, actor=request.user, approved=approved)
            except ApplicationError as exc:
                messages.warning(request, f"{template}: {exc.message}")


@admin.register(SentMessage)
class SentMessageAdmin(ReadOnlyAdmin):
    list_display = ("key", "message_id", "channel", "status", "accepted_at", "reported_at", "detail")
    list_filter = ("channel", "status")
    search_fields = ("key", "message_id", "notification__dossier__code")


@admin.register(DeliveryReport)
class DeliveryReportAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "channel", "outcome", "times_received")
    list_filter = ("channel", "outcome")
