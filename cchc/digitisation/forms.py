from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.core.forms import vn_date_field

from .fields import FIELD_LABELS


class ConfirmForm(forms.Form):
    """The key fields as the officer confirms them (proposed values prefilled), and the paper's validity."""

    valid_until = vn_date_field(
        _("Có giá trị đến ngày"), required=False, help_text=_("dd/mm/yyyy; để trống nếu không có thời hạn.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FIELD_LABELS.items():
            self.fields[name] = forms.CharField(label=label, max_length=100, required=False)
        self.order_fields([*FIELD_LABELS, "valid_until"])

    def key_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in FIELD_LABELS}


class PaperResultForm(forms.Form):
    """The scan of a dossier's paper result and what the paper says of itself."""

    scan = forms.FileField(label=_("Bản quét kết quả (PDF, JPEG hoặc PNG)"))
    number = forms.CharField(label=_("Số văn bản, số giấy phép"), max_length=60, required=False)
    issued_on = vn_date_field(_("Ngày cấp"), required=False)
    valid_until = vn_date_field(
        _("Có giá trị đến ngày"), required=False, help_text=_("dd/mm/yyyy; để trống nếu không có thời hạn.")
    )


class ImportForm(forms.Form):
    """A batch of historical results: a zip of scans and the spreadsheet that describes them."""

    archive = forms.FileField(label=_("Tệp nén .zip chứa các bản quét"))
    sheet = forms.FileField(label=_("Bảng kê .xlsx"))
