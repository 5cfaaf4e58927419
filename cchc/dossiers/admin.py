"""Read-only view of dossiers for the system administrator; staff work in /can-bo/."""

from django.contrib import admin

from cchc.core.admin_base import ReadOnlyAdmin

from .models import Dossier, DossierEvent, DossierStep, Notification


class EventInline(admin.TabularInline):
    model = DossierEvent
    fields = ("at", "action", "from_status", "to_status", "step_order", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    model = DossierStep
    fields = ("order", "unit", "assignee", "started_at", "due_at", "finished_at", "outcome")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("code", "procedure", "status", "channel", "received_at", "due_at", "finished_at")
    list_filter = ("status", "channel", "agency", "regime")
    search_fields = ("code",)
    date_hierarchy = "received_at"
    list_select_related = ("procedure",)
    exclude = ("applicant_id_number", "applicant_tax_code")
    inlines = [StepInline, EventInline]
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "recipient", "address", "subject", "state")
    list_filter = ("channel", "state", "kind")
    show_full_result_count = False
