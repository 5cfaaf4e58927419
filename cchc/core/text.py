"""Vietnamese text helpers.

Search must match regardless of diacritics, case and Unicode normalisation form, on
SQLite and PostgreSQL alike. Rather than rely on database collations (which differ
between engines), searchable columns store a folded copy made by `fold`, and queries
are folded the same way.
"""

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
# đ/Đ are letters of their own in Unicode, not d plus a combining mark, so NFD leaves them.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case `text`, strip every diacritic, map đ to d and collapse whitespace.

    `fold("GIẤY PHÉP  Lái xe") == "giay phep lai xe"`; NFC and NFD inputs fold alike.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped.translate(_EXTRA_FOLDS)).strip().casefold()


def nfc(text: str) -> str:
    """Return `text` in NFC, the form every stored string uses."""
    return unicodedata.normalize("NFC", text)


def format_vnd(amount: int) -> str:
    """`135000` -> `"135.000 đ"` (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đ"
