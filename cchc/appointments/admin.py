from django.contrib import admin

from cchc.core.admin_base import ReadOnlyAdmin

from .models import Booking, Counter


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "capacity", "active")
    list_filter = ("agency", "active")
    filter_horizontal = ("procedures",)


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("code", "agency", "procedure", "slot_start", "status", "queue_number", "counter")
    list_filter = ("status", "agency")
    search_fields = ("code",)
