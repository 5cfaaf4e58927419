from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency
from cchc.procedures.models import Procedure

from .models import Counter


class SlotSearchForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Nơi tiếp nhận"), queryset=Agency.objects.none())
    procedure = forms.ModelChoiceField(label=_("Thủ tục"), queryset=Procedure.objects.none())
    day = forms.DateField(label=_("Ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_counters = Counter.objects.filter(active=True).values("agency_id")
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=with_counters).order_by("name")
        self.fields["procedure"].queryset = Procedure.objects.filter(current_version__isnull=False).order_by("code")


class BookForm(SlotSearchForm):
    slot = forms.DateTimeField(label=_("Khung giờ"), input_formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"])


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Mã lịch hẹn"), max_length=12)
