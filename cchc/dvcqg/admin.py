from django.contrib import admin

from .models import NationalDossier, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the services and the sender; retries from the operator's page."""

    list_display = ("id", "kind", "agency", "dossier", "changed_at", "state", "attempts", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("dossier__code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NationalDossier)
class NationalDossierAdmin(admin.ModelAdmin):
    list_display = ("national_code", "dossier", "lodged_at", "pulled_at", "acknowledged_at")
    search_fields = ("national_code", "dossier__code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
