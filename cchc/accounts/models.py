from datetime import time

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import Role, is_staff_role
from .validators import validate_agency_code


class Agency(models.Model):
    """A state agency served by this installation (a department of the province)."""

    code = models.CharField(_("mã định danh"), max_length=13, unique=True, validators=[validate_agency_code])
    name = models.CharField(_("tên cơ quan"), max_length=255)
    parent_name = models.CharField(
        _("cơ quan chủ quản"), max_length=255, blank=True, help_text=_("Ví dụ: UBND TỈNH BÌNH SƠN")
    )
    place_name = models.CharField(
        _("địa danh"), max_length=100, blank=True, help_text=_("Dùng ở dòng địa danh, ngày tháng của văn bản.")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    morning_opens = models.TimeField(_("sáng: giờ bắt đầu"), default=time(7, 0))
    morning_closes = models.TimeField(_("sáng: giờ kết thúc"), default=time(11, 30))
    afternoon_opens = models.TimeField(_("chiều: giờ bắt đầu"), default=time(13, 30))
    afternoon_closes = models.TimeField(_("chiều: giờ kết thúc"), default=time(17, 0))

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self) -> str:
        return self.name

    @property
    def office_hours(self) -> tuple[tuple[time, time], ...]:
        return ((self.morning_opens, self.morning_closes), (self.afternoon_opens, self.afternoon_closes))

    def clean(self) -> None:
        if not (self.morning_opens < self.morning_closes <= self.afternoon_opens < self.afternoon_closes):
            raise ValidationError(_("Giờ làm việc phải theo thứ tự: sáng mở < sáng đóng ≤ chiều mở < chiều đóng."))


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
        if is_staff_role(self.role) and self.role != Role.ADMIN and not self.agency_id:
            raise ValidationError(_("Cán bộ phải thuộc một cơ quan."))
        if self.unit_id and self.unit.agency_id != self.agency_id:
            raise ValidationError(_("Đơn vị phải thuộc cơ quan của người dùng."))


class ApiToken(models.Model):
    """A bearer token for the API. Only the SHA-256 of the token is stored: a leaked table
    gives no usable token."""

    user = models.ForeignKey(User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(_("mã băm của khóa"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")

    def __str__(self) -> str:
        return f"{self.user} – {self.key_hash[:8]}…"
