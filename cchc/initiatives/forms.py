"""Forms of the initiative pages. They shape the input; the rules live in `services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Unit
from cchc.core.forms import DATE_INPUT_FORMATS, vn_date_widget

from .models import Initiative
from .selectors import indicator_choices
from .services import DECISION_MAX, DESCRIPTION_MAX, TITLE_MAX, InitiativeInput
from .workflow import Status, next_statuses

DATE_FORMATS = DATE_INPUT_FORMATS


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Tên sáng kiến, mô hình"), max_length=TITLE_MAX)
    unit = forms.ModelChoiceField(
        label=_("Đơn vị thực hiện"),
        queryset=Unit.objects.none(),
        empty_label=_("— Chọn đơn vị —"),
        error_messages={"required": _("Cần chọn đơn vị."), "invalid_choice": _("Đơn vị không hợp lệ.")},
    )
    started_on = forms.DateField(
        label=_("Ngày bắt đầu áp dụng"),
        input_formats=DATE_FORMATS,
        widget=vn_date_widget(),
        error_messages={"required": _("Cần ghi ngày bắt đầu áp dụng."), "invalid": _("Ngày không hợp lệ.")},
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Status.choices, initial=Status.PROPOSED)
    description = forms.CharField(
        label=_("Mô tả"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Cách làm mới, đối tượng được phục vụ, kết quả mong đợi."),
    )
    indicator_codes = forms.MultipleChoiceField(
        label=_("Chỉ số theo dõi hiệu quả"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ số của Bộ chỉ số phục vụ người dân, doanh nghiệp được so sánh trước và sau khi áp dụng."),
    )
    measured_agency_wide = forms.BooleanField(
        label=_("Đo hiệu quả trên toàn cơ quan"),
        required=False,
        help_text=Initiative._meta.get_field("measured_agency_wide").help_text,
    )
    recognised = forms.BooleanField(label=_("Đã được công nhận là sáng kiến"), required=False)
    recognition_level = forms.ChoiceField(
        label=_("Cấp công nhận"), required=False, choices=[("", _("— Chọn cấp —")), *Initiative.Level.choices]
    )
    recognition_decision = forms.CharField(
        label=_("Số quyết định công nhận"),
        required=False,
        max_length=DECISION_MAX,
        help_text=_("Ví dụ: 125/QĐ-SGTVT"),
    )

    def __init__(self, *args, units=None, editing: Initiative | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_codes"].choices = indicator_choices()
        queryset = units if units is not None else Unit.objects.none()
        if editing is not None:
            queryset = (queryset | Unit.objects.filter(pk=editing.unit_id)).distinct()
            del self.fields["status"]
        self.fields["unit"].queryset = queryset.order_by("name")

    def to_input(self) -> InitiativeInput:
        data = self.cleaned_data
        return InitiativeInput(
            unit=data["unit"],
            title=data["title"],
            started_on=data["started_on"],
            description=data["description"],
            indicator_codes=tuple(data["indicator_codes"]),
            recognised=data["recognised"],
            recognition_level=data["recognition_level"],
            recognition_decision=data["recognition_decision"],
            measured_agency_wide=data["measured_agency_wide"],
        )

    @staticmethod
    def initial_from(initiative: Initiative) -> dict:
        return {
            "title": initiative.title,
            "unit": initiative.unit_id,
            "started_on": initiative.started_on,
            "description": initiative.description,
            "indicator_codes": initiative.indicator_codes,
            "measured_agency_wide": initiative.measured_agency_wide,
            "recognised": initiative.recognised,
            "recognition_level": initiative.recognition_level,
            "recognition_decision": initiative.recognition_decision,
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Chuyển sang"))
    reason = forms.CharField(
        label=_("Ghi chú, lý do"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi dừng áp dụng."),
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in next_statuses(current)]
