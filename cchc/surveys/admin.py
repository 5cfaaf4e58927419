"""Read-only views for the administrator; ratings are given on the public pages only."""

from django.contrib import admin

from cchc.core.admin_base import ReadOnlyAdmin

from .models import FollowUp, Rating


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = (
        "dossier",
        "score_access",
        "score_procedure",
        "score_officer",
        "score_result",
        "score_feedback",
        "channel",
        "rated_at",
    )
    list_filter = ("channel",)
    search_fields = ("dossier__code",)
    list_select_related = ("dossier",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("rating", "unit", "status", "opened_at", "closed_at", "closed_by")
    list_filter = ("status", "unit")
    list_select_related = ("rating__dossier", "unit", "closed_by")
