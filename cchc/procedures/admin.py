"""Back office for the catalogue.

Published versions are read-only: a change goes through a draft copy ("Tạo dự thảo
phiên bản mới"), edited here, then published, which checks every catalogue rule and
keeps the old version for the dossiers that used it.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from cchc.core.errors import ApplicationError

from .models import Component, FeeItem, Field, Offering, Procedure, ProcedureVersion, ProcessStep, SearchSynonym
from .rules import budget_problem
from .services import (
    form_templates_import,
    offering_adopt_process,
    offering_set,
    procedure_draft_create,
    procedure_version_publish,
    search_synonym_save,
)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """The reform officer's list of how people write things (the catalogue search reads it)."""

    list_display = ("term", "expansion")
    search_fields = ("term", "expansion")

    def save_model(self, request, obj, form, change):
        try:
            search_synonym_save(
                synonym=obj if change else None,
                term=form.cleaned_data["term"],
                expansion=form.cleaned_data["expansion"],
            )
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("number", "status", "name", "effective_from", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "current_name", "current_field", "current_level", "annual_volume")
    search_fields = ("code", "search_name")
    list_filter = ("current_version__field", "current_version__online_level", "agency")
    readonly_fields = ("code", "agency", "current_version")
    fields = ("code", "agency", "current_version", "annual_volume")
    inlines = [VersionInline]
    actions = ["create_draft"]
    list_select_related = ("current_version", "current_version__field")

    @admin.display(description=_("tên thủ tục"))
    def current_name(self, obj):
        return obj.current_version.name if obj.current_version else "—"

    @admin.display(description=_("lĩnh vực"))
    def current_field(self, obj):
        return obj.current_version.field if obj.current_version else "—"

    @admin.display(description=_("mức độ"))
    def current_level(self, obj):
        return obj.current_version.online_level if obj.current_version else "—"

    def has_add_permission(self, request):
        # New procedures come from the spreadsheet import, which validates a whole spec.
        return False

    @admin.action(description=_("Tạo dự thảo phiên bản mới để sửa đổi"), permissions=["change"])
    def create_draft(self, request, queryset):
        for procedure in queryset:
            try:
                draft = procedure_draft_create(procedure=procedure, actor=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{procedure.code}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _t("Đã mở dự thảo phiên bản %(n)s của %(code)s.") % {"n": draft.number, "code": procedure.code},
                )


class DraftOnlyInline(admin.TabularInline):
    extra = 0

    def _editable(self, obj):
        return obj is not None and obj.status == ProcedureVersion.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class FeeInline(DraftOnlyInline):
    model = FeeItem
    fields = ("order", "kind", "name", "amount", "online_amount")


class ComponentInline(DraftOnlyInline):
    model = Component
    fields = (
        "order",
        "name",
        "required",
        "originals",
        "certified_copies",
        "copies",
        "template",
        "note",
        "from_population_db",
    )


class StepFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        version = self.instance
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        total = sum(row.get("hours") or 0 for row in rows)
        value = getattr(version, "time_limit_value", None)
        unit = getattr(version, "time_limit_unit", None)
        problem = budget_problem(total, value, unit) if rows and value and unit else None
        if problem:
            raise ValidationError(problem)


class StepInline(DraftOnlyInline):
    model = ProcessStep
    formset = StepFormSet
    fields = ("order", "name", "agency", "unit", "role", "hours")

    def get_queryset(self, request):
        # The version's own process (the template); agencies' adopted processes are on their offering.
        return super().get_queryset(request).filter(offering__isnull=True)


class OfferingStepInline(admin.TabularInline):
    model = ProcessStep
    fk_name = "offering"
    fields = ("version", "order", "name", "agency", "unit", "role", "hours")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("procedure", "agency", "unit", "online_level")
    list_filter = ("agency__level", "agency")
    search_fields = ("procedure__code", "procedure__search_name", "agency__name")
    autocomplete_fields = ("procedure", "agency")
    fields = ("procedure", "agency", "unit", "online_level", "local_note")
    inlines = [OfferingStepInline]
    actions = ["adopt_process"]
    list_select_related = ("procedure", "agency", "unit")

    def save_model(self, request, obj, form, change):
        try:
            saved = offering_set(
                procedure=obj.procedure,
                agency=obj.agency,
                unit=obj.unit,
                online_level=obj.online_level,
                local_note=obj.local_note,
            )
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = saved.pk

    @admin.action(description=_("Áp dụng quy trình mẫu của tỉnh làm quy trình riêng"), permissions=["change"])
    def adopt_process(self, request, queryset):
        for offering in queryset.select_related("procedure__current_version", "agency"):
            try:
                steps = offering_adopt_process(offering=offering)
            except ApplicationError as exc:
                self.message_user(request, f"{offering}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _t("%(o)s: đã áp dụng %(n)s bước.") % {"o": offering, "n": len(steps)})


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "number", "name", "status", "effective_from")
    list_filter = ("status", "field", "online_level")
    search_fields = ("procedure__code", "name")
    inlines = [FeeInline, ComponentInline, StepInline]
    actions = ["publish"]
    readonly_fields = ("procedure", "number", "status", "effective_from", "published_at", "published_by")
    list_select_related = ("procedure",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == ProcedureVersion.Status.DRAFT
            and super().has_delete_permission(request, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == ProcedureVersion.Status.PUBLISHED:
            return [f.name for f in self.model._meta.fields]
        return self.readonly_fields

    @admin.action(description=_("Công bố phiên bản dự thảo đã chọn"), permissions=["change"])
    def publish(self, request, queryset):
        for version in queryset:
            try:
                procedure_version_publish(version=version, actor=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)
            else:
                form_templates_import(codes=[version.procedure.code])
                self.message_user(request, _t("Đã công bố %(v)s.") % {"v": version})
