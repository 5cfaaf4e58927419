"""Read-only view of review rounds for the administrator; they are worked on in /cai-cach/ra-soat/."""

from django.contrib import admin

from .models import ProcedureReview, ProposedChange, ReviewRound


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(_ReadOnly):
    list_display = ("name", "year", "agency", "period_start", "period_end", "status")
    list_filter = ("status", "year", "agency")


@admin.register(ProcedureReview)
class ProcedureReviewAdmin(_ReadOnly):
    list_display = ("procedure", "round", "volume_computed", "volume_override", "status")
    list_filter = ("status", "round")
    list_select_related = ("procedure", "round")


@admin.register(ProposedChange)
class ProposedChangeAdmin(_ReadOnly):
    list_display = ("review", "kind", "created_at")
    list_filter = ("kind",)
    list_select_related = ("review__procedure", "review__version")
