from django.contrib import admin

from .models import ResultDraft, SignedResult


@admin.register(SignedResult)
class SignedResultAdmin(admin.ModelAdmin):
    """Read-only: a signed result is changed by nobody, not even an administrator."""

    list_display = ("dossier", "name", "signer_name", "signed_at")
    search_fields = ("dossier__code", "sha256", "signer_name")
    readonly_fields = [f.name for f in SignedResult._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResultDraft)
class ResultDraftAdmin(admin.ModelAdmin):
    list_display = ("dossier", "number", "updated_by", "updated_at")
    search_fields = ("dossier__code",)
    readonly_fields = [f.name for f in ResultDraft._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
