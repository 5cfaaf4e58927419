"""Read-only view of dossiers for the system administrator; staff work in /can-bo/."""

from datetime import timedelta

from django.contrib import admin, messages
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from cchc.accounts.admin import AgencyAdmin
from cchc.accounts.models import Agency
from cchc.core.admin_base import ReadOnlyAdmin
from cchc.core.errors import ApplicationError

from .models import Dossier, DossierEvent, DossierSegment, DossierStep, Notification
from .services import agency_merge


class AgencyMergeAdmin(AgencyAdmin):
    """The organisation's admin, with the merger (which moves dossiers, so it lives above them)."""

    actions = ["merge_into_successor"]

    @admin.action(
        description=_("Sáp nhập vào cơ quan kế thừa (đã ghi “cơ quan kế thừa” và “hoạt động đến ngày”)"),
        permissions=["change"],
    )
    def merge_into_successor(self, request, queryset):
        for agency in queryset.select_related("successor"):
            if agency.successor is None or agency.valid_to is None:
                self.message_user(
                    request,
                    _t("%(agency)s: cần ghi cơ quan kế thừa và ngày hết hoạt động trước.") % {"agency": agency},
                    messages.ERROR,
                )
                continue
            on = agency.valid_to + timedelta(days=1)
            try:
                report = agency_merge(old=agency, new=agency.successor, on=on, actor=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{agency}: {exc.message}", messages.ERROR)
                continue
            self.message_user(
                request,
                _t(
                    "Đã sáp nhập %(old)s vào %(new)s: %(procedures)s thủ tục, %(staff)s cán bộ, %(dossiers)s hồ sơ, "
                    "%(steps)s bước liên thông, %(passages)s hồ sơ liên thông đang xử lý tại cơ quan."
                )
                % {
                    "steps": report.steps,
                    "passages": len(report.passages),
                    "old": agency,
                    "new": agency.successor,
                    "procedures": report.procedures,
                    "staff": report.staff,
                    "dossiers": len(report.dossiers),
                },
            )


admin.site.unregister(Agency)
admin.site.register(Agency, AgencyMergeAdmin)


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


class SegmentInline(admin.TabularInline):
    model = DossierSegment
    fields = ("sequence", "agency", "first_step", "entered_at", "budget_hours", "due_at", "left_at", "outcome")
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
    inlines = [StepInline, SegmentInline, EventInline]
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "recipient", "address", "subject", "state")
    list_filter = ("channel", "state", "kind")
    show_full_result_count = False
