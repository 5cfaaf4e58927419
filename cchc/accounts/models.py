from datetime import time

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.clock import ClockDateTimeField

from .roles import ADMINISTERS_SYSTEM, Role, is_staff_role
from .validators import validate_agency_code, validate_province_code

DEFAULT_MORNING = (time(7, 0), time(11, 30))
DEFAULT_AFTERNOON = (time(13, 30), time(17, 0))


def _hours_in_order(morning_opens, morning_closes, afternoon_opens, afternoon_closes) -> bool:
    return morning_opens < morning_closes <= afternoon_opens < afternoon_closes


class Province(models.Model):
    """The province this installation serves (one province runs one system): its name, its
    `Hnn` code (the last level of every agency identifier) and the office hours its agencies
    keep unless they set their own."""

    code = models.CharField(_("mã tỉnh"), max_length=3, unique=True, validators=[validate_province_code])
    name = models.CharField(_("tên tỉnh"), max_length=255)
    morning_opens = models.TimeField(_("sáng: giờ bắt đầu"), default=DEFAULT_MORNING[0])
    morning_closes = models.TimeField(_("sáng: giờ kết thúc"), default=DEFAULT_MORNING[1])
    afternoon_opens = models.TimeField(_("chiều: giờ bắt đầu"), default=DEFAULT_AFTERNOON[0])
    afternoon_closes = models.TimeField(_("chiều: giờ kết thúc"), default=DEFAULT_AFTERNOON[1])

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")

    def __str__(self) -> str:
        return self.name

    @property
    def office_hours(self) -> tuple[tuple[time, time], ...]:
        return ((self.morning_opens, self.morning_closes), (self.afternoon_opens, self.afternoon_closes))

    def clean(self) -> None:
        if not _hours_in_order(*[t for pair in self.office_hours for t in pair]):
            raise ValidationError(_("Giờ làm việc phải theo thứ tự: sáng mở < sáng đóng ≤ chiều mở < chiều đóng."))


class Agency(models.Model):
    """An agency of the province: the People's Committee, a department, a public administrative
    service centre or a commune/ward, with the dates it existed and its successor."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("UBND cấp tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        CENTRE = "centre", _("Trung tâm Phục vụ hành chính công")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    code = models.CharField(_("mã định danh"), max_length=13, unique=True, validators=[validate_agency_code])
    name = models.CharField(_("tên cơ quan"), max_length=255)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    level = models.CharField(_("cấp"), max_length=12, choices=Level.choices, default=Level.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    parent_name = models.CharField(
        _("cơ quan chủ quản"), max_length=255, blank=True, help_text=_("Ví dụ: UBND TỈNH BÌNH SƠN")
    )
    place_name = models.CharField(
        _("địa danh"), max_length=100, blank=True, help_text=_("Dùng ở dòng địa danh, ngày tháng của văn bản.")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # Empty: the province's hours (all four set, or none).
    morning_opens = models.TimeField(_("sáng: giờ bắt đầu"), null=True, blank=True)
    morning_closes = models.TimeField(_("sáng: giờ kết thúc"), null=True, blank=True)
    afternoon_opens = models.TimeField(_("chiều: giờ bắt đầu"), null=True, blank=True)
    afternoon_closes = models.TimeField(_("chiều: giờ kết thúc"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def own_office_hours(self) -> tuple[tuple[time, time], ...] | None:
        times = (self.morning_opens, self.morning_closes, self.afternoon_opens, self.afternoon_closes)
        if any(t is None for t in times):
            return None
        return ((times[0], times[1]), (times[2], times[3]))

    @property
    def office_hours(self) -> tuple[tuple[time, time], ...]:
        """The agency's own hours, else its province's, else the national default."""
        own = self.own_office_hours
        if own is not None:
            return own
        if self.province_id is not None:
            return self.province.office_hours
        return (DEFAULT_MORNING, DEFAULT_AFTERNOON)

    @property
    def receives_for_province(self) -> bool:
        """Whether the agency is a one-stop point that receives dossiers for every agency of the
        province (Decree 118/2025: the provincial centre and the communes' centres)."""
        return self.level in (self.Level.CENTRE, self.Level.COMMUNE)

    def is_active_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        times = (self.morning_opens, self.morning_closes, self.afternoon_opens, self.afternoon_closes)
        if any(t is None for t in times) and any(t is not None for t in times):
            raise ValidationError(_("Giờ làm việc: nhập đủ cả bốn mốc, hoặc để trống để theo giờ của tỉnh."))
        if self.own_office_hours is not None and not _hours_in_order(*times):
            raise ValidationError(_("Giờ làm việc phải theo thứ tự: sáng mở < sáng đóng ≤ chiều mở < chiều đóng."))
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(_("Ngày hết hoạt động không được trước ngày bắt đầu hoạt động."))
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError(_("Cơ quan không thể là cấp trên của chính nó."))
        if self.successor_id is not None and self.successor_id == self.pk:
            raise ValidationError(_("Cơ quan không thể kế thừa chính nó."))


class Unit(models.Model):
    """A division or unit of an agency, with the dates it existed.

    Re-organisations close a unit (valid_to) and open another rather than rename or
    delete, so that history (who handled what, when) stays true.
    """

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Lãnh đạo")
        OFFICE = "office", _("Văn phòng")
        DIVISION = "division", _("Phòng chuyên môn")
        INSPECTORATE = "inspectorate", _("Thanh tra")
        PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
        ONE_STOP = "one_stop", _("Bộ phận Một cửa")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("mã đơn vị"), max_length=20)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "valid_from"], name="unit_code_per_period"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(_("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."))
        if self.parent_id and self.parent.agency_id != self.agency_id:
            raise ValidationError(_("Đơn vị cấp trên phải thuộc cùng cơ quan."))


class User(AbstractUser):
    """A person using CCHC: an applicant or a member of staff, distinguished by role."""

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    # The applicant's identity: declared, or vouched for by the national e-ID (VNeID) when
    # `identity_verified` (cchc.accounts.vneid; written only by `services.user_identity_apply`).
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    identity_verified = models.BooleanField(
        _("đã xác thực định danh điện tử"),
        default=False,
        help_text=_("Họ tên, số định danh, ngày sinh, địa chỉ do VNeID cung cấp khi đăng nhập."),
    )
    identity_level = models.CharField(_("mức định danh"), max_length=20, blank=True)
    identity_verified_at = models.DateTimeField(_("xác thực lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            # One person, one verified account: signing in through VNeID links by this number.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(identity_verified=True),
                name="one_verified_account_per_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_applicant(self) -> bool:
        return not is_staff_role(self.role)

    def clean(self) -> None:
        super().clean()
        if is_staff_role(self.role) and self.role not in ADMINISTERS_SYSTEM and not self.agency_id:
            raise ValidationError(_("Cán bộ phải thuộc một cơ quan."))
        if self.unit_id and self.unit.agency_id != self.agency_id:
            raise ValidationError(_("Đơn vị phải thuộc cơ quan của người dùng."))


class ApiToken(models.Model):
    """A bearer token for the API. Only the SHA-256 of the token is stored: a leaked table
    gives no usable token."""

    user = models.ForeignKey(User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(_("mã băm của khóa"), max_length=64, unique=True, editable=False)
    created_at = ClockDateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")

    def __str__(self) -> str:
        return f"{self.user} – {self.key_hash[:8]}…"
