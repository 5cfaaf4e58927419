"""Forms of the results pages: composing a result, uploading a copy to verify."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cchc.core import clock
from cchc.core.forms import vn_date_field

from .models import SignerTitle
from .services import MAX_BODY, MAX_NOTES, MAX_NUMBER


class ComposeForm(forms.Form):
    number = forms.CharField(
        label=_("Số văn bản (không bắt buộc)"),
        required=False,
        max_length=MAX_NUMBER,
        help_text=_("Ví dụ: 125/GP-SGTVT."),
    )
    body = forms.CharField(
        label=_("Nội dung cấp phép, chấp thuận (không bắt buộc)"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Phạm vi, điều kiện, thông tin riêng của kết quả; để trống nếu mẫu đã đủ."),
    )
    valid_until = vn_date_field(_("Có giá trị đến ngày (không bắt buộc)"), required=False)
    notes = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer_title = forms.ChoiceField(label=_("Chức danh người ký"), choices=SignerTitle.choices)

    def clean_valid_until(self):
        day = self.cleaned_data.get("valid_until")
        if day and day < clock.localdate():
            raise forms.ValidationError(_("Ngày hết giá trị không được trước hôm nay."))
        return day


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kết quả (PDF)"),
        error_messages={"required": _("Hãy chọn tệp PDF cần kiểm tra."), "empty": _("Tệp tải lên đang trống.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CCHC_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
        return upload
