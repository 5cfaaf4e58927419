"""Forms of the PAR Index pages. They shape the input; the rules (score ranges, file types, links,
who may do what) live in `services`, whose refusals the views place on these forms."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Unit
from cchc.accounts.selectors import unit_list_active
from cchc.core import clock

from .services import NOTES_MAX, TITLE_MAX, YEAR_MAX, YEAR_MIN
from .uploads import LINK_MAX

SCORE_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "size": 6}


class TemplateLoadForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm đánh giá"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "required": _("Cần nhập năm đánh giá."),
            "invalid": _("Năm đánh giá phải là số, ví dụ 2026."),
            "min_value": _("Năm đánh giá không được trước %(limit_value)s."),
            "max_value": _("Năm đánh giá không được sau %(limit_value)s."),
        },
    )
    file = forms.FileField(
        label=_("Tệp bộ tiêu chí (.xlsx hoặc .yaml)"),
        required=False,
        help_text=_(
            "Các cột: mã, tên, điểm tối đa, phương pháp chấm, chỉ số liên kết, mã đơn vị, hướng dẫn chấm. "
            "Tiêu chí cấp trên suy ra từ mã có dấu chấm (1, 1.2, 1.2.3)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.yaml,.yml"}),
    )
    use_sample = forms.BooleanField(
        label=_("Không có tệp: dùng bộ tiêu chí mẫu (8 lĩnh vực, 100 điểm) để sửa dần"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = clock.localdate().year

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None and not data.get("use_sample"):
            self.add_error("file", _("Chọn tệp bộ tiêu chí, hoặc đánh dấu dùng bộ tiêu chí mẫu."))
        elif upload is not None:
            if upload.size > settings.CCHC_IMPORT_MAX_BYTES:
                self.add_error(
                    "file",
                    _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": settings.CCHC_IMPORT_MAX_BYTES // (1024 * 1024)},
                )
            elif not upload.name.lower().endswith((".xlsx", ".yaml", ".yml")):
                self.add_error("file", _("Chỉ nhận tệp .xlsx, .yaml hoặc .yml."))
        return data


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class CriterionForm(forms.Form):
    self_score = forms.CharField(
        label=_("Điểm tự đánh giá"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs=SCORE_ATTRS),
    )
    notes = forms.CharField(
        label=_("Ghi chú, giải trình"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Ghi chú dài quá %(limit_value)s ký tự.")},
    )
    responsible_unit = UnitChoiceField(
        label=_("Đơn vị chịu trách nhiệm"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— Chưa giao —"),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ.")},
    )

    def __init__(self, *args, criterion, may_score: bool, may_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if may_score:
            self.fields["self_score"].help_text = _("Từ 0 đến %(max)s điểm; để trống nếu chưa chấm. Ví dụ: 7,5") % {
                "max": f"{criterion.max_points.normalize():f}".replace(".", ",")
            }
            if criterion.method == "survey":
                self.fields["self_score"].label = _("Điểm theo kết quả điều tra xã hội học")
        else:
            del self.fields["self_score"]
        if may_assign:
            self.fields["responsible_unit"].queryset = unit_list_active(agency=criterion.par_year.agency).order_by(
                "name"
            )
        else:
            del self.fields["responsible_unit"]


class EvidenceForm(forms.Form):
    title = forms.CharField(
        label=_("Tên tài liệu kiểm chứng"),
        required=False,
        max_length=TITLE_MAX,
        help_text=_("Ví dụ: Quyết định ban hành kế hoạch CCHC năm. Để trống: lấy tên tệp hoặc liên kết."),
    )
    file = forms.FileField(
        label=_("Tệp (PDF, JPEG, PNG, Word .docx, Excel .xlsx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
    )
    link = forms.CharField(
        label=_("Hoặc liên kết đến hồ sơ, trang trong hệ thống"),
        required=False,
        max_length=LINK_MAX,
        help_text=_("Mã hồ sơ (ví dụ 000.00.12.H99-260302-0001), đường dẫn bắt đầu bằng / hoặc địa chỉ https://…"),
    )


class AppraisalForm(forms.Form):
    appraised_on = forms.DateField(
        label=_("Ngày có kết quả thẩm định"),
        help_text=_("Định dạng dd/mm/yyyy"),
        error_messages={"required": _("Cần nhập ngày có kết quả thẩm định."), "invalid": _("Ngày không hợp lệ.")},
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}),
    )

    def __init__(self, *args, leaves, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaves = leaves
        for leaf in leaves:
            self.fields[self.field_name(leaf)] = forms.CharField(
                label=f"{leaf.code} {leaf.name}",
                required=False,
                max_length=12,
                initial=_vn(leaf.appraised_score),
                help_text=_("Tối đa %(max)s") % {"max": _vn(leaf.max_points)},
                widget=forms.TextInput(attrs=SCORE_ATTRS),
            )

    @staticmethod
    def field_name(leaf) -> str:
        return f"diem_{leaf.pk}"

    def score_fields(self):
        return [(leaf, self[self.field_name(leaf)]) for leaf in self.leaves]

    def scores(self) -> dict[str, str]:
        return {leaf.code: self.cleaned_data.get(self.field_name(leaf), "") for leaf in self.leaves}


def _vn(value) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",")
