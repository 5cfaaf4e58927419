"""Forms of the citizen-facing pages: applicant data, one upload per component, supplement,
withdrawal and the public lookup. The rules themselves live in `rules` and `uploads`; these
forms only turn them into field errors."""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts.selectors import return_points
from cchc.core.errors import ApplicationError
from cchc.core.forms import vn_date_field
from cchc.core.text import fold
from cchc.procedures.form_templates import FormDefinition, FormField, fields_from_data, render_pdf
from cchc.procedures.models import Component, FormTemplate, ProcedureVersion

from .models import ApplicantKind, DossierDocument, ReturnMethod, StagedUpload, StoredDocument
from .rules import ApplicantData, applicant_errors
from .services import DocumentInput
from .uploads import check_upload

ACCEPT = ".pdf,.jpg,.jpeg,.png"


class ApplicantForm(forms.Form):
    """Who submits, how to reach them, and how the result is to be returned."""

    kind = forms.ChoiceField(label=_("Người nộp hồ sơ là"), choices=ApplicantKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Họ và tên (hoặc tên tổ chức, doanh nghiệp)"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        help_text=_("12 chữ số, in trên thẻ căn cước. Bắt buộc với cá nhân."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        help_text=_("10 chữ số (chi nhánh: 10 chữ số, dấu gạch và 3 chữ số). Bắt buộc với tổ chức, doanh nghiệp."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    return_method = forms.ChoiceField(label=_("Nhận kết quả"), widget=forms.RadioSelect)
    # Decree 118/2025: a result collected in person may be collected at any one-stop point of the
    # province, not only where the dossier is resolved.
    return_point = forms.ChoiceField(
        label=_("Nơi nhận kết quả trực tiếp"),
        required=False,
        help_text=_(
            "Chỉ dùng khi chọn nhận kết quả tại Bộ phận Một cửa: có thể nhận tại Trung tâm Phục vụ hành chính "
            "công hoặc Bộ phận Một cửa cấp xã khác thuận tiện cho bạn."
        ),
    )

    def __init__(self, *args, version: ProcedureVersion, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolving_agency = agency
        self.points = {a.code: a for a in return_points() if agency is None or a.pk != agency.pk}
        here = (
            _("Bộ phận Một cửa của %(agency)s (nơi giải quyết hồ sơ)") % {"agency": agency.name}
            if agency is not None
            else _("Bộ phận Một cửa của cơ quan giải quyết hồ sơ")
        )
        self.fields["return_point"].choices = [("", here), *((code, a.name) for code, a in self.points.items())]
        choices = list(ReturnMethod.choices)
        if version.online_level < ProcedureVersion.OnlineLevel.FULL:
            # A partial online service hands the result over in person or by post.
            choices = [c for c in choices if c[0] != ReturnMethod.ONLINE]
            self.fields["return_method"].help_text = _(
                "Thủ tục này là dịch vụ công trực tuyến một phần: kết quả nhận tại Bộ phận Một cửa hoặc qua bưu chính."
            )
        self.fields["return_method"].choices = choices

    def clean_return_point(self):
        code = self.cleaned_data.get("return_point") or ""
        return self.points[code] if code else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("return_point") is not None and cleaned.get("return_method") != ReturnMethod.COUNTER:
            self.add_error(
                "return_point",
                _("Nơi nhận kết quả trực tiếp chỉ chọn khi nhận kết quả tại Bộ phận Một cửa."),
            )
        for name, message in applicant_errors(self.applicant()).items():
            if name not in self.errors:  # a field's own error (e.g. "required") already says it
                self.add_error(name if name in self.fields else None, message)
        return cleaned

    def applicant(self) -> ApplicantData:
        data = self.cleaned_data
        return ApplicantData(
            kind=data.get("kind", ""),
            name=data.get("name", ""),
            id_number=data.get("id_number", ""),
            tax_code=data.get("tax_code", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
        )


def paper_label(document: StoredDocument, today) -> str:
    """A stored paper as a phone shows it: its kind, when it was handed in or issued, its validity."""
    if document.valid_until is None:
        validity = _("không ghi thời hạn")
    elif document.valid_until >= today:
        validity = _("còn hạn đến %(day)s") % {"day": f"{document.valid_until:%d/%m/%Y}"}
    else:
        validity = _("hết hạn từ %(day)s") % {"day": f"{document.valid_until:%d/%m/%Y}"}
    when = timezone.localtime(document.created_at)
    return f"{document.get_kind_display()} {when:%d/%m/%Y} · {validity}"


def field_name(component: Component) -> str:
    return f"component_{component.pk}"


def reuse_name(component: Component) -> str:
    return f"reuse_{component.pk}"


def eform_name(component: Component, form_field: FormField) -> str:
    return f"eform_{component.pk}_{form_field.name}"


def eform_field(spec: FormField, *, required: bool) -> forms.Field:
    """The form field of one field of an e-form, with Vietnamese messages."""
    messages = {"required": _("Vui lòng điền “%(label)s”.") % {"label": spec.label}}
    if spec.type == "date":
        return vn_date_field(spec.label, required=required, error_messages=messages)
    if spec.type == "number":
        return forms.IntegerField(
            label=spec.label,
            required=required,
            min_value=0,
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            error_messages=messages | {"invalid": _("“%(label)s” phải là một số.") % {"label": spec.label}},
        )
    if spec.type == "choice":
        return forms.ChoiceField(
            label=spec.label,
            required=required,
            choices=[("", _("— Chọn —")), *((c, c) for c in spec.choices)],
            error_messages=messages | {"invalid_choice": _("Hãy chọn một giá trị trong danh sách.")},
        )
    widget = forms.Textarea(attrs={"rows": 3}) if spec.type == "textarea" else forms.TextInput()
    return forms.CharField(
        label=spec.label, required=required, max_length=spec.max_length, widget=widget, error_messages=messages
    )


class UploadForm(forms.Form):
    """One file field per component, named `component_<id>`; files are judged by their content.

    A component that already has a file (a draft being edited) need not be uploaded again;
    `all_optional` is for a supplement, where `min_one` asks for at least one file. Components in
    `from_population_db` are not asked for at all: the national population database holds them for
    an applicant whose identity VNeID verified (listed in `population_components` for the page).

    With `eforms`, a component whose form has an online version (`FormTemplate.online`) can be
    filled here instead of uploaded: its fields (`eform_<component id>_<field>`), and
    `eform_documents` renders the application as PDF. A file chosen for it comes first; a form with
    anything typed in must be complete; otherwise a stored paper (the application of an earlier
    dossier, preselected) or a draft's own file is used.
    """

    min_one = False

    def __init__(
        self,
        *args,
        components: list[Component],
        existing: dict[int, DossierDocument] | None = None,
        all_optional: bool = False,
        stored: list[StoredDocument] | None = None,
        staged: list[StagedUpload] | None = None,
        from_population_db: bool = False,
        eforms: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.population_components = [c for c in components if from_population_db and c.from_population_db]
        components = [c for c in components if c not in self.population_components]
        self.existing = existing or {}
        self.eforms: dict[int, tuple[Component, FormTemplate, tuple[FormField, ...]]] = {}
        for component in components if eforms else ():
            form = getattr(component, "form_template", None)
            if form is not None and form.online:
                self.eforms[component.pk] = (component, form, fields_from_data(form.fields))
        self._eform_fields()
        self.all_optional = all_optional
        self.stored = {str(d.pk): d for d in stored or ()}
        self.staged = {s.component_id: s for s in staged or ()}
        self.components = {field_name(c): c for c in components}
        self.required_components = set()
        self.reusable: set[str] = set()  # file fields with papers of their kind in the data store
        for name, component in self.components.items():
            suffix = _("bắt buộc") if component.required else _("nếu có")
            self.fields[name] = forms.FileField(
                label=f"{component.order}. {component.name} ({suffix})",
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
                error_messages={"required": _("Cần tải lên tệp cho giấy tờ này.")},
            )
            papers = self._papers_of_kind(component)
            if papers:
                # Once-only: the papers of this kind the applicant already handed in, newest first,
                # the latest still valid chosen; a new file chosen above takes precedence.
                today = timezone.localdate()
                latest_valid = next((d for d in papers if d.is_valid_on(today)), None)
                if component.pk in self.existing:  # a draft's own file stays unless the applicant changes it
                    latest_valid = None
                self.fields[reuse_name(component)] = forms.ChoiceField(
                    label=_("… hoặc dùng giấy tờ đã có trong kho dữ liệu của bạn"),
                    required=False,
                    choices=[(str(d.pk), paper_label(d, today)) for d in papers] + [("", _("Không dùng"))],
                    initial=str(latest_valid.pk) if latest_valid else "",
                    widget=forms.RadioSelect(attrs={"class": "paper-choice"}),
                )
                self.reusable.add(name)
            self._describe(name, component)

    def _eform_fields(self) -> None:
        # Not required as fields: a file or a stored paper may stand for the form (see `_clean_eforms`).
        for component, _form, specs in self.eforms.values():
            for spec in specs:
                self.fields[eform_name(component, spec)] = eform_field(spec, required=False)

    def rows(self) -> list[dict]:
        """The page's blocks in component order: a component's upload fields, after its e-form if it has one."""
        blocks = []
        for name, component in self.components.items():
            files = [self[name]] + ([self[reuse_name(component)]] if name in self.reusable else [])
            eform = self.eforms.get(component.pk)
            blocks.append(
                {
                    "component": component,
                    "eform": eform[1] if eform else None,
                    "eform_fields": [self[eform_name(component, spec)] for spec in eform[2]] if eform else [],
                    "fields": files,
                    "has": component.pk in self.existing,
                }
            )
        return blocks

    def _eform_values(self, component: Component, specs) -> dict:
        return {spec.name: self.cleaned_data.get(eform_name(component, spec)) for spec in specs}

    def _eform_filled(self, component: Component) -> bool:
        """Whether the applicant typed anything into the component's e-form (and chose no file for it)."""
        if component.pk not in self.eforms or self.cleaned_data.get(field_name(component)):
            return False
        specs = self.eforms[component.pk][2]
        return any(v not in (None, "") for v in self._eform_values(component, specs).values())

    def _clean_eforms(self) -> None:
        """An e-form with anything typed in must be complete; so must a required one nothing else stands for."""
        for component, _form, specs in self.eforms.values():
            name = field_name(component)
            if self.cleaned_data.get(name) or name in self.errors:
                continue
            chosen = self.cleaned_data.get(reuse_name(component))
            if not self._eform_filled(component) and (name not in self.required_components or chosen):
                continue
            values = self._eform_values(component, specs)
            for spec in specs:
                field = eform_name(component, spec)
                if spec.required and values[spec.name] in (None, "") and field not in self.errors:
                    self.add_error(field, _("Vui lòng điền “%(label)s”.") % {"label": spec.label})

    def eform_documents(self, *, applicant: ApplicantData, addressee: str, date_line: str) -> list[DocumentInput]:
        """The applications filled on this form, each rendered as PDF and handed in as its component
        (call after `is_valid()`); a draft's e-form left empty keeps the application it has."""
        documents = []
        for component, form, specs in self.eforms.values():
            if not self._eform_filled(component):
                continue
            values = self._eform_values(component, specs)
            definition = FormDefinition(slug=form.slug, title=form.title, online=True, fields=specs)
            pdf = render_pdf(
                definition,
                addressee=addressee,
                applicant={
                    "name": applicant.name,
                    "id_number": applicant.id_number or applicant.tax_code,
                    "address": applicant.address,
                    "phone": applicant.phone,
                },
                values=values,
                date_line=date_line,
            )
            upload = SimpleUploadedFile(form.file_name("pdf"), pdf, content_type="application/pdf")
            documents.append(DocumentInput(component_id=component.pk, file=upload))
        return documents

    def _papers_of_kind(self, component: Component) -> list[StoredDocument]:
        key = fold(component.name)
        papers = [d for d in self.stored.values() if d.component_key == key]
        return sorted(papers, key=lambda d: d.created_at, reverse=True)

    def _describe(self, name: str, component: Component) -> None:
        """Whether the field must be filled and what it says about the file already there."""
        have = self.existing.get(component.pk)
        staged = self.staged.get(component.pk)
        help_parts = [str(_("Tệp PDF, JPEG hoặc PNG."))]
        if staged is not None:
            help_parts = [
                str(_("Đã đính kèm: %(name)s (%(size)s) — thay tệp khác nếu cần."))
                % {"name": staged.original_name, "size": filesizeformat(staged.size)}
            ]
        elif have is not None and have.original_name:
            help_parts.append(
                str(_("Đã tải lên: %(name)s (%(size)s); chọn tệp khác nếu muốn thay."))
                % {"name": have.original_name, "size": filesizeformat(have.size)}
            )
        required = component.required and have is None and staged is None and not self.all_optional
        field = self.fields[name]
        field.required = required and name not in self.reusable and component.pk not in self.eforms
        field.help_text = " ".join(help_parts)
        self.required_components.discard(name)
        if required:
            self.required_components.add(name)

    def keep_staged(self, staged: list[StagedUpload]) -> None:
        """After a send that was refused: these files are kept and shown as attached."""
        for item in staged:
            self.staged[item.component_id] = item
        for name, component in self.components.items():
            self._describe(name, component)
        self._bound_fields_cache.clear()  # bound fields copy the help text when first made

    def passed_uploads(self) -> list[tuple[Component, object]]:
        """The files of this send that passed their checks (the form may still have other errors)."""
        if not self.is_bound:
            return []
        self.is_valid()  # runs the checks once
        passed = []
        for name, component in self.components.items():
            upload = self.files.get(self.add_prefix(name))
            if upload and name not in self.errors:
                passed.append((component, upload))
        return passed

    def clean(self):
        cleaned = super().clean()
        for name, component in self.components.items():
            upload = cleaned.get(name)
            if not upload:
                if (
                    component.pk not in self.eforms
                    and name in self.required_components
                    and name in self.reusable
                    and not cleaned.get(reuse_name(component))
                ):
                    self.add_error(name, _("Cần tải lên tệp hoặc chọn giấy tờ đã có trong kho dữ liệu."))
                continue
            try:
                check_upload(upload, label=component.name)
            except ApplicationError as exc:
                self.add_error(name, exc.message)
        self._clean_eforms()
        if self.min_one and not self.errors and not any(cleaned.get(name) for name in self.components):
            raise forms.ValidationError(_("Cần tải lên ít nhất một giấy tờ."))
        return cleaned

    def documents(self) -> list[DocumentInput]:
        documents = []
        for name, component in self.components.items():
            if self.cleaned_data.get(name):
                documents.append(DocumentInput(component_id=component.pk, file=self.cleaned_data[name]))
            elif self._eform_filled(component):
                continue  # rendered by `eform_documents`
            elif component.pk in self.staged:
                documents.append(DocumentInput(component_id=component.pk, staged=self.staged[component.pk]))
            elif self.cleaned_data.get(reuse_name(component)) in self.stored:
                stored = self.stored[self.cleaned_data[reuse_name(component)]]
                documents.append(DocumentInput(component_id=component.pk, reused_from=stored))
        return documents


class SupplementForm(UploadForm):
    """The applicant's answer to a supplementation request: the requested papers, one file each."""

    min_one = True

    comment = forms.CharField(
        label=_("Ghi chú cho cán bộ (nếu có)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, components: list[Component], requested: list[str] = (), **kwargs):
        # The request lists items as text; where they name components, exactly those are asked for.
        asked = [c for c in components if c.name in set(requested)]
        super().__init__(*args, components=asked or components, all_optional=True, **kwargs)
        for name in self.components if asked else ():
            self.fields[name].required = True
            self.fields[name].label = f"{self.components[name].order}. {self.components[name].name}"


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận rút hồ sơ này. Hồ sơ đã rút sẽ không được tiếp tục giải quyết."),
        error_messages={"required": _("Vui lòng đánh dấu xác nhận trước khi rút hồ sơ.")},
    )
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ (nếu có)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The status the applicant saw, so a change meanwhile is reported instead of overridden.
    expected_status = forms.CharField(required=False, widget=forms.HiddenInput)


class TrackingForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        help_text=_("In trên giấy tiếp nhận hồ sơ, ví dụ 000.00.06.H56-260302-0001."),
        error_messages={"required": _("Vui lòng nhập mã hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_ma(self) -> str:
        return "".join(self.cleaned_data["ma"].split()).upper()
