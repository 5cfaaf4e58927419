from django import forms
from django.utils.translation import gettext_lazy as _

from .roles import Role


class SignupForm(forms.Form):
    """Extra fields of the public sign-up: who the applicant is."""

    full_name = forms.CharField(label=_("Họ và tên (hoặc tên tổ chức)"), max_length=255)
    kind = forms.ChoiceField(
        label=_("Bạn là"),
        choices=[(Role.CITIZEN.value, _("Công dân")), (Role.BUSINESS.value, _("Doanh nghiệp, tổ chức"))],
        widget=forms.RadioSelect,
        initial=Role.CITIZEN.value,
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    accept_privacy = forms.BooleanField(
        label=_("Tôi đã đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân (/bao-mat-du-lieu/)"),
        required=True,
        error_messages={"required": _("Cần đồng ý với Thông báo xử lý dữ liệu cá nhân để đăng ký.")},
    )

    def signup(self, request, user):
        from .services import applicant_profile_update

        applicant_profile_update(
            user=user,
            role=self.cleaned_data["kind"],
            full_name=self.cleaned_data["full_name"],
            phone=self.cleaned_data.get("phone", ""),
        )
