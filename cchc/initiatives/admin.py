"""Read-only view of initiatives for the administrator: changes go through the pages (services, audit)."""

from django.contrib import admin

from .models import Initiative


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "unit", "started_on", "status", "recognised"]
    list_filter = ["status", "recognised", "agency"]
    search_fields = ["title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
