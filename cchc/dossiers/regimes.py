"""The one-stop regimes and their statutory forms, each with the date it took effect.

A dossier keeps the regime in force when it was received (or submitted online), so
its forms and rules do not change under it when the law does.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from cchc.core.calendar import VN_TZ


@dataclass(frozen=True)
class FormSpec:
    key: str  # the stable name used in URLs and the API
    number: str  # "Mẫu số 01" …
    title: str


@dataclass(frozen=True)
class Regime:
    code: str
    effective_from: datetime
    legal_basis: str
    circular: str
    forms: tuple[FormSpec, ...]

    def form(self, key: str) -> FormSpec | None:
        return next((f for f in self.forms if f.key == key), None)


REGIME_2018 = Regime(
    code="2018",
    effective_from=datetime(2018, 8, 21, tzinfo=VN_TZ),
    legal_basis=_("Nghị định số 61/2018/NĐ-CP (sửa đổi bởi Nghị định số 107/2021/NĐ-CP)"),
    circular=_("Thông tư số 01/2018/TT-VPCP"),
    forms=(
        FormSpec("receipt", "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
        FormSpec("supplement_request", "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
        FormSpec("refusal", "03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")),
        FormSpec("apology", "04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")),
        FormSpec("control_slip", "05", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")),
        FormSpec("tracking_book", "06", _("Sổ theo dõi hồ sơ")),
    ),
)

REGIME_2025 = Regime(
    code="2025",
    effective_from=datetime(2025, 7, 1, tzinfo=VN_TZ),
    legal_basis=_("Nghị định số 118/2025/NĐ-CP"),
    circular=_("Thông tư số 03/2025/TT-VPCP"),
    forms=(
        FormSpec("receipt", "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
        FormSpec("supplement_request", "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
        FormSpec("refusal", "03", _("Phiếu từ chối tiếp nhận, giải quyết hồ sơ")),
        FormSpec("apology", "04", _("Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết")),
        FormSpec("stop_notice", "05", _("Thông báo về việc dừng xử lý hồ sơ")),
        FormSpec("control_slip", "06", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")),
        FormSpec("tracking_book", "07", _("Sổ theo dõi hồ sơ")),
    ),
)

REGIMES = (REGIME_2018, REGIME_2025)


def regime_at(moment: datetime) -> Regime:
    """The regime in force at `moment` (the latest that had taken effect)."""
    in_force = [r for r in REGIMES if r.effective_from <= moment]
    return max(in_force, key=lambda r: r.effective_from) if in_force else REGIME_2018


def regime_by_code(code: str) -> Regime:
    return next(r for r in REGIMES if r.code == code)
