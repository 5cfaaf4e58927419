from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Thư điện tử"), required=False)
    sms = forms.BooleanField(label=_("Tin nhắn SMS"), required=False)
    zalo = forms.BooleanField(label=_("Zalo"), required=False)
