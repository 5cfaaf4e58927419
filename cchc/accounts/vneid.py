"""The VNeID profile of OpenID Connect: which claims carry the citizen's identity, and what they mean.

Pure: no database, no web. The claim names are those public integrations read from the national
single sign-on (docs/integrations.md §2: `SoDinhDanh`, `HoVaTen`, `NgayThangNamSinh`, `ThuongTru`,
`IAL`/`loAs`); the standard OpenID Connect names (`name`, `birthdate`, `address`, `acr`) are read
when those are absent, so a provider speaking plain OIDC maps the same way. The date format and the
level scale are not published; both must be confirmed with the provider (docs/integrations.md).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

# The client CCHC is registered as at the VNeID simulator (cchc.simulators.vneid), used while no real
# provider is configured (OIDC_CLIENT_ID empty) and the simulators are on.
SIMULATOR_CLIENT_ID = "cchc-gia-lap"
SIMULATOR_CLIENT_SECRET = "cchc-gia-lap-khoa-bi-mat-chi-dung-cho-thu-nghiem"  # noqa: S105 - documented demo value

ID_NUMBER_RE = re.compile(r"^\d{12}$")
LEVEL_RE = re.compile(r"(\d+)")

# Each profile field, and the claims it is read from, first present wins.
CLAIMS = {
    "id_number": ("SoDinhDanh", "so_dinh_danh", "personal_id"),
    "name": ("HoVaTen", "ho_va_ten", "name"),
    "birth_date": ("NgayThangNamSinh", "ngay_sinh", "birthdate"),
    "address": ("ThuongTru", "NoiOHienNay", "DiaChi", "address"),
    "level": ("IAL", "loAs", "acr"),
    "email": ("ThuDienTu", "email"),
    "phone": ("SoDienThoai", "phone_number"),
    "account_type": ("LoaiTaiKhoan",),
}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y%m%d", "%d-%m-%Y")
# LoaiTaiKhoan: 1 citizen, 2 business, 3 organisation (docs/integrations.md §2).
CITIZEN_ACCOUNT = "1"


@dataclass(frozen=True)
class Identity:
    """What the national e-ID vouches for about the person signing in."""

    subject: str
    id_number: str = ""
    name: str = ""
    birth_date: date | None = None
    address: str = ""
    level: str = ""  # as the provider states it ("2", "IAL2", "LoA2"), kept verbatim
    email: str = ""
    phone: str = ""
    account_type: str = CITIZEN_ACCOUNT

    @property
    def level_number(self) -> int:
        """The level's number (0 when none can be read)."""
        match = LEVEL_RE.search(self.level)
        return int(match.group(1)) if match else 0

    def is_verified(self, *, minimum_level: int) -> bool:
        """A person, with a valid personal ID number, at or above the level that counts as verified."""
        return (
            self.account_type == CITIZEN_ACCOUNT
            and bool(ID_NUMBER_RE.fullmatch(self.id_number))
            and self.level_number >= minimum_level
        )


def _first(claims: Mapping, names: tuple[str, ...]):
    for name in names:
        value = claims.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):  # OIDC's address claim, or a structured place
        value = value.get("formatted") or value.get("ChiTiet") or ", ".join(str(v) for v in value.values() if v)
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""  # loAs: the highest level reached comes last
    return " ".join(str(value).split())


def parse_birth_date(value) -> date | None:
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def identity_from_claims(claims: Mapping) -> Identity:
    """Read the identity from the merged id_token and userinfo claims."""
    read = {field: _first(claims, names) for field, names in CLAIMS.items()}
    return Identity(
        subject=_text(claims.get("sub")),
        id_number=_text(read["id_number"]).replace(" ", ""),
        name=_text(read["name"]),
        birth_date=parse_birth_date(read["birth_date"]),
        address=_text(read["address"])[:500],
        level=_text(read["level"])[:20],
        email=_text(read["email"]).lower(),
        phone=_text(read["phone"]).replace(" ", "")[:20],
        account_type=_text(read["account_type"]) or CITIZEN_ACCOUNT,
    )
