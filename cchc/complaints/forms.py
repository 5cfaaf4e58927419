"""Forms of the complaint pages. The rules live in `services`; these only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.procedures.models import Procedure

from .models import Complaint
from .services import ANSWER_MIN, CONTENT_MAX, CONTENT_MIN


class ProcedureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Procedure) -> str:
        return f"{obj.code} – {obj.current_version.name}"


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=Complaint.Kind.choices,
        initial=Complaint.Kind.COMPLAINT,
        widget=forms.RadioSelect,
        help_text=_("Phản ánh: nêu vướng mắc, sai sót, hành vi chưa đúng. Kiến nghị: đề xuất sửa đổi, cải tiến."),
    )
    procedure = ProcedureChoiceField(
        label=_("Thủ tục hành chính"),
        queryset=Procedure.objects.none(),
        empty_label=_("— Chọn thủ tục —"),
        error_messages={"required": _("Cần chọn thủ tục hành chính."), "invalid_choice": _("Thủ tục không hợp lệ.")},
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        min_length=CONTENT_MIN,
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(label=_("Họ và tên"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        help_text=_("Câu trả lời được gửi đến địa chỉ này."),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )

    def __init__(self, *args, about_dossier: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if about_dossier:
            # The dossier says which procedure it is about.
            del self.fields["procedure"]
        else:
            self.fields["procedure"].queryset = (
                Procedure.objects.filter(current_version__isnull=False)
                .select_related("current_version")
                .order_by("code")
            )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        min_length=ANSWER_MIN,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Được gửi đến người phản ánh, kiến nghị qua thư điện tử và hiện trên trang của họ."),
    )


class OfficeFilterForm(forms.Form):
    muc = forms.ChoiceField(
        choices=[("open", _("Chưa trả lời")), ("answered", _("Đã trả lời")), ("all", _("Tất cả"))],
        required=False,
    )
