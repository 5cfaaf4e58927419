"""Forms of the plan and commitment pages. They only shape the input; the rules live in `services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.core.forms import DATE_INPUT_FORMATS, vn_date_widget

from .models import CommitmentTarget
from .selectors import indicator_choices, task_leads, units_of
from .workflow import TaskStatus

DATE_FORMATS = DATE_INPUT_FORMATS


def date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=vn_date_widget(),
        error_messages={"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        unit = f" – {obj.unit.name}" if obj.unit_id else ""
        return f"{obj}{unit}"


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=255)
    decision_number = forms.CharField(label=_("Số hiệu văn bản ban hành"), max_length=60, required=False)
    decision_date = date_field(_("Ngày ban hành"), required=False)


class TaskForm(forms.Form):
    code = forms.CharField(
        label=_("Số thứ tự"), max_length=30, required=False, help_text=_("Để trống: lấy số tiếp theo.")
    )
    title = forms.CharField(label=_("Tên nhiệm vụ"), max_length=500)
    description = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    unit = UnitChoiceField(
        label=_("Đơn vị chủ trì"),
        queryset=None,
        empty_label=_("— Chọn đơn vị —"),
        error_messages={"required": _("Cần chọn đơn vị chủ trì."), "invalid_choice": _("Đơn vị không hợp lệ.")},
    )
    lead = PersonChoiceField(
        label=_("Người phụ trách"),
        queryset=None,
        required=False,
        empty_label=_("— Chưa giao —"),
        error_messages={"invalid_choice": _("Người phụ trách không hợp lệ.")},
    )
    deadline = date_field(_("Thời hạn hoàn thành"))
    expected_output = forms.CharField(label=_("Sản phẩm dự kiến"), max_length=500, required=False)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(agency_id).order_by("name")
        self.fields["lead"].queryset = task_leads(agency_id)


class ReportForm(forms.Form):
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("Tệp minh chứng"), required=False, help_text=_("PDF, JPEG hoặc PNG."))
    link = forms.CharField(
        label=_("Liên kết minh chứng"),
        max_length=500,
        required=False,
        help_text=_("Ví dụ đường dẫn đến văn bản hoặc hồ sơ trên hệ thống."),
    )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=TaskStatus.choices)
    expected_status = forms.ChoiceField(choices=TaskStatus.choices, required=False)
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=2000)


class DraftForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Đơn vị"),
        queryset=None,
        empty_label=_("— Chọn đơn vị —"),
        error_messages={"required": _("Cần chọn đơn vị."), "invalid_choice": _("Đơn vị không hợp lệ.")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TargetForm(forms.Form):
    label = forms.CharField(label=_("Chỉ tiêu"), max_length=255)
    indicator = forms.ChoiceField(label=_("Chỉ số liên kết"), required=False)
    comparison = forms.ChoiceField(
        label=_("So sánh"), choices=CommitmentTarget.Comparison.choices, initial=CommitmentTarget.Comparison.GTE
    )
    target = forms.DecimalField(label=_("Mục tiêu (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("— Không, đơn vị tự theo dõi —")), *indicator_choices()]


class ActualForm(forms.Form):
    target_id = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(
        label=_("Kết quả (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2, required=False
    )


class CommitmentTasksForm(forms.Form):
    tasks = forms.ModelMultipleChoiceField(
        label=_("Nhiệm vụ cam kết"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = queryset
        self.fields["tasks"].label_from_instance = lambda task: f"{task.code}. {task.title}"
