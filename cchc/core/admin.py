from django.contrib import admin

from .models import CalendarOverride
from .services import calendar_override_delete, calendar_override_set


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "agency", "kind", "reason", "updated_by", "updated_at")
    list_filter = ("kind", "agency")
    date_hierarchy = "date"
    search_fields = ("reason",)
    fields = ("date", "agency", "kind", "reason")

    def save_model(self, request, obj, form, change):
        if change and ("date" in form.changed_data or "agency" in form.changed_data):
            calendar_override_delete(day=form.initial["date"], agency_id=form.initial.get("agency"))
        saved = calendar_override_set(
            day=obj.date, kind=obj.kind, reason=obj.reason, actor=request.user, agency=obj.agency
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        calendar_override_delete(day=obj.date, agency_id=obj.agency_id)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            calendar_override_delete(day=override.date, agency_id=override.agency_id)
