from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, Province, Unit, User


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    fieldsets = (
        (None, {"fields": ("code", "name")}),
        (_("Giờ làm việc"), {"fields": (("morning_opens", "morning_closes"), ("afternoon_opens", "afternoon_closes"))}),
    )


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "agency"
    extra = 0
    fields = ("code", "name", "kind", "parent", "valid_from", "valid_to", "successor")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("level",)
    search_fields = ("code", "name")
    inlines = [UnitInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "parent_name", "place_name", "address", "phone", "email")}),
        (
            _("Tổ chức"),
            {"fields": ("province", "level", "parent", ("valid_from", "valid_to"), "successor")},
        ),
        (
            _("Giờ làm việc (để trống: theo giờ của tỉnh)"),
            {"fields": (("morning_opens", "morning_closes"), ("afternoon_opens", "afternoon_closes"))},
        ),
    )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "agency", "kind", "valid_from", "valid_to")
    list_filter = ("agency", "kind")
    search_fields = ("code", "name")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "agency", "unit", "is_active")
    list_filter = ("role", "agency", "is_active")
    search_fields = ("username", "full_name", "email")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Vai trò và đơn vị"), {"fields": ("role", "full_name", "phone", "agency", "unit")}),
    )
