from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DataRequest


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Yêu cầu"), choices=DataRequest.Kind.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Nội dung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Chỉnh sửa: dữ liệu nào sai và giá trị đúng. Xóa: lý do (không bắt buộc ghi chi tiết)."),
    )


class HandleForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[(DataRequest.Status.DONE, _("Đã thực hiện")), (DataRequest.Status.REFUSED, _("Từ chối"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("Trả lời người yêu cầu"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    full_name = forms.CharField(label=_("Họ và tên đúng (chỉnh sửa)"), max_length=255, required=False)
    phone = forms.CharField(label=_("Số điện thoại đúng (chỉnh sửa)"), max_length=20, required=False)
