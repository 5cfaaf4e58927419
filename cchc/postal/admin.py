from django.contrib import admin

from .models import Shipment, ShipmentEvent


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("code", "label", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """Read-only: shipments are made by the officer's request and moved by VNPost's tracking."""

    list_display = ("dossier", "waybill", "state", "requested_by", "requested_at", "delivered_at")
    list_filter = ("state",)
    search_fields = ("waybill", "dossier__code")
    inlines = [ShipmentEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
