from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import FIELD_LABELS


class ConfirmForm(forms.Form):
    """The key fields as the officer confirms them (proposed values prefilled), and the paper's validity."""

    valid_until = forms.DateField(
        label=_("Có giá trị đến ngày"),
        required=False,
        input_formats=["%d/%m/%Y"],
        help_text=_("dd/mm/yyyy; để trống nếu không có thời hạn."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FIELD_LABELS.items():
            self.fields[name] = forms.CharField(label=label, max_length=100, required=False)
        self.order_fields([*FIELD_LABELS, "valid_until"])

    def key_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in FIELD_LABELS}
