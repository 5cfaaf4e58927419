from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cchc.accounts.selectors import unit_list_active

from .models import ProcedureVersion
from .selectors import field_list_with_counts


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("Tên hoặc mã thủ tục, ví dụ: giấy phép lái xe"), "type": "search"}
        ),
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.TypedChoiceField(
        label=_("Mức độ dịch vụ công"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả"))] + [(v, label) for v, label in ProcedureVersion.OnlineLevel.choices],
    )
    unit = forms.ChoiceField(label=_("Đơn vị thực hiện"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả"))] + [(f.code, f.name) for f in field_list_with_counts()]
        units = unit_list_active().order_by("name").values_list("code", "name").distinct()
        self.fields["unit"].choices = [("", _("Tất cả"))] + list(dict(units).items())


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Dùng đúng mẫu của tệp xuất danh mục."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Chỉ nhận tệp Excel có đuôi .xlsx."))
        if upload.size > settings.CCHC_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        return upload
