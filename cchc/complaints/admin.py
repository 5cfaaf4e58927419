"""Read-only view of complaints for the administrator; staff answer them in /can-bo/."""

from django.contrib import admin

from .models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "unit", "status", "submitted_at", "due_at", "answered_at", "outcome")
    list_filter = ("status", "kind", "outcome", "unit")
    search_fields = ("code", "submitter_name", "dossier__code")
    list_select_related = ("unit",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
