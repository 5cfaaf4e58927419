"""Forms of the staff back office: the desk filters, counter intake and one form per action.

The forms only parse input; every rule (completeness, who may act, deadlines) is checked
again by the services, whose `ApplicationError` the views turn into a message.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.accounts.roles import Role
from cchc.core.forms import vn_date_widget
from cchc.core.text import format_vnd

from . import workflow
from .models import ApplicantKind, ReturnMethod
from .workflow import Action, Status

DATE_FORMATS = ["%d/%m/%Y"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M"]
MAX_ITEMS = 30


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DeskFilterForm(forms.Form):
    """Filters of "Tất cả hồ sơ". An invalid value is reported and ignored, never a 500."""

    q = forms.CharField(
        label=_("Tìm: mã hồ sơ, tên hoặc số định danh người nộp"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả"))] + [c for c in Status.choices if c[0] != Status.DRAFT],
    )
    received_from = forms.DateField(
        label=_("Tiếp nhận từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=vn_date_widget(),
        error_messages={"invalid": _("Ngày phải theo dạng dd/mm/yyyy.")},
    )
    received_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=vn_date_widget(),
        error_messages={"invalid": _("Ngày phải theo dạng dd/mm/yyyy.")},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data


class ProcedureChoiceForm(forms.Form):
    """Step one of counter intake: which procedure (GET)."""

    q = forms.CharField(
        label=_("Tìm thủ tục (tên hoặc mã)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    thu_tuc = forms.ChoiceField(label=_("Thủ tục hành chính"), required=False)

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thu_tuc"].choices = [("", _("— Chọn thủ tục —"))] + [
            (p.code, f"{p.code} – {p.current_version.name}") for p in procedures
        ]


class ComponentFieldsMixin:
    """One "paper received" checkbox and one optional scan per component of the procedure."""

    def add_component_fields(self, components) -> None:
        self.components = list(components)
        for component in self.components:
            self.fields[f"paper_{component.pk}"] = forms.BooleanField(label=_("Đã nhận bản giấy"), required=False)
            self.fields[f"scan_{component.pk}"] = forms.FileField(
                label=_("Bản quét (PDF, JPEG, PNG)"),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
            )

    def component_rows(self) -> list[dict]:
        return [{"component": c, "paper": self[f"paper_{c.pk}"], "scan": self[f"scan_{c.pk}"]} for c in self.components]

    def component_inputs(self) -> list[tuple[int, object, bool]]:
        """(component id, uploaded file or None, paper received) for every component."""
        data = self.cleaned_data
        return [(c.pk, data.get(f"scan_{c.pk}"), bool(data.get(f"paper_{c.pk}"))) for c in self.components]

    def unticked_required(self) -> list[str]:
        """Required components neither received on paper nor scanned: what form 02 asks for."""
        data = getattr(self, "cleaned_data", None)
        missing = []
        for c in self.components:
            if not c.required:
                continue
            if data is not None:
                have = data.get(f"paper_{c.pk}") or data.get(f"scan_{c.pk}")
            else:
                paper, scan = self.add_prefix(f"paper_{c.pk}"), self.add_prefix(f"scan_{c.pk}")
                have = self.data.get(paper) or self.files.get(scan)
            if not have:
                missing.append(c.name)
        return missing


class CounterIntakeForm(ComponentFieldsMixin, forms.Form):
    """A walk-in dossier at the counter; the submit button carries the completeness decision."""

    DECISIONS = (
        ("receive", _("Tiếp nhận")),
        ("supplement", _("Yêu cầu bổ sung (mẫu 02)")),
        ("refuse", _("Từ chối (mẫu 03)")),
    )

    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"), choices=ApplicantKind.choices, initial=ApplicantKind.CITIZEN, widget=forms.RadioSelect
    )
    applicant_name = forms.CharField(label=_("Họ và tên (hoặc tên tổ chức)"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_tax_code = forms.CharField(label=_("Mã số thuế (tổ chức)"), required=False, max_length=14)
    applicant_phone = forms.CharField(
        label=_("Điện thoại"), required=False, max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    applicant_email = forms.CharField(
        label=_("Thư điện tử"), required=False, max_length=254, widget=forms.TextInput(attrs={"type": "email"})
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=500)
    sets = forms.IntegerField(
        label=_("Số bộ hồ sơ"),
        min_value=1,
        max_value=20,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": 20}),
    )
    return_method = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"), choices=ReturnMethod.choices, initial=ReturnMethod.COUNTER
    )
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một mục)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Để trống: hệ thống ghi các giấy tờ bắt buộc chưa được đánh dấu đã nhận hoặc đã quét."),
    )
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi từ chối)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    fee_taken = forms.BooleanField(label=_("Đã thu phí, lệ phí bằng tiền mặt"), required=False)

    def __init__(self, *args, components=(), fee: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_component_fields(components)
        self.fee = fee
        if fee > 0:
            self.fields["fee_taken"].label = _("Đã thu phí, lệ phí bằng tiền mặt: %(amount)s") % {
                "amount": format_vnd(fee)
            }
        else:
            del self.fields["fee_taken"]
        self.fields["decision"].error_messages["required"] = _("Hãy chọn Tiếp nhận, Yêu cầu bổ sung hoặc Từ chối.")

    def applicant_fields(self) -> list:
        """The applicant's text fields, in order (the kind is a radio group of its own)."""
        return [self[name] for name in self.fields if name.startswith("applicant_") and name != "applicant_kind"]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Cần ghi rõ lý do từ chối tiếp nhận."))
        if decision == "supplement":
            items = _lines(data.get("items", "")) or self.unticked_required()
            if not items:
                self.add_error("items", _("Cần liệt kê giấy tờ phải bổ sung, hoàn thiện."))
            data["item_list"] = items[:MAX_ITEMS]
        else:
            data["item_list"] = []
        return data


class ActionForm(forms.Form):
    """The part every action shares: the officer's comment and the status they saw."""

    expected_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    COMMENT_LABELS = {
        Action.REFUSE: _("Lý do từ chối tiếp nhận"),
        Action.REQUEST_SUPPLEMENT: _("Lý do yêu cầu bổ sung"),
        Action.SEND_BACK: _("Lý do trả lại bước trước"),
        Action.NOT_APPROVE: _("Lý do không phê duyệt"),
        Action.APOLOGIZE: _("Lý do chậm trả kết quả"),
        Action.STOP: _("Lý do dừng xử lý"),
    }

    def __init__(self, *args, action: str, dossier, **kwargs):
        kwargs.setdefault("prefix", action)
        kwargs.setdefault("initial", {"expected_status": dossier.status})
        super().__init__(*args, **kwargs)
        self.action = action
        self.dossier = dossier
        transition = workflow.TRANSITIONS[action]
        comment = self.fields["comment"]
        if transition.needs_reason:
            comment.required = True
            comment.label = self.COMMENT_LABELS.get(action, _("Lý do"))
            comment.error_messages["required"] = _("Cần ghi rõ lý do hoặc nội dung.")

    @property
    def label(self) -> str:
        return Action(self.action).label

    @property
    def danger(self) -> bool:
        return self.action in (Action.REFUSE, Action.NOT_APPROVE, Action.SEND_BACK, Action.STOP)


class AssignForm(ActionForm):
    assignee = forms.ChoiceField(label=_("Cán bộ xử lý"))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Chọn cán bộ —"))] + [
            (u.username, f"{u} ({Role(u.role).label})") for u in staff
        ]


class RequestSupplementForm(ActionForm):
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một mục)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần liệt kê giấy tờ phải bổ sung, hoàn thiện.")},
    )

    def clean_items(self):
        items = _lines(self.cleaned_data["items"])
        if not items:
            raise forms.ValidationError(_("Cần liệt kê giấy tờ phải bổ sung, hoàn thiện."))
        return items[:MAX_ITEMS]


class ApologizeForm(ActionForm):
    new_due_at = forms.DateTimeField(
        label=_("Hẹn trả kết quả mới (dd/mm/yyyy hh:mm)"),
        help_text=_("Một ngày làm việc, trong giờ làm việc của cơ quan."),
        input_formats=DATETIME_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm", "inputmode": "numeric"}),
        error_messages={
            "required": _("Cần ghi ngày hẹn trả mới."),
            "invalid": _("Ngày hẹn phải theo dạng dd/mm/yyyy hh:mm."),
        },
    )


class ReturnResultForm(ActionForm):
    return_method = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=ReturnMethod.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_method"].initial = self.dossier.return_method


class SupplementForm(ComponentFieldsMixin, ActionForm):
    """The officer hands in a walk-in applicant's supplement (papers and scans)."""

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_component_fields(components)

    def clean(self):
        data = super().clean()
        if not any(paper or scan for _id, scan, paper in self.component_inputs()):
            raise forms.ValidationError(_("Hãy đánh dấu hoặc tải lên ít nhất một giấy tờ được bổ sung."))
        return data


ACTION_FORMS: dict[str, type[ActionForm]] = {
    Action.ASSIGN: AssignForm,
    Action.REQUEST_SUPPLEMENT: RequestSupplementForm,
    Action.APOLOGIZE: ApologizeForm,
    Action.RETURN_RESULT: ReturnResultForm,
    Action.SUPPLEMENT: SupplementForm,
}


def action_form_class(action: str) -> type[ActionForm]:
    return ACTION_FORMS.get(action, ActionForm)
