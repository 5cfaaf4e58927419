"""Forms of the simplification pages: parse strictly at the edge, in Vietnamese. Amounts accept
"1.024.000" or "1 024 000"; hours accept a decimal comma ("1,5")."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import costs
from .models import ACTIVITY_LABELS, EXPENSE_LABELS, ProposedChange, expense_field, hours_field
from .services import MAX_AMOUNT, MAX_HOURS, MAX_VOLUME, CostValues

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
_SEPARATORS = re.compile(r"[\s.,_]")


def _text(value) -> str:
    return "" if value in (None, "") else str(value).strip()[:40]


class VNDField(forms.Field):
    """A whole amount of đồng, written with or without thousands separators."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return f"{value:,}".replace(",", ".") if isinstance(value, int) else value

    def to_python(self, value):
        text = _text(value)
        if not text:
            return None
        text = _SEPARATORS.sub("", text.replace("đ", "").replace("Đ", "")).strip()
        if text.startswith("-") and text[1:].isdigit():
            raise forms.ValidationError(_("Số tiền không được âm."), code="negative")
        if not text.isdigit():
            raise forms.ValidationError(_("Số tiền phải là số nguyên (đồng), ví dụ 135.000."), code="invalid")
        amount = int(text)
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(_("Số tiền quá lớn."), code="too_big")
        return amount


class HoursField(forms.Field):
    """Hours, ≥ 0, at most two decimals; a decimal comma is accepted."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f").replace(".", ",")
        return value

    def to_python(self, value):
        text = _text(value)
        if not text:
            return None
        try:
            hours = Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(_("Số giờ phải là một số, ví dụ 1,5."), code="invalid") from None
        if not hours.is_finite():
            raise forms.ValidationError(_("Số giờ phải là một số, ví dụ 1,5."), code="invalid")
        if hours < 0:
            raise forms.ValidationError(_("Số giờ không được âm."), code="negative")
        if hours > MAX_HOURS:
            raise forms.ValidationError(_("Số giờ không được quá %(n)s.") % {"n": MAX_HOURS}, code="too_big")
        if hours != hours.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Số giờ chỉ lấy tối đa hai chữ số thập phân."), code="precision")
        return hours


def _date_field(label):
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
        error_messages={"invalid": _("Ngày không hợp lệ (dd/mm/yyyy)."), "required": _("Cần ghi ngày.")},
    )


class RoundForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Cần ghi năm."),
            "invalid": _("Năm phải là số."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )
    name = forms.CharField(
        label=_("Tên đợt rà soát"), max_length=255, error_messages={"required": _("Cần ghi tên đợt rà soát.")}
    )
    period_start = _date_field(_("Số liệu vận hành từ ngày"))
    period_end = _date_field(_("Đến ngày"))
    monthly_income = VNDField(
        label=_("Thu nhập bình quân tháng (đồng)"),
        help_text=_("Thu nhập giờ = thu nhập tháng ÷ 22 ngày ÷ 8 giờ."),
        error_messages={"required": _("Cần ghi thu nhập bình quân tháng.")},
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("period_end", _("Ngày kết thúc kỳ số liệu phải sau ngày bắt đầu."))
        return data


class ReviewAddForm(forms.Form):
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục hành chính"),
        queryset=None,
        empty_label=_("— Chọn thủ tục —"),
        error_messages={
            "required": _("Cần chọn thủ tục."),
            "invalid_choice": _("Thủ tục không có trong danh sách có thể rà soát."),
        },
    )

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} – {p.current_version.name}"


class CostForm(forms.Form):
    """The review's inputs before and after, and the yearly volume override."""

    volume_override = forms.IntegerField(
        label=_("Số hồ sơ mỗi năm (điều chỉnh)"),
        required=False,
        min_value=0,
        max_value=MAX_VOLUME,
        help_text=_("Để trống để dùng số hồ sơ thực tế 12 tháng."),
        error_messages={
            "invalid": _("Số hồ sơ phải là số nguyên."),
            "min_value": _("Số hồ sơ không được âm."),
            "max_value": _("Số hồ sơ mỗi năm quá lớn (tối đa 100.000.000)."),
        },
    )
    volume_override_reason = forms.CharField(label=_("Lý do điều chỉnh"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for state in ("before", "after"):
            for activity in costs.ACTIVITIES:
                self.fields[hours_field(state, activity)] = HoursField(
                    label=format_lazy("{} ({})", ACTIVITY_LABELS[activity], _("giờ")), required=False
                )
            for expense in costs.EXPENSES:
                self.fields[expense_field(state, expense)] = VNDField(
                    label=format_lazy("{} ({})", EXPENSE_LABELS[expense], _("đồng")), required=False
                )
        self.fields["fees_after"] = VNDField(label=_("Phí, lệ phí (đồng)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("volume_override") is not None and len((data.get("volume_override_reason") or "").strip()) < 5:
            self.add_error("volume_override_reason", _("Cần ghi lý do điều chỉnh số hồ sơ mỗi năm."))
        return data

    def before_fields(self) -> list:
        return [self[hours_field("before", a)] for a in costs.ACTIVITIES] + [
            self[expense_field("before", e)] for e in costs.EXPENSES
        ]

    def after_fields(self) -> list:
        return [self[hours_field("after", a)] for a in costs.ACTIVITIES] + [
            self[expense_field("after", e)] for e in costs.EXPENSES
        ]

    def values(self, state: str) -> CostValues:
        data = self.cleaned_data
        return CostValues(
            hours={a: data.get(hours_field(state, a)) or Decimal(0) for a in costs.ACTIVITIES},
            expenses={e: data.get(expense_field(state, e)) or 0 for e in costs.EXPENSES},
            fees=(data.get("fees_after") or 0) if state == "after" else None,
        )


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại phương án"),
        choices=ProposedChange.Kind.choices,
        error_messages={"required": _("Cần chọn loại phương án."), "invalid_choice": _("Loại phương án không hợp lệ.")},
    )
    component = forms.TypedChoiceField(
        label=_("Thành phần hồ sơ (khi bãi bỏ thành phần)"), required=False, coerce=int, empty_value=None
    )
    new_time_limit_value = forms.IntegerField(
        label=_("Thời hạn mới (khi rút ngắn thời hạn)"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Thời hạn phải là số nguyên."), "min_value": _("Thời hạn phải lớn hơn 0.")},
    )
    description = forms.CharField(
        label=_("Nội dung phương án"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần mô tả nội dung phương án.")},
    )
    rationale = forms.CharField(
        label=_("Lý do, căn cứ"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.components = {c.pk: c for c in version.components.all()}
        self.fields["component"].choices = [("", _("— Không áp dụng —"))] + [
            (c.pk, f"{c.order}. {c.name}") for c in self.components.values()
        ]
        self.fields["component"].error_messages["invalid_choice"] = _("Thành phần hồ sơ không thuộc thủ tục này.")
        self.fields["new_time_limit_value"].help_text = _("Thời hạn hiện hành: %(n)s %(unit)s.") % {
            "n": version.time_limit_value,
            "unit": version.get_time_limit_unit_display(),
        }

    def component_object(self):
        return self.components.get(self.cleaned_data.get("component"))


class ConcludeForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Kết luận rà soát"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần ghi kết luận.")},
    )


class PeriodForm(forms.Form):
    tu_ngay = _date_field(_("Từ ngày"))
    den_ngay = _date_field(_("Đến ngày"))

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if isinstance(start, date) and isinstance(end, date):
            if start > end:
                self.add_error("den_ngay", _("Ngày kết thúc phải sau ngày bắt đầu."))
            elif (end - start).days > 3 * 366:
                self.add_error("den_ngay", _("Kỳ xem xét không quá ba năm."))
        return data
