"""The procedure catalogue.

A `Procedure` is the national procedure: the stable identity (national code); what the law says
about it lives in immutable `ProcedureVersion`s. Publishing a change makes a new version; dossiers
point at the version in force when they were received, so old dossiers keep old rules.

An `Offering` is the procedure as one agency of the province offers it (a commune procedure is
offered by every commune): its lead unit, local notes, an online level where it differs and,
optionally, its own internal process. A procedure with no offering row is offered by its own
`agency` alone, as before the province had more than one agency.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency, Unit
from cchc.accounts.roles import Role

from . import rules


class Field(models.Model):
    """A field of state management (lĩnh vực), e.g. road traffic."""

    code = models.CharField(_("mã lĩnh vực"), max_length=20, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=20, unique=True)
    # The agency that maintains the procedure's record in the catalogue (and offers it when no
    # offering says otherwise).
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="procedures")
    current_version = models.OneToOneField(
        "ProcedureVersion",
        verbose_name=_("phiên bản đang áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    annual_volume = models.PositiveIntegerField(
        _("số hồ sơ mỗi năm (ước tính)"),
        default=0,
        help_text=_("Số liệu năm trước, dùng để xếp thủ tục thường dùng và tính chi phí tuân thủ."),
    )
    # Folded copies (see cchc.core.text.fold) of the current version's name and of the
    # code, so that search ignores diacritics and case on every database engine.
    search_name = models.TextField(editable=False, default="")
    search_code = models.CharField(max_length=20, editable=False, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self) -> str:
        name = self.current_version.name if self.current_version_id else ""
        return f"{self.code} – {name}" if name else self.code


class ProcedureVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã công bố")

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = rules.WORKING_DAYS, _("ngày làm việc")
        WORKING_HOURS = rules.WORKING_HOURS, _("giờ làm việc")
        CALENDAR_DAYS = rules.CALENDAR_DAYS, _("ngày (tính theo lịch)")

    class OnlineLevel(models.IntegerChoices):
        NOT_ONLINE = 2, _("Dịch vụ công chưa trực tuyến (cung cấp thông tin, biểu mẫu)")
        PARTIAL = 3, _("Dịch vụ công trực tuyến một phần")
        FULL = 4, _("Dịch vụ công trực tuyến toàn trình")

    class ResultType(models.TextChoices):
        PAPER = "paper", _("Bản giấy")
        ELECTRONIC = "electronic", _("Bản điện tử")

    class PaymentStage(models.TextChoices):
        BEFORE_RECEPTION = "before_reception", _("Nộp khi nộp hồ sơ")
        BEFORE_RESULT = "before_result", _("Nộp khi nhận kết quả")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateTimeField(_("áp dụng từ"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công bố"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)

    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="+")
    applicants = models.CharField(_("đối tượng thực hiện"), max_length=255)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    time_limit_value = models.PositiveIntegerField(_("thời hạn giải quyết"), validators=[MinValueValidator(1)])
    time_limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices)
    online_level = models.PositiveSmallIntegerField(_("mức độ dịch vụ công"), choices=OnlineLevel.choices)
    result_type = models.CharField(_("hình thức kết quả"), max_length=12, choices=ResultType.choices)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=255)
    payment_stage = models.CharField(
        _("thời điểm nộp phí"), max_length=20, choices=PaymentStage.choices, default=PaymentStage.BEFORE_RECEPTION
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), help_text=_("Mỗi văn bản một dòng."))

    class Meta:
        ordering = ["procedure", "-number"]
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="draft"),
                name="procedure_single_draft",
            ),
            models.CheckConstraint(condition=Q(online_level__in=[2, 3, 4]), name="procedure_online_level"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} – {self.name}"

    @property
    def time_limit_hours(self) -> int | None:
        """The limit in working hours; None for a limit in calendar days."""
        return rules.time_limit_hours(self.time_limit_value, self.time_limit_unit)

    @property
    def budget_ceiling_hours(self) -> int:
        """The most working hours the internal process may plan (the limit, or a working day per
        calendar day)."""
        return rules.budget_ceiling_hours(self.time_limit_value, self.time_limit_unit)

    def due_moment(self, calendar, counted_from):
        """The appointment of a dossier of this version whose clock starts at `counted_from`."""
        return rules.due_moment(calendar, counted_from, value=self.time_limit_value, unit=self.time_limit_unit)

    @property
    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]

    @property
    def is_online(self) -> bool:
        return self.online_level >= self.OnlineLevel.PARTIAL


class FeeItem(models.Model):
    class Kind(models.TextChoices):
        FEE = "fee", _("Lệ phí")
        CHARGE = "charge", _("Phí")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("tên khoản thu"), max_length=255)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    online_amount = models.PositiveBigIntegerField(_("mức thu khi nộp trực tuyến (đồng)"), null=True, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return self.name

    def amount_for(self, *, online: bool) -> int:
        return self.online_amount if online and self.online_amount is not None else self.amount


class Component(models.Model):
    """A document the applicant hands in (thành phần hồ sơ)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    required = models.BooleanField(_("bắt buộc"), default=True)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    holds_personal_data = models.BooleanField(
        _("chứa dữ liệu cá nhân nhạy cảm"),
        default=False,
        help_text=_("Giấy tờ tùy thân, giấy khám sức khỏe…: mỗi lần mở hồ sơ có giấy tờ này đều được ghi nhật ký."),
    )
    template_name = models.CharField(_("tên tệp mẫu đơn"), max_length=255, blank=True)
    template = models.FileField(_("tệp mẫu đơn, tờ khai"), upload_to="procedure-forms/", blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    from_population_db = models.BooleanField(
        _("có trong CSDL quốc gia về dân cư"),
        default=False,
        help_text=_(
            "Thông tin của giấy tờ này khai thác được từ Cơ sở dữ liệu quốc gia về dân cư: người nộp đã xác thực "
            "định danh điện tử (VNeID) không phải nộp."
        ),
    )

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class FormTemplate(models.Model):
    """A component's form (mẫu đơn, tờ khai) as files to download, and its online version.

    Made by the catalogue import (`services.form_templates_import`) from the template the component
    names and its description in `data/forms.yaml`; `fields` (see `form_templates.FormField`) are
    the form's own fields, and an `online` form is filled on the dossier form instead of printed."""

    component = models.OneToOneField(
        Component, verbose_name=_("thành phần hồ sơ"), on_delete=models.CASCADE, related_name="form_template"
    )
    slug = models.CharField(_("tên tệp"), max_length=200, help_text=_("Tên tệp tải về, không có phần đuôi."))
    title = models.CharField(_("tiêu đề"), max_length=500)
    online = models.BooleanField(
        _("có biểu mẫu điện tử"),
        default=False,
        help_text=_("Người dân điền đơn ngay khi nộp hồ sơ trực tuyến; hệ thống tự in đơn ra PDF."),
    )
    fields = models.JSONField(_("các trường của đơn"), default=list, blank=True)
    docx = models.FileField(_("tệp .docx"), blank=True)
    pdf = models.FileField(_("tệp .pdf"), blank=True)
    digest = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")

    def __str__(self) -> str:
        return self.slug

    def file_of(self, fmt: str):
        """The stored file of a format (`docx`, `pdf`), or None."""
        stored = {"docx": self.docx, "pdf": self.pdf}.get(fmt)
        return stored if stored else None

    def file_name(self, fmt: str) -> str:
        return f"{self.slug}.{fmt}"


class Offering(models.Model):
    """A national procedure as one agency offers it."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="offerings"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT, related_name="offerings"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị chủ trì tại cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: đơn vị chủ trì của thủ tục."),
    )
    online_level = models.PositiveSmallIntegerField(
        _("mức độ dịch vụ công tại cơ quan"),
        choices=ProcedureVersion.OnlineLevel.choices,
        null=True,
        blank=True,
        help_text=_("Để trống: theo thủ tục."),
    )
    local_note = models.TextField(_("ghi chú của cơ quan"), blank=True)

    class Meta:
        ordering = ["procedure", "agency__name"]
        verbose_name = _("cơ quan thực hiện thủ tục")
        verbose_name_plural = _("cơ quan thực hiện thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "agency"], name="offering_once_per_agency"),
            models.CheckConstraint(
                condition=Q(online_level__isnull=True) | Q(online_level__in=[2, 3, 4]), name="offering_online_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} – {self.agency}"

    def online_level_for(self, version: ProcedureVersion) -> int:
        return self.online_level or version.online_level


class ProcessStep(models.Model):
    """One step of the published internal process, with its owner and time budget.

    A step without an offering belongs to the procedure version's process (for a procedure
    many agencies offer, the province's template; a step without a unit is then done by the
    resolving agency's people in that role); a step with one is that agency's own process for
    the version, adopted from the template and adjusted (`offering_adopt_process`).

    A step naming an `agency` runs in that agency (an inter-agency, liên thông, process: e.g. a
    commune verifies, then a department decides); its unit, when set, is one of that agency's.
    Without one it runs in the agency resolving the dossier."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    offering = models.ForeignKey(
        Offering,
        verbose_name=_("quy trình riêng của cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("nội dung công việc"), max_length=255)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thực hiện (liên thông)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: cơ quan giải quyết hồ sơ. Chọn cơ quan khác cho bước liên thông."),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thực hiện"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("vai trò thực hiện"),
        max_length=20,
        choices=[(r.value, r.label) for r in Role if r.value in rules.PROCESS_ROLE_CODES],
    )
    hours = models.PositiveIntegerField(_("thời gian (giờ làm việc)"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.agency_id and self.unit_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("Đơn vị thực hiện phải thuộc cơ quan thực hiện bước này.")})


class SearchSynonym(models.Model):
    """How people write a thing versus how the catalogue names it: `gplx` → `giấy phép lái xe`.

    The reform officer edits the list (admin); the catalogue search also looks for each expansion
    of a term the visitor typed (`selectors.procedure_catalogue`). `term` is stored folded."""

    term = models.CharField(_("cách viết tắt, cách gọi"), max_length=60, unique=True)
    expansion = models.CharField(_("tên đầy đủ trong danh mục"), max_length=200)

    class Meta:
        ordering = ["term"]
        verbose_name = _("từ đồng nghĩa, viết tắt khi tìm thủ tục")
        verbose_name_plural = _("từ đồng nghĩa, viết tắt khi tìm thủ tục")

    def __str__(self) -> str:
        return f"{self.term} → {self.expansion}"
