from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by services.audit_record and nothing else."""

    list_display = ("id", "at", "actor_username", "actor_role", "action", "dossier_code", "transition", "ip")
    list_filter = ("action", "actor_role", "at")
    search_fields = ("=dossier_code", "actor_username")
    date_hierarchy = "at"
    # Counting a log of millions of rows on every page view is the slow part of the changelist.
    show_full_result_count = False

    @admin.display(description=_("chuyển trạng thái"))
    def transition(self, event: AuditEvent) -> str:
        if not (event.from_status or event.to_status):
            return ""
        return f"{event.from_status or '—'} → {event.to_status or '—'}"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
