"""Forms of the survey pages: the five factors as radio groups, the kiosk's lookup, a follow-up note."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import score_field
from .scores import FACTOR_LABELS, FACTORS, OPTIONAL_FACTORS, SCALE_LABELS
from .services import COMMENT_MAX

SCALE_CHOICES = [(value, f"{value} – {label}") for value, label in SCALE_LABELS.items()]
NOT_APPLICABLE = "khong-ap-dung"


def _score(value: str) -> int | None:
    return None if value == NOT_APPLICABLE else int(value)


CODE_RE = re.compile(r"^[0-9A-Za-z.\-]{6,40}$")


class RatingForm(forms.Form):
    """One radio group (fieldset and legend) per factor, then an optional comment."""

    comment = forms.CharField(
        label=_("Góp ý thêm (không bắt buộc)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, complained: bool = True, **kwargs):
        """`complained`: the applicant sent a complaint or petition about the dossier; otherwise the
        question about handling them offers (and starts on) "không áp dụng"."""
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for factor in FACTORS:
            choices = list(SCALE_CHOICES)
            initial = None
            if factor in OPTIONAL_FACTORS and not complained:
                choices.append((NOT_APPLICABLE, _("Không áp dụng (tôi không gửi góp ý, phản ánh, kiến nghị)")))
                initial = NOT_APPLICABLE
            self.fields[score_field(factor)] = forms.TypedChoiceField(
                label=FACTOR_LABELS[factor],
                choices=choices,
                coerce=_score,
                empty_value=None,
                initial=initial,
                widget=forms.RadioSelect,
                error_messages={"required": _("Chọn một mức đánh giá."), "invalid_choice": _("Chọn một mức đánh giá.")},
            )
        self.fields["comment"] = comment

    def score_fields(self):
        return [self[score_field(factor)] for factor in FACTORS]

    def scores(self) -> dict[str, int | None]:
        return {factor: self.cleaned_data[score_field(factor)] for factor in FACTORS}


class KioskLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        help_text=_("In trên giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.12.H99-260302-0001."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    last_digits = forms.CharField(
        label=_("4 chữ số cuối số điện thoại hoặc số định danh của người nộp"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not CODE_RE.fullmatch(code):
            raise forms.ValidationError(_("Mã hồ sơ không đúng định dạng."))
        return code

    def clean_last_digits(self) -> str:
        digits = self.cleaned_data["last_digits"].strip()
        if not (len(digits) == 4 and digits.isdigit()):
            raise forms.ValidationError(_("Nhập đúng 4 chữ số."))
        return digits


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(
        label=_("Kết quả xem xét, xử lý"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần ghi kết quả xem xét, xử lý.")},
    )
