"""Read-only views of the PAR Index for the administrator; it is edited in /cai-cach/chi-so-par/."""

from django.contrib import admin

from .models import Criterion, Evidence, ParYear


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ParYear)
class ParYearAdmin(ReadOnlyAdmin):
    list_display = ("agency", "year", "target", "template_name", "is_sample", "appraised_on")
    list_filter = ("agency", "is_sample")


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ("par_year", "code", "name", "max_points", "method", "self_score", "appraised_score")
    list_filter = ("par_year", "method")
    search_fields = ("code", "name")
    list_select_related = ("par_year__agency",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("criterion", "title", "link", "content_type", "added_by", "added_at")
    list_select_related = ("criterion__par_year__agency", "added_by")
