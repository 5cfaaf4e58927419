"""Forms of the reports pages: the month's figure of an indicator the national portal measures."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .config import NATIONAL_CODES, indicator_spec
from .models import NationalFigure


def national_indicator_choices() -> list[tuple[str, str]]:
    """(code, "number. name") of the indicators the national portal measures, in the index's order."""
    choices = []
    for code in NATIONAL_CODES:
        spec = indicator_spec(code)
        if spec is not None and spec.national:  # 1.4 is computed once CCHC synchronises with the portal
            choices.append((code, f"{spec.number + '. ' if spec.number else ''}{spec.name}"))
    return choices


class NationalFigureForm(forms.Form):
    month = forms.CharField(
        label=_("Tháng"),
        max_length=7,
        help_text=_("mm/yyyy, ví dụ 03/2026"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "mm/yyyy"}),
    )
    indicator = forms.ChoiceField(label=_("Chỉ số"), choices=())
    numerator = forms.IntegerField(label=_("Tử số"), min_value=0)
    denominator = forms.IntegerField(label=_("Mẫu số"), min_value=1)
    source = forms.CharField(
        label=_("Nguồn, ghi chú"),
        required=False,
        max_length=NationalFigure._meta.get_field("source").max_length,
        help_text=_("Ví dụ: Cổng DVCQG, trang Bộ chỉ số 766, xem ngày 05/04/2026"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = national_indicator_choices()

    def clean_month(self) -> date:
        text = self.cleaned_data["month"].strip()
        try:
            if "/" in text:
                month_text, year_text = text.split("/", 1)
            else:
                year_text, month_text = text.split("-", 1)
            return date(int(year_text), int(month_text), 1)
        except ValueError:
            raise forms.ValidationError(_("Tháng phải ghi dạng mm/yyyy, ví dụ 03/2026.")) from None
