"""The administrator's side: notice versions, who accepted them, requests, and the breach register."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cchc.core import clock
from cchc.core.admin_base import ReadOnlyAdmin

from .models import Breach, DataRequest, NoticeAcceptance, PrivacyNotice
from .services import breach_record, notice_publish


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """A new version is added here; a published version is never edited (a change is a new version)."""

    list_display = ("version", "title", "effective_at")
    fields = ("title", "body")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = notice_publish(title=obj.title, body=obj.body, actor=request.user)
        obj.pk, obj.version = published.pk, published.version


@admin.register(NoticeAcceptance)
class NoticeAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ("user", "notice", "accepted_at", "context")
    list_filter = ("context", "notice")
    search_fields = ("user__username",)


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "status", "requested_at", "due_at", "handled_at", "agency")
    list_filter = ("status", "kind")


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    list_display = ("title", "discovered_at", "notify_by", "authority_notified_at", "notification_clock", "closed_at")
    list_filter = ("closed_at",)
    readonly_fields = ("recorded_by", "created_at", "notify_by")
    fields = (
        "title",
        "description",
        "occurred_at",
        "discovered_at",
        "notify_by",
        "data_subjects",
        "subjects_count",
        "authority_notified_at",
        "subjects_notified_at",
        "actions",
        "closed_at",
        "recorded_by",
        "created_at",
    )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("thông báo trong 72 giờ"))
    def notification_clock(self, obj: Breach) -> str:
        if obj.authority_notified_at:
            on_time = obj.authority_notified_at <= obj.notify_by
            return str(_("Đã thông báo, đúng hạn") if on_time else _("Đã thông báo, quá hạn"))
        left = obj.notify_by - clock.now()
        if left.total_seconds() <= 0:
            return str(_("QUÁ HẠN, chưa thông báo"))
        return str(_("Còn %(hours)s giờ")) % {"hours": int(left.total_seconds() // 3600)}

    def save_model(self, request, obj, form, change):
        breach_record(breach=obj, actor=request.user, created=not change)
