"""Dossiers (hồ sơ), their documents, process-step runs, history and notices.

Timelines, deadlines and statistics derive from the rows written here: every status
change is a `DossierEvent`, every pass through a process step a `DossierStep`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Agency, Unit
from cchc.core.clock import ClockDateTimeField
from cchc.procedures.models import Component, Procedure, ProcedureVersion, ProcessStep

from .timeliness import UNFINISHED
from .workflow import Action, Status


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp tại Bộ phận Một cửa")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Qua dịch vụ bưu chính công ích")


class ReturnMethod(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại Bộ phận Một cửa")
    POST = "post", _("Qua dịch vụ bưu chính")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Cá nhân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")


# Dossiers not ended yet (submitted to result ready): the desks' partial indexes.
DESK_OPEN = Q(
    status__in=[
        "approved",
        "in_progress",
        "not_approved",
        "received",
        "result_ready",
        "submitted",
        "waiting_supplement",
    ]
)


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    # The agency that resolves the dossier (whose process it runs through).
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="dossiers")
    # The one-stop point that received it (a centre of the province, a commune, or the resolving
    # agency itself, which also receives what is submitted online): the API's `received_by`.
    reception_point = models.ForeignKey(
        Agency,
        verbose_name=_("nơi tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers_received",
    )
    # Where the applicant collects the result when it is returned at a counter.
    return_point = models.ForeignKey(
        Agency,
        verbose_name=_("nơi trả kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers_returned",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    regime = models.CharField(_("chế độ áp dụng"), max_length=8, default="2025")
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    return_method = models.CharField(_("hình thức nhận kết quả"), max_length=10, choices=ReturnMethod.choices)
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_kind = models.CharField(_("loại người nộp"), max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("tên người nộp / tổ chức"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    applicant_tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    # The applicant is the account holder and VNeID verified them: the components the procedure takes
    # from the national population database are not asked for (`services.common._sync_population`).
    applicant_identity_verified = models.BooleanField(_("người nộp đã xác thực định danh điện tử"), default=False)

    current_step = models.PositiveSmallIntegerField(_("bước hiện tại"), default=0)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counted_from = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    # The appointment moved by supplementation pauses and never by an apology: what every report
    # and list judges lateness against (`timeliness`). `due_at` is what the applicant holds now.
    deadline_at = models.DateTimeField(_("hạn giải quyết (để đánh giá đúng hạn)"), null=True, blank=True)
    paused_since = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    # Supplementation requests after reception (the workflow allows one; more is late, `timeliness`).
    processing_supplements = models.PositiveSmallIntegerField(
        _("số lần yêu cầu bổ sung trong quá trình giải quyết"), default=0
    )
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    decision_reason = models.TextField(_("lý do (từ chối, không phê duyệt, dừng)"), blank=True)
    fee_amount = models.PositiveBigIntegerField(_("phí, lệ phí phải nộp (đồng)"), default=0)
    paid_at = models.DateTimeField(_("đã nộp phí lúc"), null=True, blank=True)
    paid_online = models.BooleanField(_("nộp phí trực tuyến"), default=False)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    late_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-created_at"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant_user", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossier_idempotency_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="dossier_queue_idx"),
            models.Index(fields=["applicant_user", "-created_at"], name="dossier_applicant_idx"),
            # Reports count one agency's period: received, finished (or still open), paid in it;
            # the desk lists an agency's dossiers newest first (docs/architecture.md, "Scale").
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received_idx"),
            models.Index(fields=["agency", "finished_at"], name="dossier_agency_finished_idx"),
            models.Index(
                fields=["agency", "paid_at"], name="dossier_agency_paid_idx", condition=Q(paid_at__isnull=False)
            ),
            models.Index(fields=["agency", "-created_at", "-id"], name="dossier_agency_recent_idx"),
            # A centre officer's desk lists what the centre received, newest first.
            models.Index(fields=["reception_point", "-created_at", "-id"], name="dossier_point_recent_idx"),
            # The reports of a one-stop point (a centre, a commune: `centre=`) count what it received
            # in a period, finished in it or still open.
            models.Index(fields=["reception_point", "received_at"], name="dossier_point_received_idx"),
            models.Index(fields=["reception_point", "finished_at"], name="dossier_point_finished_idx"),
            # Dossiers still being handled (a few percent of all): the province's "late now" reads
            # them across every agency.
            models.Index(
                fields=["agency", "deadline_at"],
                name="dossier_unfinished_idx",
                condition=Q(status__in=sorted(UNFINISHED)),
            ),
            # The statutory report looks up the dossiers that ended without a result, by when they ended.
            models.Index(
                fields=["agency", "updated_at"],
                name="dossier_agency_ended_idx",
                condition=Q(status__in=["refused", "withdrawn", "stopped"]),
            ),
            # A one-stop centre's desk counts its open dossiers over what it resolves, received or
            # returns (an OR of three columns): the agency's side reads `dossier_queue_idx`, the
            # points' sides these two partial indexes of open dossiers (a few percent of all). At
            # 3,000,000 dossiers each count otherwise scanned every open step or the whole queue
            # index (0.6-1.4 s each; 24 ms with them).
            models.Index(fields=["reception_point"], name="dossier_point_open_idx", condition=DESK_OPEN),
            models.Index(fields=["return_point"], name="dossier_return_open_idx", condition=DESK_OPEN),
        ]

    def __str__(self) -> str:
        return self.code or _("Hồ sơ chưa có mã #%(id)s") % {"id": self.pk}

    @property
    def applicant_identifier(self) -> str:
        return self.applicant_id_number or self.applicant_tax_code


class DossierDocument(models.Model):
    """One component of a dossier: received on paper, uploaded or scanned, or both."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    component = models.ForeignKey(Component, verbose_name=_("thành phần"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("tệp"), upload_to="dossiers/%Y/%m/", blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    paper_received = models.BooleanField(_("đã nhận bản giấy"), default=False)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng từ kho dữ liệu"), default=False)
    from_population_db = models.BooleanField(_("lấy từ CSDL quốc gia về dân cư"), default=False)
    uploaded_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["component__order"]
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        constraints = [models.UniqueConstraint(fields=["dossier", "component"], name="document_per_component")]

    def __str__(self) -> str:
        return self.component.name


class DossierStep(models.Model):
    """One pass of a dossier through a process step: the rows of the process-control slip."""

    class Outcome(models.TextChoices):
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    process_step = models.ForeignKey(ProcessStep, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("bước"))
    # The agency the step runs in, set on every step of an inter-agency (liên thông) dossier; empty
    # on a dossier whose whole process runs in its resolving agency.
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(_("vai trò"), max_length=20)
    budget_hours = models.PositiveIntegerField(_("thời gian quy định (giờ)"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    started_at = models.DateTimeField(_("nhận lúc"))
    due_at = models.DateTimeField(_("hạn xử lý bước"))
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("kết quả"), max_length=8, choices=Outcome.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "id"]
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("các bước xử lý hồ sơ")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(finished_at__isnull=True), name="one_open_step_per_dossier"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "finished_at"], name="dossier_step_unit_idx"),
            # An officer's own steps in a period (the officer's dashboard, the lists behind it).
            models.Index(fields=["finished_by", "finished_at"], name="dossier_step_finisher_idx"),
            models.Index(fields=["assignee", "finished_at"], name="dossier_step_assignee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.order}. {self.process_step.name}"


class DossierSegment(models.Model):
    """An inter-agency (liên thông) dossier's passage through one agency: the transfer record.

    Written only for dossiers whose process has steps in more than one agency. A segment opens when
    the dossier enters a step of another agency than the one holding it (at reception, for the
    first), with the working hours of that agency's consecutive steps as its budget and its due
    moment on that agency's calendar; it closes, judged early / on time / late, when the dossier
    leaves the agency or ends. Each agency answers for its own segments (`timeliness.segment_*`),
    and sees the dossier from its first segment on (`selectors.dossier_visible_to`)."""

    Outcome = DossierStep.Outcome

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="segments")
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="dossier_segments"
    )
    sequence = models.PositiveSmallIntegerField(_("lượt"))
    first_step = models.PositiveSmallIntegerField(_("từ bước"))
    entered_at = models.DateTimeField(_("nhận hồ sơ lúc"))
    left_at = models.DateTimeField(_("chuyển đi lúc"), null=True, blank=True)
    budget_hours = models.PositiveIntegerField(_("thời gian quy định (giờ làm việc)"))
    due_at = models.DateTimeField(_("hạn xử lý tại cơ quan"))
    outcome = models.CharField(_("kết quả"), max_length=8, choices=DossierStep.Outcome.choices, blank=True)
    # The deadline scan told the agency's people once that this passage is late (still open past its due moment).
    late_notified_at = models.DateTimeField(_("đã báo quá hạn lúc"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "sequence"]
        verbose_name = _("lượt xử lý liên thông")
        verbose_name_plural = _("các lượt xử lý liên thông")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossier_segment_sequence"),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(left_at__isnull=True), name="one_open_segment_per_dossier"
            ),
        ]
        indexes = [
            # Who may see a dossier (an agency's segments) and an agency's segments in a period.
            models.Index(fields=["agency", "dossier"], name="dossier_segment_agency_idx"),
            models.Index(fields=["agency", "left_at"], name="dossier_segment_left_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.sequence}. {self.agency}"


class DossierEvent(models.Model):
    """A row per action: the dossier's history and timeline (from, to, step, actor, reason, at)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=24, choices=Action.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=24, choices=Status.choices)
    step_order = models.PositiveSmallIntegerField(_("bước"), default=0)
    step_name = models.CharField(_("tên bước"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_role = models.CharField(_("vai trò"), max_length=20, blank=True)
    reason = models.TextField(_("lý do, ý kiến"), blank=True)
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")

    def __str__(self) -> str:
        return f"{self.dossier} {self.from_status}→{self.to_status}"


class SupplementRequest(models.Model):
    """A request for more documents (form 02); during processing it pauses the clock."""

    class Stage(models.TextChoices):
        RECEPTION = "reception", _("Khi tiếp nhận")
        PROCESSING = "processing", _("Trong quá trình giải quyết")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    stage = models.CharField(_("giai đoạn"), max_length=12, choices=Stage.choices)
    items = models.JSONField(_("nội dung cần bổ sung"), default=list)
    reason = models.TextField(_("lý do"))
    paused_from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("bổ sung lúc"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("thời gian chờ (phút làm việc)"), default=0)

    class Meta:
        ordering = ["dossier", "requested_at"]
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(answered_at__isnull=True), name="one_open_supplement_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.get_stage_display()} {self.requested_at:%d/%m/%Y}"


class Apology(models.Model):
    """The apology and new appointment (form 04), issued at most once per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    reason = models.TextField(_("lý do chậm"))
    old_due_at = models.DateTimeField(_("hẹn trả cũ"))
    new_due_at = models.DateTimeField(_("hẹn trả mới"))
    issued_at = models.DateTimeField(_("lập lúc"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("phiếu xin lỗi, hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi, hẹn lại")

    def __str__(self) -> str:
        return f"{self.dossier} – {self.new_due_at:%d/%m/%Y}"


class DailySequence(models.Model):
    """The last dossier number given by an agency on a day; locked while a code is taken."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_sequence_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day:%d/%m/%Y}: {self.last}"


class Notification(models.Model):
    """A message to a person about a dossier, sent by a task through a channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")
        ZALO = "zalo", _("Zalo")
        IN_APP = "in_app", _("Trên hệ thống")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        SKIPPED = "skipped", _("Không gửi")

    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=255, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    kind = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    created_at = ClockDateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)  # the last delivery error
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when the current attempt began
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self) -> str:
        return self.subject

    @property
    def provider_key(self) -> str:
        """The key every attempt hands the provider: one message however many times it is tried."""
        return f"cchc-notification-{self.pk}"


class StoredDocument(models.Model):
    """A document in an applicant's data store (once-only): digitised components handed in
    with earlier dossiers and electronic results, reusable instead of a new upload."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("Giấy tờ đã nộp")
        RESULT = "result", _("Kết quả giải quyết")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ sở hữu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stored_documents",
    )
    owner_identifier = models.CharField(_("số định danh / mã số thuế"), max_length=14, db_index=True)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    component_key = models.CharField(max_length=500, db_index=True, editable=False)
    file = models.FileField(_("tệp"), upload_to="store/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # Until when the paper is valid, where CCHC knows it (an electronic result with a validity date).
    valid_until = models.DateField(_("có giá trị đến ngày"), null=True, blank=True)
    source_dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="stored_documents"
    )
    created_at = ClockDateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(_("đã xóa lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu của công dân, doanh nghiệp")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_identifier", "component_key", "sha256", "kind"],
                condition=Q(deleted_at__isnull=True),
                name="stored_document_once_per_kind_of_paper",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day) -> bool:
        return self.valid_until is None or self.valid_until >= day


class StagedUpload(models.Model):
    """A file that passed its checks on a dossier form that was sent back for another error.

    Kept so the applicant does not choose it again: linked to the form (`token`, the start form's
    one-time token, or the draft being edited) and used by the next send of that form, which moves
    the file to the draft's component and deletes this row. `staged_uploads_sweep` removes rows
    (and files) nobody came back for."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    draft = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="staged/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = ClockDateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("tệp đính kèm tạm")
        verbose_name_plural = _("tệp đính kèm tạm")
        constraints = [
            models.UniqueConstraint(fields=["owner", "token", "component"], name="staged_upload_per_component"),
        ]

    def __str__(self) -> str:
        return self.original_name
