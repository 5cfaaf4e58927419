"""The service index's groups and indicators as data (Decision 766/QĐ-TTg; domain.md §7;
legal-details.md §1): code, Vietnamese name, number in the national portal's description, maximum
points, the rate at which the maximum is reached, and where it is measured.

The national 100-point scale. The six groups and their maxima are those the national public service
portal (Cổng DVCQG) publishes: transparency 18, progress 20, online service 12, online payment 10,
digitisation 22, satisfaction 18 (legal-details.md §1.1, [S]). Every indicator stays in its group's
maximum whether or not it could be measured, so a total is always read out of 100 and compares with
the portal's figure.

Weights inside the groups. Where legal-details.md §1.2 gives an indicator's points (a DVCQG
technical description reproduced by third parties, [S]) they are the defaults here and marked
`weight_source="S"`; where no source gave them — the split of the online-service group's 12 points
(3.1–3.3, "chưa xác định"), the 0 points of the average processing time ("0?"), and every threshold
written 100 % because none was stated — they are this installation's reading, `weight_source="NF"`.
docs/service-index.md lists them. All of them can be changed without touching code through
`settings.CCHC_SERVICE_INDEX`, a dict merged over the defaults by indicator code::

    CCHC_SERVICE_INDEX = {
        "online.procedures": {"max": 6},
        "online.used": {"max": 2, "threshold": 0.5},
    }

A group's maximum is fixed (the portal's); the indicators' maxima of a group must add up to it, or
the configuration is refused at start-up (`reports.checks`).

Where each indicator is measured. `national=True` marks an indicator CCHC cannot measure from its
own data (synchronisation with the portal until a connector exists, the portal's payment platform,
the citizen's data store on the portal, the population database …). Such an indicator is shown as
"đo tại Cổng DVCQG" and, by `settings.CCHC_SERVICE_INDEX_NATIONAL`:

- `"entered"` (default): the reform officer enters the figure the portal shows, month by month
  (`reports.NationalFigure`); a month without an entry counts 0;
- `"zero"`: it counts 0 points.

Either way it is never dropped from the maximum.
"""

import hashlib
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SETTING = "CCHC_SERVICE_INDEX"
NATIONAL_SETTING = "CCHC_SERVICE_INDEX_NATIONAL"
NATIONAL_ENTERED, NATIONAL_ZERO = "entered", "zero"
NATIONAL_MODES = (NATIONAL_ENTERED, NATIONAL_ZERO)
TOTAL_MAXIMUM = 100
# Bumped when the way the index is computed changes, so that stored snapshots and rollups computed
# the old way are never shown as if they were computed the new way (see `definition_key`).
# 2: the national 100-point scale (issue 15).
# 3: digitisation 4.2 from the digitisation records (a counter scan counts once read and confirmed; a
#    paper result digitised counts as a digitised result; issue 16).
METHOD_VERSION = 3
# How an indicator measured at the national portal is labelled wherever it is shown.
NATIONAL_LABEL = _("Đo tại Cổng DVCQG")


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str | Promise
    maximum: float
    threshold: float  # the rate (0 < t ≤ 1) from which the indicator earns its maximum
    number: str = ""  # its number in the national portal's description ("1.4", "4.5" …)
    national: bool = False  # measured at the national portal (Cổng DVCQG), not from CCHC's data
    weight_source: str = "NF"  # "S": maximum and threshold from a secondary source; "NF": not found


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str | Promise
    maximum: float  # the portal's maximum for the group
    indicators: tuple[IndicatorSpec, ...]

    @property
    def full_max(self) -> float:
        return self.maximum


I = IndicatorSpec  # noqa: E741 - keeps the table below readable

DEFAULT_GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "transparency",
        _("Công khai, minh bạch"),
        18,
        (
            I(
                "transparency.published_on_time",
                _("Thủ tục hành chính được công bố đúng hạn"),
                6,
                1.0,
                "1.1",
                national=True,
                weight_source="S",
            ),
            I(
                "transparency.made_public_on_time",
                _("Thủ tục hành chính được cập nhật, công khai đúng hạn trên Cơ sở dữ liệu quốc gia"),
                4,
                1.0,
                "1.2",
                national=True,
                weight_source="S",
            ),
            I(
                "transparency.published",
                _("Thủ tục hành chính được công khai đầy đủ các bộ phận tạo thành"),
                2,
                1.0,
                "1.3",
                weight_source="S",
            ),
            I(
                "transparency.portal_sync",
                _("Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia"),
                6,
                1.0,
                "1.4",
                national=True,
                weight_source="S",
            ),
        ),
    ),
    GroupSpec(
        "progress",
        _("Tiến độ giải quyết"),
        20,
        (
            I("progress.on_time", _("Hồ sơ giải quyết trước hạn, đúng hạn"), 20, 1.0, "2.1", weight_source="S"),
            I(
                "progress.average_time",
                _("Thủ tục có thời gian giải quyết trung bình trong thời hạn quy định (theo dõi)"),
                0,
                1.0,
                "2.2",
            ),
        ),
    ),
    GroupSpec(
        "online",
        _("Cung cấp dịch vụ công trực tuyến"),
        12,
        (
            I("online.procedures", _("Thủ tục hành chính cung cấp dịch vụ công trực tuyến"), 4, 0.8, "3.1"),
            I("online.used", _("Dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến"), 4, 1.0, "3.2"),
            I("online.dossiers", _("Hồ sơ nộp trực tuyến"), 4, 0.5, "3.3"),
        ),
    ),
    GroupSpec(
        "payment",
        _("Thanh toán trực tuyến"),
        10,
        (
            I(
                "payment.integrated",
                _("Thủ tục có nghĩa vụ tài chính được tích hợp thanh toán trên Cổng DVCQG"),
                2,
                0.8,
                "3.5",
                national=True,
                weight_source="S",
            ),
            I(
                "payment.procedures",
                _("Thủ tục có nghĩa vụ tài chính có phát sinh giao dịch thanh toán trực tuyến trong kỳ"),
                2,
                1.0,
                "3.5b",
                weight_source="S",
            ),
            I(
                "payment.dossiers",
                _("Hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến"),
                6,
                1.0,
                "3.6",
                weight_source="S",
            ),
        ),
    ),
    GroupSpec(
        "digitisation",
        _("Số hóa hồ sơ"),
        22,
        (
            I(
                "digitisation.electronic_result",
                _("Hồ sơ được cấp kết quả điện tử"),
                6,
                1.0,
                "4.1",
                weight_source="S",
            ),
            I(
                "digitisation.digitised",
                _("Hồ sơ được số hóa (thành phần hồ sơ và kết quả giải quyết)"),
                4,
                0.8,
                "4.2",
                weight_source="S",
            ),
            I(
                "digitisation.certified_copies",
                _("Chứng thực bản sao điện tử từ bản chính"),
                2,
                1.0,
                "",
                national=True,
                weight_source="S",
            ),
            I("digitisation.reused", _("Hồ sơ tái sử dụng dữ liệu số hóa"), 2, 0.8, "4.3", weight_source="S"),
            I(
                "digitisation.national_store",
                _("Hồ sơ kết nối kho dữ liệu cá nhân, tổ chức trên Cổng DVCQG"),
                4,
                1.0,
                "4.4",
                national=True,
                weight_source="S",
            ),
            I(
                "digitisation.population_dossiers",
                _("Hồ sơ khai thác dữ liệu dân cư (Cơ sở dữ liệu quốc gia về dân cư, tài khoản VNeID)"),
                2,
                1.0,
                "4.5",
                national=True,
                weight_source="S",
            ),
            I(
                "digitisation.population_procedures",
                _("Thủ tục hành chính khai thác dữ liệu dân cư"),
                2,
                1.0,
                "4.5",
                national=True,
                weight_source="S",
            ),
        ),
    ),
    GroupSpec(
        "satisfaction",
        _("Mức độ hài lòng"),
        18,
        (
            I(
                "satisfaction.complaints",
                _("Phản ánh, kiến nghị được xử lý đúng hạn"),
                6,
                1.0,
                "5.2",
                weight_source="S",
            ),
            I(
                "satisfaction.complaint_handling",
                _("Mức độ hài lòng trong xử lý phản ánh, kiến nghị"),
                6,
                1.0,
                "5.3",
                weight_source="S",
            ),
            I(
                "satisfaction.satisfaction",
                _(
                    "Mức độ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính (100% trừ tỷ lệ trễ hạn và tỷ lệ"
                    " có phản ánh hoặc không hài lòng)"
                ),
                6,
                0.9,
                "5.4",
                weight_source="S",
            ),
        ),
    ),
)

INDICATOR_CODES: tuple[str, ...] = tuple(i.code for g in DEFAULT_GROUPS for i in g.indicators)
NATIONAL_CODES: tuple[str, ...] = tuple(i.code for g in DEFAULT_GROUPS for i in g.indicators if i.national)
# Measured at the portal until CCHC synchronises with it; then computed from the outbox (cchc.dvcqg).
PORTAL_SYNC = "transparency.portal_sync"


def portal_sync_computed() -> bool:
    """The synchronisation with the national portal is configured (or simulated): indicator 1.4 is
    computed from the outbox (`dvcqg.selectors.sync_in_time`) instead of entered."""
    from cchc.dvcqg.client import sync_enabled

    return sync_enabled()


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
    return replace(spec, **changes, weight_source="config") if changes else spec


def index_groups() -> tuple[GroupSpec, ...]:
    """The groups in force: the defaults with `settings.CCHC_SERVICE_INDEX` merged over them.
    Refuses a configuration whose indicators no longer add up to their group's maximum."""
    overrides = settings.CCHC_SERVICE_INDEX or {}
    unknown = set(overrides) - set(INDICATOR_CODES)
    if unknown:
        raise ImproperlyConfigured(f"{SETTING} names unknown indicators: {', '.join(sorted(unknown))}")
    computed = {PORTAL_SYNC} if portal_sync_computed() else set()
    groups = tuple(
        replace(
            group,
            indicators=tuple(
                replace(
                    _override(i, overrides[i.code]) if i.code in overrides else i,
                    national=i.national and i.code not in computed,
                )
                for i in group.indicators
            ),
        )
        for group in DEFAULT_GROUPS
    )
    for group in groups:
        total = sum(i.maximum for i in group.indicators)
        if abs(total - group.maximum) > 1e-9:
            raise ImproperlyConfigured(
                f"{SETTING}: the indicators of {group.code!r} add up to {total:g} points, not its {group.maximum:g}"
            )
    return groups


def national_mode() -> str:
    """How indicators measured at the national portal are scored: "entered" or "zero"."""
    mode = settings.CCHC_SERVICE_INDEX_NATIONAL
    if mode not in NATIONAL_MODES:
        raise ImproperlyConfigured(f"{NATIONAL_SETTING} must be one of {', '.join(NATIONAL_MODES)}, not {mode!r}")
    return mode


def indicator_spec(code: str) -> IndicatorSpec | None:
    for group in index_groups():
        for indicator in group.indicators:
            if indicator.code == code:
                return indicator
    return None


def definition_key() -> str:
    """A short fingerprint of how the index is computed now: the method version, every group's and
    indicator's maximum and threshold, and the national mode. A stored snapshot or rollup whose key
    differs was computed another way (the 85-point scale before issue 15, other weights) and is
    recomputed rather than shown."""
    parts = [str(METHOD_VERSION), national_mode()]
    for group in index_groups():
        parts.append(f"{group.code}:{group.maximum:g}")
        parts.extend(f"{i.code}:{i.maximum:g}:{i.threshold:g}:{int(i.national)}" for i in group.indicators)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
