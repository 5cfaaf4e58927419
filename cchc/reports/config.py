"""The service index's groups and indicators as data: code, Vietnamese name, maximum points and
the rate at which the maximum is reached (Decision 766/QĐ-TTg, domain.md §7).

The six group maxima (18, 20, 12, 10, 22, 18 = 100) and the thresholds marked `confirmed` come from
the decision as summarised in domain.md; how a group's points are split between its indicators
and the other thresholds (100 %: "all of them") are this installation's reading, not the
decision's text. They can be changed without touching code through the setting
`CCHC_SERVICE_INDEX`, a dict merged over the defaults by indicator code::

    CCHC_SERVICE_INDEX = {
        "progress.on_time": {"max": 14, "threshold": 1.0},
        "progress.average_time": {"max": 6},
    }

A group's maximum is the sum of its indicators' maxima, so keep the sums of a group unchanged
to stay on the 100-point scale.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SETTING = "CCHC_SERVICE_INDEX"
# The reason shown for the national portal synchronisation until a connector exists.
PORTAL_SYNC_REASON = _("Chưa kết nối Cổng Dịch vụ công quốc gia")


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str | Promise
    maximum: float
    threshold: float  # the rate (0 < t ≤ 1) from which the indicator earns its maximum
    confirmed: bool = False  # True: maximum and threshold as the decision states them


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str | Promise
    indicators: tuple[IndicatorSpec, ...]

    @property
    def maximum(self) -> float:
        return sum(indicator.maximum for indicator in self.indicators)


I = IndicatorSpec  # noqa: E741 - keeps the table below readable

DEFAULT_GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "transparency",
        _("Công khai, minh bạch"),
        (
            I("transparency.published", _("Thủ tục hành chính được công bố, công khai đầy đủ"), 9, 1.0),
            I("transparency.portal_sync", _("Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia"), 9, 1.0),
        ),
    ),
    GroupSpec(
        "progress",
        _("Tiến độ giải quyết"),
        (
            I("progress.on_time", _("Hồ sơ giải quyết trước hạn, đúng hạn"), 15, 1.0),
            I(
                "progress.average_time",
                _("Thủ tục có thời gian giải quyết trung bình trong thời hạn quy định"),
                5,
                1.0,
            ),
        ),
    ),
    GroupSpec(
        "online",
        _("Cung cấp dịch vụ trực tuyến"),
        (
            I("online.procedures", _("Thủ tục hành chính cung cấp dịch vụ công trực tuyến"), 4, 0.8, True),
            I("online.used", _("Dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến"), 4, 1.0),
            I("online.dossiers", _("Hồ sơ nộp trực tuyến"), 4, 0.5, True),
        ),
    ),
    GroupSpec(
        "payment",
        _("Thanh toán trực tuyến"),
        (
            I("payment.procedures", _("Thủ tục có nghĩa vụ tài chính được thanh toán trực tuyến"), 5, 0.8, True),
            I("payment.dossiers", _("Hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến"), 5, 1.0),
        ),
    ),
    GroupSpec(
        "digitisation",
        _("Số hóa hồ sơ"),
        (
            I("digitisation.electronic_result", _("Hồ sơ được cấp kết quả điện tử"), 6, 1.0),
            I("digitisation.digitised", _("Hồ sơ được số hóa thành phần"), 8, 0.8, True),
            I("digitisation.reused", _("Hồ sơ tái sử dụng dữ liệu số hóa"), 8, 0.8, True),
        ),
    ),
    GroupSpec(
        "satisfaction",
        _("Mức độ hài lòng"),
        (
            I("satisfaction.complaints", _("Phản ánh, kiến nghị được xử lý đúng hạn"), 6, 1.0),
            I(
                "satisfaction.satisfaction",
                _("Mức độ hài lòng (100% trừ tỷ lệ trễ hạn và tỷ lệ có phản ánh hoặc không hài lòng)"),
                12,
                0.9,
                True,
            ),
        ),
    ),
)

INDICATOR_CODES: tuple[str, ...] = tuple(i.code for g in DEFAULT_GROUPS for i in g.indicators)


def _number(value, *, code: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ImproperlyConfigured(f"{SETTING}[{code!r}][{key!r}] must be a number, not {value!r}")
    return float(value)


def _override(spec: IndicatorSpec, values: dict) -> IndicatorSpec:
    if not isinstance(values, dict) or set(values) - {"max", "threshold"}:
        raise ImproperlyConfigured(f"{SETTING}[{spec.code!r}] takes only the keys 'max' and 'threshold'")
    changes = {}
    if "max" in values:
        maximum = _number(values["max"], code=spec.code, key="max")
        if maximum < 0:
            raise ImproperlyConfigured(f"{SETTING}[{spec.code!r}]['max'] must not be negative")
        changes["maximum"] = maximum
    if "threshold" in values:
        threshold = _number(values["threshold"], code=spec.code, key="threshold")
        if not 0 < threshold <= 1:
            raise ImproperlyConfigured(f"{SETTING}[{spec.code!r}]['threshold'] must be in (0, 1]")
        changes["threshold"] = threshold
    return replace(spec, **changes, confirmed=False) if changes else spec


def index_groups() -> tuple[GroupSpec, ...]:
    """The groups in force: the defaults with `settings.CCHC_SERVICE_INDEX` merged over them."""
    overrides = settings.CCHC_SERVICE_INDEX or {}
    unknown = set(overrides) - set(INDICATOR_CODES)
    if unknown:
        raise ImproperlyConfigured(f"{SETTING} names unknown indicators: {', '.join(sorted(unknown))}")
    return tuple(
        replace(
            group,
            indicators=tuple(_override(i, overrides[i.code]) if i.code in overrides else i for i in group.indicators),
        )
        for group in DEFAULT_GROUPS
    )


def indicator_spec(code: str) -> IndicatorSpec | None:
    for group in index_groups():
        for indicator in group.indicators:
            if indicator.code == code:
                return indicator
    return None
