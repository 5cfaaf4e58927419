"""The one-stop regimes and their statutory forms, each with the date it took effect.

A dossier keeps the regime in force when it was received (or submitted online), so its forms and
rules do not change under it when the law does. The regimes (domain.md §1, §5; legal-details.md
§2, §4):

- **2018**: Decree 61/2018/NĐ-CP (amended by 107/2021) with Circular 01/2018/TT-VPCP (six forms).
- **2025-07**, from 1 July 2025: Decree 118/2025/NĐ-CP took effect on that day, but its guiding
  Circular 03/2025/TT-VPCP was issued only on 15 September 2025 ([P] header). Which forms offices
  used in between is not found ([NF]); CCHC prints the forms of Circular 01/2018, the only ones
  published then, under Decree 118's rules (stopping the processing of a dossier included, though
  no notice form existed for it yet). This is this installation's decision, not the law's text.
- **2025**, from 15 September 2025: Decree 118/2025 with Circular 03/2025/TT-VPCP (seven forms), its
  effective date taken from the circular's own date: the forms are said to apply "từ ngày
  15/9/2025" ([S] thuviennhadat.vn); the article on effect was not read.

Decree 367/2025/NĐ-CP (31 December 2025, [S]) amends Decree 118/2025. Its content and its
effective date were not found ([NF]), so it changes no rule here and no new regime version is
made for it: it enters the legal basis of the 2025 regimes from its signing date (a decree takes
effect on or after its signing; the real date is unconfirmed) through `legal_basis_at`. When its
changes are known, a rule it changes gets a new regime version from its effective date.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cchc.core.calendar import VN_TZ


@dataclass(frozen=True)
class FormSpec:
    key: str  # the stable name used in URLs and the API
    number: str  # "Mẫu số 01" …
    title: str | Promise


@dataclass(frozen=True)
class LegalText:
    """One line of a regime's legal basis and when it entered it."""

    text: str | Promise
    effective_from: datetime


@dataclass(frozen=True)
class Regime:
    code: str
    effective_from: datetime
    legal_basis: tuple[LegalText, ...]
    circular: str | Promise  # the circular whose forms the dossier's documents use
    forms_of: str  # "01/2018" or "03/2025": which circular's wording the templates follow
    forms: tuple[FormSpec, ...]
    allows_stop: bool  # stopping the processing of a dossier (Decree 118/2025)

    def form(self, key: str) -> FormSpec | None:
        return next((f for f in self.forms if f.key == key), None)

    def legal_basis_at(self, moment: datetime) -> list[str]:
        """The lines of the legal basis in force at `moment` (a dossier's reception)."""
        return [str(line.text) for line in self.legal_basis if line.effective_from <= moment]


FORMS_2018 = (
    FormSpec("receipt", "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
    FormSpec("supplement_request", "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
    FormSpec("refusal", "03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")),
    FormSpec("apology", "04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")),
    FormSpec("control_slip", "05", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")),
    FormSpec("tracking_book", "06", _("Sổ theo dõi hồ sơ")),
)
# Circular 03/2025/TT-VPCP, Phụ lục I: titles as legal-details.md §2.1 lists them ([S] thuviennhadat.vn,
# the same list in a third-party design document).
FORMS_2025 = (
    FormSpec("receipt", "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
    FormSpec("supplement_request", "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
    FormSpec("refusal", "03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")),
    FormSpec("apology", "04", _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")),
    FormSpec("stop_notice", "05", _("Thông báo dừng giải quyết hồ sơ")),
    FormSpec("control_slip", "06", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")),
    FormSpec("tracking_book", "07", _("Sổ theo dõi hồ sơ")),
)

DECREE_118_FROM = datetime(2025, 7, 1, tzinfo=VN_TZ)
CIRCULAR_03_FROM = datetime(2025, 9, 15, tzinfo=VN_TZ)
# Signing date ([S] luatvietnam.vn); the effective date is not found ([NF]).
DECREE_367_FROM = datetime(2025, 12, 31, tzinfo=VN_TZ)

DECREE_118 = LegalText(_("Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ"), DECREE_118_FROM)
DECREE_367 = LegalText(
    _("Nghị định số 367/2025/NĐ-CP ngày 31/12/2025 của Chính phủ sửa đổi, bổ sung Nghị định số 118/2025/NĐ-CP"),
    DECREE_367_FROM,
)

REGIME_2018 = Regime(
    code="2018",
    effective_from=datetime(2018, 8, 21, tzinfo=VN_TZ),
    legal_basis=(
        LegalText(
            _("Nghị định số 61/2018/NĐ-CP (sửa đổi bởi Nghị định số 107/2021/NĐ-CP)"),
            datetime(2018, 8, 21, tzinfo=VN_TZ),
        ),
    ),
    circular=_("Thông tư số 01/2018/TT-VPCP"),
    forms_of="01/2018",
    forms=FORMS_2018,
    allows_stop=False,
)

REGIME_2025_INTERIM = Regime(
    code="2025-07",
    effective_from=DECREE_118_FROM,
    legal_basis=(DECREE_118, DECREE_367),
    circular=_("Thông tư số 01/2018/TT-VPCP"),
    forms_of="01/2018",
    forms=FORMS_2018,
    allows_stop=True,
)

REGIME_2025 = Regime(
    code="2025",
    effective_from=CIRCULAR_03_FROM,
    legal_basis=(DECREE_118, DECREE_367),
    circular=_("Thông tư số 03/2025/TT-VPCP"),
    forms_of="03/2025",
    forms=FORMS_2025,
    allows_stop=True,
)

REGIMES = (REGIME_2018, REGIME_2025_INTERIM, REGIME_2025)


def regime_at(moment: datetime) -> Regime:
    """The regime in force at `moment` (the latest that had taken effect)."""
    in_force = [r for r in REGIMES if r.effective_from <= moment]
    return max(in_force, key=lambda r: r.effective_from) if in_force else REGIME_2018


def regime_by_code(code: str) -> Regime:
    return next(r for r in REGIMES if r.code == code)


def legal_basis_of(dossier) -> list[str]:
    """The legal basis of a dossier's regime as it stood when the dossier was received (or
    submitted), then the circular whose forms it uses."""
    regime = regime_by_code(dossier.regime)
    moment = dossier.received_at or dossier.submitted_at or dossier.created_at
    lines = regime.legal_basis_at(moment) if moment is not None else [str(t.text) for t in regime.legal_basis[:1]]
    return [*lines, str(regime.circular)]
