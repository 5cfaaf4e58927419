"""Read-only views of plans and commitments for the administrator; staff work in /cai-cach/."""

from django.contrib import admin

from .models import Commitment, Plan, Task


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnly):
    list_display = ("title", "agency", "year", "decision_number", "decision_date")
    list_filter = ("year",)


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("code", "title", "plan", "unit", "lead", "deadline", "status", "progress")
    list_filter = ("status", "plan__year", "unit")
    search_fields = ("code", "title")
    list_select_related = ("plan", "unit", "lead")


@admin.register(Commitment)
class CommitmentAdmin(ReadOnly):
    list_display = ("unit", "year", "status", "signer", "signed_at", "countersigner", "countersigned_at")
    list_filter = ("status", "year")
    list_select_related = ("unit", "signer", "countersigner")
